"""A manager on a phone writes an escalation list: a mistake is shown beside the list, the
fixed list is saved and shown in order; nothing spills out of the 390 px screen."""

from __future__ import annotations

import os

import pytest

from kliento.core import roles
from kliento.policy.models import Procedure
from tests.factories import UserFactory
from tests.policy_support import draft_policy
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KLIENTO_SCREENSHOTS")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_manager_writes_an_escalation_list_on_a_phone(live_server, browser):  # noqa: F811
    manager = UserFactory(
        username="marta", first_name="Marta", last_name="Zielińska", role=roles.MANAGER
    )
    UserFactory(username="piotr", first_name="Piotr", last_name="Mazur", role=roles.STAGE_OWNER)
    policy = draft_policy(manager, title="Student service policy")
    draft = policy.versions.get()
    goal = draft.goals.get()
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    version_url = f"/policy/{policy.pk}/v/{draft.pk}/"
    page.goto(f"{live_server.url}/login/?next={version_url}")
    page.fill("#id_username", "marta")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{version_url}")
    assert _fits(page)

    page.click(f"#goal-{goal.pk} >> text=Add a procedure")
    form = page.locator("#procedure-form")
    form.locator("input[name=title]").fill("Answer a complaint the same day")
    form.locator("textarea[name=description]").fill("Thank the student and answer today.")
    form.locator("input[name=channels][value=email]").check()
    form.locator("select[name=levels-0-who]").select_option("role:agent")
    form.locator("input[name=levels-0-after_minutes]").fill("60")
    form.locator("select[name=levels-1-who]").select_option(label="Piotr Mazur")
    form.locator("input[name=levels-1-after_minutes]").fill("30")
    form.locator("input[name=levels-1-notify][value=email]").check()
    form.locator("button[type=submit], button:not([type])").last.click()

    errors = page.locator("#level-errors")
    assert "Level 2" in errors.inner_text()
    assert "must be later than the level before" in errors.inner_text()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/policy-level-error.png", full_page=True)

    page.locator("input[name=levels-1-after_minutes]").fill("240")
    page.locator("#procedure-form button").last.click()
    page.wait_for_url(f"{live_server.url}{version_url}")
    created = Procedure.objects.get(title="Answer a complaint the same day")
    rows = page.locator(f"#procedure-{created.pk} .escalation-list tbody tr")
    assert rows.count() == 2
    assert "Role: Agent" in rows.nth(0).inner_text()
    assert "Piotr Mazur" in rows.nth(1).inner_text() and "4 h" in rows.nth(1).inner_text()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/policy-version.png", full_page=True)
    context.close()
