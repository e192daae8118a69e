"""A newly published standard reaches an agent's home page; the agent reads and acknowledges
it on a phone, and the manager's view of who has read what counts one more."""

from __future__ import annotations

import pytest

from kliento.core import roles
from tests.factories import UserFactory
from tests.standards_support import published
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


def test_agent_acknowledges_a_new_standard_and_the_manager_sees_it(live_server, browser):  # noqa: F811
    from playwright.sync_api import expect

    manager = UserFactory(username="marta", role=roles.MANAGER)
    UserFactory(username="olena", first_name="Olena", role=roles.AGENT)
    standard, version = published(
        by=manager,
        title="Answering the phone",
        body="Pick up by the **third ring**.\n\n<script>document.title='owned'</script>",
    )

    boss = browser.new_context()
    board = _login(boss, live_server.url, "marta", "/standards/acknowledgements/")
    row = board.locator(f"#ack-shares [data-version='{version.pk}']")
    expect(row.locator(".ack-done")).to_have_text("0")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = _login(phone, live_server.url, "olena", "/")
    widget = page.locator("#standards-to-read")
    expect(widget).to_contain_text("Answering the phone")
    widget.get_by_role("link", name="Answering the phone").click()
    page.wait_for_url(f"{live_server.url}/standards/{standard.pk}/")
    expect(page.locator("#standard-text strong")).to_have_text("third ring")
    assert page.title() != "owned"
    page.locator("#ack-button").click()
    expect(page.locator("#ack-state")).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#standards-to-read")).to_have_count(0)

    board.reload()
    expect(row.locator(".ack-done")).to_have_text("1")
    boss.close()
    phone.close()
