"""A manager on a phone, in Polish: finds two cards of one client and merges them."""

from __future__ import annotations

import os

import pytest

from kliento.clients.models import Client, ContactPoint, Purchase, TimelineEntry
from kliento.core import roles
from tests.factories import ClientFactory, ContactFactory, PurchaseFactory, UserFactory
from tests.test_browser import browser  # noqa: F401 the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def _fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= PHONE_WIDTH


def test_manager_merges_duplicates_on_a_phone_in_polish(live_server, browser):  # noqa: F811
    UserFactory(username="marta", role=roles.MANAGER)
    kept = ClientFactory(name="Anna Nowak")
    dup = ClientFactory(name="Anna Nowak-Kowalska", external_ref="CRM-7")
    for client in (kept, dup):
        ContactFactory(client=client, kind="phone", value="+48601234567", is_primary=True)
    PurchaseFactory(client=dup)

    context = browser.new_context(
        viewport={"width": PHONE_WIDTH, "height": 844}, locale="pl-PL", is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/clients/{kept.pk}/")
    page.fill("#id_username", "marta")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/{kept.pk}/")
    assert page.locator("html").get_attribute("lang") == "pl"

    # The card says there is a possible duplicate and leads to the compare page.
    notice = page.locator("#possible-duplicates")
    assert "Anna Nowak-Kowalska" in notice.inner_text()
    notice.locator("a.btn").click()
    page.locator(".merge-candidate").first.wait_for()
    assert page.locator(".merge-candidate").count() == 2
    assert _fits(page)
    if os.environ.get("KLIENTO_SCREENSHOTS"):
        page.screenshot(path=os.environ["KLIENTO_SCREENSHOTS"] + "/merge.png", full_page=True)

    page.check(f"input[name=survivor][value='{kept.pk}']")
    page.check(f"input[name=take_external_ref][value='{dup.pk}']")
    page.click("#merge-review")
    page.locator("#merge-confirm").wait_for()
    assert _fits(page)
    assert Client.objects.count() == 2  # nothing yet
    if os.environ.get("KLIENTO_SCREENSHOTS"):
        page.screenshot(path=os.environ["KLIENTO_SCREENSHOTS"] + "/confirm.png", full_page=True)
    page.click("#merge-confirm")
    page.wait_for_url(f"{live_server.url}/clients/{kept.pk}/")

    assert list(Client.objects.values_list("pk", "external_ref")) == [(kept.pk, "CRM-7")]
    assert ContactPoint.objects.get().client_id == kept.pk
    assert Purchase.objects.get().client_id == kept.pk
    assert TimelineEntry.objects.filter(client=kept, kind="client.merged").exists()
    assert page.locator("#possible-duplicates").count() == 0
    assert "Anna Nowak-Kowalska" in page.inner_text("#timeline")
    assert _fits(page)

    # The old card's address leads to the survivor.
    page.goto(f"{live_server.url}/clients/{dup.pk}/")
    page.wait_for_url(f"{live_server.url}/clients/{kept.pk}/")
    context.close()
