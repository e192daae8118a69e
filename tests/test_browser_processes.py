"""An agent on a phone (390 px wide) starts a process on a client's card, completes its first
step with a result, and sees the step on the client's timeline and the progress on the card."""

from __future__ import annotations

import os

import pytest

from kliento.core import roles
from kliento.processes.models import ProcessRun
from tests.factories import ClientFactory, UserFactory
from tests.processes_helpers import make_definition
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KLIENTO_SCREENSHOTS")


def test_agent_starts_a_process_and_completes_a_step_on_a_phone(
    live_server,
    browser,  # noqa: F811
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    agent = UserFactory(username="olena", first_name="Olena", last_name="Melnyk", role=roles.AGENT)
    definition = make_definition(name="B2B onboarding")
    client = ClientFactory(name="Wisła Corporate Wellness")
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/clients/{client.pk}/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")

    panel = page.locator("#processes-panel")
    panel.locator("select[name=process]").select_option(str(definition.pk))
    panel.locator("input[name=subject]").fill("Spring classes for the office")
    panel.locator("#start-process").click()
    page.locator("#run-steps").wait_for()
    run = ProcessRun.objects.get()
    assert run.owner == agent and run.subject == "Spring classes for the office"

    # No result: refused beside the field, the step stays open.
    page.locator("#complete-step").click()
    page.locator("#complete-step-form .invalid-feedback").wait_for()
    assert run.steps.get(position=1).state == "open"

    page.locator("#complete-step-form textarea[name=result]").fill("Two groups of twelve agreed")
    page.locator("#complete-step").click()
    page.locator("[data-step-state=done]", has_text="Two groups of twelve agreed").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/processes-run-390.png", full_page=True)

    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.locator("#timeline", has_text="Process step done").wait_for()
    page.locator("#timeline", has_text="Two groups of twelve agreed").wait_for()
    page.locator("#processes-panel", has_text="1 of 3 steps").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        page.locator("#processes-panel").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/processes-card-390.png", full_page=True)
    context.close()
