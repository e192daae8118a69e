"""Under the Content-Security-Policy the pages still work in a real browser and break no rule:
the language switcher, the purchase removal question, htmx search, the chart, the API docs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from kliento.clients.models import Purchase
from kliento.core import roles
from tests.factories import ClientFactory, PurchaseFactory, UserFactory
from tests.test_browser import browser, page  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):  # noqa: F811
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            or "Content-Security-Policy" in message.text
            else None
        ),
    )
    return seen


def _login(page, live_server, username: str) -> None:  # noqa: F811
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_pages_work_and_break_no_policy_rule(live_server, page, violations):  # noqa: F811
    UserFactory(username="maria", role=roles.MANAGER, is_staff=True)
    client = ClientFactory(name="Anna Nowak")
    purchase = PurchaseFactory(client=client, occurred_on=timezone.localdate() - dt.timedelta(1))
    _login(page, live_server, "maria")

    for path in ("/", "/clients/", "/clients/key/", f"/clients/{client.pk}/", "/api/v1/docs"):
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert page.locator(".swagger-ui").count() == 1  # the API docs rendered

    # htmx: the top bar's search answers as one types.
    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.fill("#site-search", "Anna")
    page.wait_for_selector("#search-results >> text=Anna Nowak")

    # The purchase removal asks first; saying no keeps the purchase.
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.locator(f"form[action$='/purchases/{purchase.pk}/remove/'] button").click()
    page.wait_for_timeout(300)
    assert Purchase.objects.filter(pk=purchase.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"form[action$='/purchases/{purchase.pk}/remove/'] button").click()
    page.wait_for_load_state("networkidle")
    assert not Purchase.objects.filter(pk=purchase.pk).exists()

    # Choosing a language sends the form by itself.
    page.select_option("#language", "pl")
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    assert violations == []
