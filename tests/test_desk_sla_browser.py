"""A manager on a phone (390 px) sets up business hours and an SLA policy: a mistake is shown
beside its field, the fixed calendar and the policy appear in the list; nothing spills out of
the screen."""

from __future__ import annotations

import os

import pytest

from kliento.core import roles
from kliento.desk.models import BusinessCalendar, SlaPolicy
from tests.factories import UserFactory
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KLIENTO_SCREENSHOTS")


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_manager_sets_up_hours_and_a_policy_on_a_phone(live_server, browser):  # noqa: F811
    UserFactory(username="marta", role=roles.MANAGER)
    context = browser.new_context(
        locale="en-GB", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/desk/setup/sla/")
    page.fill("#id_username", "marta")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/desk/setup/sla/")
    assert _fits(page)

    page.click("text=New business calendar")
    page.fill("#id_name", "Warsaw office")
    page.select_option("#id_time_zone", "Europe/Warsaw")
    page.fill("#id_day_0", "09:00-13:00, 12:00-18:00")
    page.fill("#id_day_1", "09:00-18:00")
    page.fill("#id_holidays", "2026-12-25 Christmas")
    page.click("#sla-form button")
    error = page.locator("#id_day_0_error")
    assert "overlap" in error.inner_text()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/sla-calendar-error.png", full_page=True)

    page.fill("#id_day_0", "09:00-13:00, 14:00-18:00")
    page.click("#sla-form button")
    page.wait_for_url(f"{live_server.url}/desk/setup/sla/")
    assert BusinessCalendar.objects.get().hours["0"] == [["09:00", "13:00"], ["14:00", "18:00"]]

    page.click("text=New SLA policy")
    page.fill("#id_name", "Urgent")
    page.select_option("#id_priority", "urgent")
    page.select_option("#id_calendar", label="Warsaw office")
    page.fill("#id_first_response_minutes", "30")
    page.fill("#id_resolution_minutes", "240")
    page.click("#sla-form button")
    page.wait_for_url(f"{live_server.url}/desk/setup/sla/")
    assert SlaPolicy.objects.get().first_response_minutes == 30
    listing = page.locator("#sla-policy-list").inner_text()
    assert "Urgent" in listing and "Warsaw office" in listing
    assert "09:00-13:00, 14:00-18:00" in page.locator("#calendar-list").inner_text()
    assert _fits(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/sla-setup.png", full_page=True)
    context.close()
