"""The client list on a phone, in Polish: a bulk action through its confirm step, and a saved
view applied with one click. Drives /usr/bin/chromium (see tests/test_browser.py)."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from kliento.clients.models import Client, SavedView, TimelineEntry
from kliento.core import roles
from tests.factories import ClientFactory, SegmentFactory, TagFactory, UserFactory
from tests.test_browser import browser  # noqa: F401 the shared Chromium fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SHOTS = os.environ.get("KLIENTO_SCREENSHOTS")  # a folder: keep screenshots for a look


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(viewport=PHONE, locale="pl-PL", is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/login/?next=/clients/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/clients/")


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_manager_tags_two_clients_and_applies_a_saved_view_on_a_phone(live_server, phone):
    UserFactory(username="marta", role=roles.MANAGER)
    vip = SegmentFactory(name="VIP")
    anna = ClientFactory(name="Anna Nowak", segment=vip)
    adam = ClientFactory(name="Adam Nowak")
    piotr = ClientFactory(name="Piotr Mazur", segment=vip)
    TagFactory(name="kampania")
    page = phone
    _login(page, live_server.url, "marta")
    assert "Klienci" in page.inner_text("h1")
    _no_sideways_scroll(page)

    # Bulk: tick two rows, choose "add tag", confirm on the next page showing the count.
    # Ticking and choosing are not filters: the results are not reloaded under the ticks.
    page.evaluate("window.__same_page = true")
    page.check(f"input[name=ids][value='{anna.pk}']")
    page.check(f"input[name=ids][value='{adam.pk}']")
    page.select_option("#bulk-action", "add_tag")
    page.wait_for_timeout(500)
    assert page.is_checked(f"input[name=ids][value='{anna.pk}']")
    page.locator("#bulk-form button[type=submit]").click()
    page.locator("#bulk-count").wait_for()
    assert "2" in page.inner_text("#bulk-count")
    _no_sideways_scroll(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/bulk-confirm-pl-390.png", full_page=True)
    page.select_option("select[name=tag]", label="kampania")
    page.locator(".bulk-confirm button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/clients/")
    tagged = set(Client.objects.filter(tags__name="kampania").values_list("pk", flat=True))
    assert tagged == {anna.pk, adam.pk}
    assert TimelineEntry.objects.filter(kind="client.edited").count() == 2

    # Saved view: filter by segment, save it, go back to everything, apply it with one click.
    page.select_option("#id_segment", label="VIP")
    # Not wait_for_function: it evaluates a string, which the Content-Security-Policy forbids.
    expect(page.locator("#results")).not_to_contain_text("Adam Nowak")
    # New strings are translated in a final pass over the catalogs: found by id, not by text.
    page.locator("#save-view summary").click()
    page.fill("#view-name", "Klienci VIP")
    page.locator("#view-name").press("Enter")
    page.wait_for_url(f"{live_server.url}/clients/?*view=*")
    view = SavedView.objects.get(name="Klienci VIP")
    assert f"segment={vip.pk}" in view.query and not view.shared

    page.goto(f"{live_server.url}/clients/")
    assert "Adam Nowak" in page.inner_text("#results")
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/client-list-pl-390.png", full_page=True)
    page.locator(".saved-views a", has_text="Klienci VIP").click()
    page.wait_for_url(f"{live_server.url}/clients/?*view={view.pk}*")
    results = page.inner_text("#results")
    assert "Anna Nowak" in results and "Piotr Mazur" in results
    assert "Adam Nowak" not in results
    _no_sideways_scroll(page)
    assert piotr.pk  # shown through the view's filter
