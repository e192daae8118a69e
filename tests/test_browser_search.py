"""The top bar in a real browser: Ctrl+K and "/" reach the search box, results appear as one
types and are walked with the keyboard; on a 390 px phone nothing spills off the screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kliento.core import roles
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_page(browser, live_server, *, width: int, height: int = 900):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


@pytest.fixture
def people(db):
    UserFactory(username="olena", role=roles.AGENT)
    anna = ClientFactory(name="Anna Nowak")
    ClientFactory(name="Piotr Mazur")
    return anna


def test_keyboard_reaches_the_search_and_its_results(live_server, browser, people):  # noqa: F811
    context, page = open_page(browser, live_server, width=1280)
    try:
        page.keyboard.press("Control+k")
        assert page.evaluate("document.activeElement.id") == "site-search"
        page.keyboard.press("Escape")
        page.locator("h1, main").first.click()
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.id") == "site-search"

        page.keyboard.type("nowak")
        results = page.locator("#search-results")
        results.get_by_role("link", name="Anna Nowak").wait_for()
        assert results.is_visible()
        assert "Clients" in results.text_content() and "Piotr" not in results.text_content()
        page.locator("#search-status", has_text="1 result").wait_for(state="attached")

        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.textContent").startswith("Anna Nowak")
        page.keyboard.press("Escape")
        assert not results.is_visible()
        assert page.evaluate("document.activeElement.id") == "site-search"

        page.keyboard.press("Enter")  # the full results page
        page.wait_for_url(f"{live_server.url}/search/?q=nowak")
        assert "Anna Nowak" in page.inner_text("main")
    finally:
        context.close()


def test_a_phone_shows_search_and_bell_without_sideways_scrolling(
    live_server,
    browser,  # noqa: F811
    people,
):
    context, page = open_page(browser, live_server, width=390, height=844)
    try:
        assert page.locator("#site-search").is_visible()
        assert page.locator("#notification-bell").is_visible()
        page.fill("#site-search", "anna")
        page.locator("#search-results").get_by_role("link", name="Anna Nowak").wait_for()
        box = page.locator("#search-results").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.get_by_role("link", name="Anna Nowak").click()
        page.wait_for_url(f"{live_server.url}/clients/{people.pk}/")

        # The account menu, inside the collapsed main menu, leads to the notification settings.
        page.click(".navbar-toggler")
        # Bootstrap animates the menu open: click inside it only once it has finished.
        expect(page.locator("#main-menu")).to_have_class(re.compile(r"\bshow\b"))
        page.click("#account-menu")
        settings_link = page.get_by_role("link", name="Notification settings")
        expect(settings_link).to_be_visible()
        settings_link.click()
        page.wait_for_url(f"{live_server.url}/account/notifications/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_on_a_phone_in_polish_names_are_found_without_accents_and_phones_by_part(
    live_server,
    browser,  # noqa: F811
    people,
):
    lukasz = ClientFactory(name="Łukasz Żółkiewski")
    ContactFactory(client=lukasz, kind="phone", value="+48600100200")
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "olena")
        page.fill("#id_password", "secret-pass-123")
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        page.fill("#site-search", "zolkiewski lukasz")
        page.locator("#search-results").get_by_role("link", name="Łukasz Żółkiewski").wait_for()
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

        page.goto(f"{live_server.url}/clients/?q=600+100")
        assert page.evaluate("document.documentElement.lang") == "pl"
        main = page.inner_text("main")
        assert "Łukasz Żółkiewski" in main and "Anna Nowak" not in main
    finally:
        context.close()
