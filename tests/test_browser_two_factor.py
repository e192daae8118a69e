"""The two-factor login on a phone (390 px wide), in Ukrainian: password, then a code."""

from __future__ import annotations

import os
import re

import pytest

from kliento.core import roles, two_factor
from kliento.core.models import RoleSecurityPolicy
from tests.factories import UserFactory
from tests.test_browser import browser  # noqa: F401  (the shared Chromium fixture)
from tests.test_two_factor import code_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Set to a folder to keep screenshots of the pages (for a look at the layout).
SCREENSHOTS = os.environ.get("KLIENTO_SCREENSHOTS", "")
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="uk-UA")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _password(page, url: str) -> None:
    page.goto(f"{url}/login/?next=/clients/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")


def test_two_factor_login_on_a_phone_in_ukrainian(live_server, phone):
    olena = UserFactory(username="olena", role=roles.AGENT)
    device = two_factor.start_enrolment(user=olena)
    two_factor.confirm_enrolment(user=olena, device=device, code=code_for(device))
    device.refresh_from_db()

    _password(phone, live_server.url)
    phone.wait_for_url(re.compile(r"/account/two-factor/verify/\?next=%2Fclients%2F$"))
    assert phone.get_attribute("html", "lang") == "uk"
    assert _fits(phone)
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/two-factor-verify.png", full_page=True)
    field = phone.locator("#id_code")
    assert field.get_attribute("autocomplete") == "one-time-code"
    assert field.bounding_box()["width"] <= PHONE["width"]

    field.fill("000000")
    phone.click("main button[type=submit]")
    phone.locator(".invalid-feedback").wait_for()
    assert "/account/two-factor/verify/" in phone.url
    phone.wait_for_timeout(1500)  # a wrong code makes the device wait a moment (throttling)

    phone.fill("#id_code", code_for(device, 1))
    phone.click("main button[type=submit]")
    phone.wait_for_url(f"{live_server.url}/clients/")
    assert phone.get_attribute("html", "lang") == "uk"


def test_required_enrolment_on_a_phone_shows_the_qr_code_within_the_screen(live_server, phone):
    olena = UserFactory(username="olena", role=roles.AGENT)
    RoleSecurityPolicy.objects.create(role=roles.AGENT, require_two_factor=True)

    _password(phone, live_server.url)
    phone.wait_for_url(re.compile(r"/account/two-factor/setup/"))
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/two-factor-setup.png", full_page=True)
    qr = phone.locator(".two-factor-qr svg").bounding_box()
    assert qr is not None and 150 <= qr["width"] <= PHONE["width"] - 32
    assert _fits(phone)

    device = two_factor.pending_device(olena)
    assert device is not None
    phone.fill("#id_code", code_for(device))
    phone.click("main button[type=submit]")
    phone.locator("#backup-codes li").first.wait_for()
    if SCREENSHOTS:
        phone.screenshot(path=f"{SCREENSHOTS}/two-factor-backup-codes.png", full_page=True)
    assert phone.locator("#backup-codes li").count() == two_factor.BACKUP_CODE_COUNT
    assert _fits(phone)
    phone.click("main a.btn-primary")
    phone.wait_for_url(f"{live_server.url}/clients/")
