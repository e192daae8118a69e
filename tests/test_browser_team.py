"""A mentor signs off a new employee's checkpoint on a phone; the new employee's progress on
their home page moves from 0 to 1 of 2."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kliento.core import roles
from kliento.team.services import onboarding
from tests.factories import UserFactory
from tests.team_support import plan
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(context, base: str, username: str, target: str):
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login/?next={target}")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}{target}")
    return page


def test_mentor_signs_off_and_the_new_employees_progress_moves(live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    manager = UserFactory(username="marta", role=roles.MANAGER)
    UserFactory(username="nina", first_name="Nina", role=roles.AGENT)
    UserFactory(username="olek", first_name="Olek", role=roles.AGENT)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    started = onboarding.start_onboarding(
        actor=manager,
        employee=users.get(username="nina"),
        mentor=users.get(username="olek"),
        plan=plan(manager),
        started_on=timezone.localdate(),
    )
    checkpoint = started.checkpoints.first()

    newcomer = browser.new_context()
    home = _login(newcomer, live_server.url, "nina", "/")
    expect(home.locator("#my-onboarding .onboarding-done")).to_have_text("0")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    mentor = _login(phone, live_server.url, "olek", "/")
    widget = mentor.locator("#mentoring")
    expect(widget).to_contain_text("Nina")
    widget.get_by_role("link", name="Nina").click()
    mentor.wait_for_url(f"{live_server.url}/team/onboarding/{started.pk}/")
    row = mentor.locator(f"[data-checkpoint='{checkpoint.pk}']")
    row.locator("input[name=note]").fill("Two good days")
    row.locator("button.sign-off").click()
    expect(row.locator(".checkpoint-done")).to_be_visible()
    expect(mentor.locator("#onboarding-progress")).to_have_attribute("data-done", "1")
    # The new employee may read the page but not sign anything off.
    home.reload()
    expect(home.locator("#my-onboarding .onboarding-done")).to_have_text("1")
    home.goto(f"{live_server.url}/team/onboarding/{started.pk}/")
    expect(home.locator("button.sign-off")).to_have_count(0)
    newcomer.close()
    phone.close()
