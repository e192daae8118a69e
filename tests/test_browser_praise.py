"""On a phone, an agent shares a promoter's comment about her work from the survey's page; a
colleague then sees it on the home page with the client shown as first name and initial."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.surveys.models import Praise, Response
from kliento.surveys.services import definitions
from tests.factories import ClientFactory, UserFactory
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, live_server, username: str, path: str):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next={path}")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{path}")
    return context, page


def test_an_agent_shares_praise_and_a_colleague_sees_it_at_home(live_server, browser):  # noqa: F811
    olga = UserFactory(username="olga", first_name="Olga", last_name="Bondar", role=roles.AGENT)
    UserFactory(username="ivan", role=roles.AGENT)
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="After the call",
            kind="nps",
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Recommend us?"})],
        ),
    )
    Response.objects.create(
        survey=survey,
        client=ClientFactory(name="Maria Kowalska"),
        channel="phone",
        score=10,
        comment="Olga solved it in five minutes",
        agent=olga,
    )
    context, page = login(browser, live_server, "olga", f"/surveys/{survey.pk}/")
    page.get_by_role("link", name="Share as praise").click()
    page.get_by_text("Shown as “Maria K.”").wait_for()
    page.get_by_role("button", name="Share").click()
    page.get_by_text("Shared to the recognition feed.").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert Praise.objects.get().employee == olga

    context, page = login(browser, live_server, "ivan", "/")
    widget = page.locator("blockquote", has_text="Olga solved it in five minutes")
    widget.wait_for()
    assert page.get_by_text("Maria K.").count() >= 1
    assert page.get_by_text("Kowalska").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
