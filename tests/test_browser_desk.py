"""An agent works a case in a real browser: opens the team queue, opens a case, starts the
reply from a script (its placeholders filled by the server), sends it, and resolves the case;
on a phone-sized screen as on a desktop, without breaking the Content-Security-Policy.

With KLIENTO_SCREENSHOTS set to a directory, the queue and the case page are saved there at
390 and 1280 px wide (for looking at the layout; the test asserts nothing about pixels)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kliento.desk.models import Case
from tests.desk_support import member, new_case, team
from tests.factories import ClientFactory, UserFactory
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


def _shoot(page, name: str) -> None:
    folder = os.environ.get("KLIENTO_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_agent_answers_from_a_script_and_resolves_the_case(live_server, browser, width):  # noqa: F811
    from playwright.sync_api import expect

    from kliento.core import roles

    support = team("Support")
    olena = member(support, "olena")
    olena.first_name, olena.last_name = "Olena", "Kowal"
    olena.save()
    manager = UserFactory(username="marta", role=roles.MANAGER)
    published(
        by=manager,
        title="Mail replies",
        channels=["email"],
        scripts=[("Apology", "Dear {client_name}, sorry about {case_number}. {agent_name}")],
    )
    case = new_case(team=support, client=ClientFactory(name="Anna Nowak"), subject="Kettle leaks")
    new_case(team=support, subject="Another question", body="")

    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 500, locale="en-GB"
    )
    violations: list[str] = []
    page = _login(context, live_server.url, "olena", "/desk/?queue=team")
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    expect(page.locator("#queue-list [data-queue='team'] .queue-count")).to_have_text("2")
    _shoot(page, f"desk-queue-{width}")

    page.get_by_role("link", name=f"{case.number} · Kettle leaks").click()
    page.wait_for_url(f"{live_server.url}/desk/cases/{case.pk}/")
    expect(page.locator("#client-panel")).to_contain_text("Anna Nowak")

    page.select_option("#script-choice", label="Mail replies: Apology")
    box = page.locator("#reply-body textarea")
    expect(box).to_have_value(f"Dear Anna Nowak, sorry about {case.number}. Olena Kowal")
    _shoot(page, f"desk-case-{width}")
    page.locator("#reply-form button[data-after='send']").click()
    page.wait_for_url(f"{live_server.url}/desk/cases/{case.pk}/")
    expect(page.locator("#conversation")).to_contain_text("sorry about")
    expect(page.locator("#case-status")).to_have_text("Open")

    page.locator("#status-card summary").click()
    page.select_option("#status-card select[name='status']", "resolved")
    page.locator("#status-card button").click()
    expect(page.locator("#case-status")).to_have_text("Resolved")

    _shoot(page, f"desk-case-resolved-{width}")

    # The next case: find the client by name, and the new case form knows them.
    page.goto(f"{live_server.url}/desk/new/")
    page.fill("#client-find", "Anna")
    page.get_by_role("link", name="Anna Nowak").click()
    expect(page.locator("#chosen-client")).to_contain_text("Anna Nowak")
    _shoot(page, f"desk-new-case-{width}")

    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    assert case.messages.filter(direction="out", author=olena).count() == 1
    assert not violations, violations
    context.close()
