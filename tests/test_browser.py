"""A person in a real browser: log in, open a client, add a portrait fact, see it recorded.

Drives Debian's Chromium (/usr/bin/chromium) through Playwright; Playwright never downloads a
browser here. Without Chromium the test is skipped locally but fails in CI, which installs it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from kliento.clients.models import PortraitFact, TimelineEntry
from kliento.core import roles
from tests.factories import ClientFactory, PortraitFactFactory, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the ORM calls the test
    # makes around it are synchronous and safe, so Django's async guard is lifted here only.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_agent_adds_a_portrait_fact_and_sees_it_on_the_card_and_the_timeline(live_server, page):
    UserFactory(username="olena", first_name="Olena", last_name="Melnyk", role=roles.AGENT)
    client = ClientFactory(name="Anna Nowak")
    PortraitFactFactory(client=client, text="Plays tennis on Sundays")
    ClientFactory(name="Piotr Mazur")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")  # "my work"
    page.goto(f"{live_server.url}/clients/")

    page.click("text=Anna Nowak")
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")
    assert "Plays tennis on Sundays" in page.inner_text("#portrait")

    form = page.locator("#fact-form")
    form.locator("select[name=category]").select_option("family")
    form.locator("select[name=source]").select_option("conversation")
    form.locator("textarea[name=text]").fill("Her daughter starts ballet school in September")
    form.locator("button").click()
    page.wait_for_load_state()

    page.locator("#portrait", has_text="Her daughter starts ballet school").wait_for()
    assert "Portrait fact added." in page.inner_text("main")
    assert "Her daughter starts ballet school in September" in page.inner_text("#portrait")
    timeline = page.inner_text("#timeline")
    assert "Portrait fact added\nFamily: Her daughter starts ballet school in September" in timeline
    assert "Olena Melnyk" in timeline

    fact = PortraitFact.objects.get(text="Her daughter starts ballet school in September")
    assert fact.recorded_by.username == "olena"
    assert (
        TimelineEntry.objects.filter(client=client, kind=TimelineEntry.Kind.FACT_ADDED).count() == 1
    )


def test_list_search_updates_results_without_reloading_the_page(live_server, page):
    UserFactory(username="olena", role=roles.AGENT)
    ClientFactory(name="Anna Nowak")
    ClientFactory(name="Piotr Mazur")

    page.goto(f"{live_server.url}/login/?next=/clients/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/")
    page.evaluate("window.__same_page = true")

    page.fill("#id_q", "mazur")
    page.locator("#results", has_text="Piotr Mazur").wait_for()
    # (expect, not wait_for_function: the page's Content-Security-Policy refuses eval)
    from playwright.sync_api import expect

    expect(page.locator("#results")).not_to_contain_text("Anna Nowak")

    assert page.evaluate("window.__same_page") is True  # htmx swapped the results only
    assert "q=mazur" in page.url


def test_manager_imports_a_file_through_the_wizard_in_ukrainian(
    live_server, page, settings, tmp_path
):
    """Upload → column mapping with preview → check and import → summary, in another language.

    The task runs at once here (ImmediateBackend): the worker loop itself is tested elsewhere;
    this test is about what a person sees and clicks.
    """
    from kliento.clients.models import Client

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    UserFactory(username="marta", role=roles.MANAGER)
    upload = tmp_path / "klienty.csv"
    upload.write_text(
        "ПІБ;Телефон;E-mail\nОлена Мельник;+380 67 123 4567;olena@example.com\n"
        "Іван Петренко;;ivan@example.com\n",
        encoding="utf-8",
    )
    ukrainian = page.context.browser.new_context(locale="uk-UA")
    page = ukrainian.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/login/?next=/import/new/")
    page.fill("#id_username", "marta")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/import/new/")
    assert page.locator("html").get_attribute("lang") == "uk"
    page.set_input_files("input[type=file]", str(upload))
    page.click("button[type=submit]")

    page.locator("text=Олена Мельник").wait_for()  # the preview of the first rows
    page.click("form button[type=submit]")
    page.locator("#import-status .alert-success").wait_for()

    assert sorted(Client.objects.values_list("name", flat=True)) == [
        "Іван Петренко",
        "Олена Мельник",
    ]
    olena = Client.objects.get(name="Олена Мельник")
    assert set(olena.contacts.values_list("value", flat=True)) == {
        "+380671234567",
        "olena@example.com",
    }
    ukrainian.close()


def test_agent_records_a_purchase_with_a_decimal_comma_in_polish(live_server, browser):
    """A number input would drop or refuse "250,50" depending on the browser; the amount is a
    text field with a decimal keyboard, read in the user's language: 250.50, never 25050."""
    from decimal import Decimal

    from kliento.clients.models import Purchase

    UserFactory(username="olena", role=roles.AGENT)
    client = ClientFactory(name="Anna Nowak")
    polish = browser.new_context(locale="pl-PL")
    page = polish.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server.url}/login/?next=/clients/{client.pk}/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")

    page.locator("#purchases summary").click()
    form = page.locator("#purchase-form")
    form.locator("input[name=amount]").fill("1,234")
    form.locator("button").click()
    page.wait_for_load_state()
    # Ambiguous in Polish: refused beside the field, the form still open, nothing recorded.
    assert "1234" in page.locator("#purchase-form .invalid-feedback").inner_text()
    assert not Purchase.objects.exists()

    page.locator("#purchase-form input[name=amount]").fill("250,50")
    page.locator("#purchase-form button").click()
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")
    page.locator("#purchases", has_text="250,50").wait_for()
    assert Purchase.objects.get().amount == Decimal("250.50")
    polish.close()
