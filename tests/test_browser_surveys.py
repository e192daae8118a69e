"""A client opens the e-mailed link on a phone, answers NPS 3 with a comment; the stage owner
then finds the new follow-up in Kliento with the answer in full."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction

from kliento.core import roles
from kliento.journeys.models import Journey, Stage
from kliento.surveys.models import FollowUp, Invitation, Response
from kliento.surveys.services import definitions, inviting
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_detractor_answer_reaches_the_stage_owner(live_server, browser, settings):  # noqa: F811
    settings.KLIENTO_BASE_URL = live_server.url
    owner = UserFactory(username="stella", first_name="Stella", role=roles.STAGE_OWNER)
    journey = Journey.objects.create(name="Buying")
    stage = Stage.objects.create(journey=journey, position=1, name="Delivery", owner=owner)
    person = ClientFactory(name="Anna Nowak", language="pl")
    ContactFactory(client=person, kind="email", value="anna@example.com")
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="Relationship NPS",
            kind="nps",
            questions=[
                definitions.QuestionSpec(
                    kind="scale",
                    texts={"en": "Would you recommend us?", "pl": "Czy poleciłbyś nas?"},
                    low_labels={"pl": "Na pewno nie"},
                    high_labels={"pl": "Na pewno tak"},
                )
            ],
            follow_up_texts={"en": "What should we improve?", "pl": "Co poprawić?"},
            follow_up_max_score=6,
        ),
    )
    with transaction.atomic():
        inviting.invite_clients(actor=None, survey=survey, client_ids=[person.pk])
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(stage=stage)
    assert inviting.send_invitation(invitation.pk) == "sent"
    html = mail.outbox[0].alternatives[0][0]
    link = re.search(r'href="([^"]+\?score=3)"', html)
    assert link is not None

    violations: list[str] = []

    def watch(page) -> None:
        page.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                or "Content-Security-Policy" in message.text
                else None
            ),
        )

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = phone.new_page()
    watch(page)
    page.set_default_timeout(15_000)
    page.goto(link.group(1).replace("&amp;", "&"))
    assert page.evaluate("document.documentElement.lang") == "pl"
    assert page.locator(f"#q{survey.questions.get().pk}-3").is_checked()
    page.get_by_label("Co poprawić?").fill("Kurier spóźnił się dwa dni.")
    page.get_by_role("button").click()
    page.get_by_role("status").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    answer = Response.objects.get()
    assert (answer.score, answer.comment) == (3, "Kurier spóźnił się dwa dni.")
    assert FollowUp.objects.get().owner == owner

    staff = browser.new_context()
    page = staff.new_page()
    watch(page)
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/surveys/follow-ups/")
    page.fill("#id_username", "stella")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/surveys/follow-ups/")
    page.locator("#follow-ups", has_text="Relationship NPS: 3").wait_for()
    page.get_by_role("link", name="Relationship NPS: 3").click()
    page.locator("#answer-comment", has_text="Kurier spóźnił się dwa dni.").wait_for()
    page.fill("#id_contact_note", "Called Anna, apologised.")
    page.get_by_role("button", name="Record the contact").click()
    page.fill("#id_outcome", "Delivery fee refunded.")
    page.get_by_role("button", name="Close the follow-up").click()
    page.get_by_text("Follow-up closed.").wait_for()
    assert FollowUp.objects.get().status == "closed"
    # The survey's results: the distribution chart is drawn by a script the policy allows.
    page.goto(f"{live_server.url}/surveys/{survey.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#survey-chart").evaluate("c => window.Chart.getChart(c) !== undefined")
    assert page.locator("#answers", has_text="Kurier").count() == 1
    staff.close()
    assert violations == []
