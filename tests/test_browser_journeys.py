"""A manager drags a client to the next stage on the journey board; the move shows on the
client's card, in the journey panel and on the timeline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kliento.core import roles
from kliento.journeys import services
from kliento.journeys.selectors import current_stage_ids
from tests.factories import ClientFactory, UserFactory
from tests.journeys_helpers import make_journey
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_drag_a_client_to_the_next_stage_and_see_it_on_the_card(live_server, browser):  # noqa: F811
    manager = UserFactory(username="maria", role=roles.MANAGER)
    journey, stages = make_journey()
    client = ClientFactory(name="Ewa Board")
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/journeys/{journey.pk}/")
    page.fill("#id_username", "maria")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/journeys/{journey.pk}/")
    # Conversion arrives after the board, by htmx.
    expect(page.locator("#conversion-panel #conversion")).to_contain_text("Awareness")
    expect(page.locator("[data-figures-as-of]")).to_contain_text("Stage figures as of")

    card = page.locator(f".journey-card[data-client-id='{client.pk}']")
    target = page.locator(f"[data-drop-stage='{stages['Purchase'].pk}']")
    # Picked up by its "days here" line: the middle of the card is its move form.
    card.locator(".small").first.drag_to(target)
    moved = page.locator(f"[data-drop-stage='{stages['Purchase'].pk}'] .journey-card")
    expect(moved).to_contain_text("Ewa Board")
    expect(page.locator(".alert-success")).to_be_visible()
    assert current_stage_ids(client_id=client.pk) == [stages["Purchase"].pk]

    moved.get_by_role("link", name="Ewa Board").click()
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")
    expect(page.locator("#journey-panel [data-current-stage]")).to_have_text("Purchase")
    expect(
        page.locator("#timeline").get_by_text("Awareness → Purchase", exact=True)
    ).to_be_visible()


def test_on_a_phone_an_agent_moves_their_client_with_the_button(live_server, browser):  # noqa: F811
    agent = UserFactory(username="ola", role=roles.AGENT)
    journey, stages = make_journey()
    mine = ClientFactory(name="Mine Client", account_manager=agent)
    other = ClientFactory(name="Other Client")
    for client in (mine, other):
        services.move_client(actor=None, client_id=client.pk, to_stage=stages["Awareness"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/journeys/{journey.pk}/")
    page.fill("#id_username", "ola")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/journeys/{journey.pk}/")
    # The page itself does not scroll sideways: the board does, inside it.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Only the agent's own client has a move button.
    expect(page.get_by_role("button", name="Move Other Client to Purchase")).to_have_count(0)
    page.get_by_role("button", name="Move Mine Client to Purchase").click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert current_stage_ids(client_id=mine.pk) == [stages["Purchase"].pk]
    assert current_stage_ids(client_id=other.pk) == [stages["Awareness"].pk]
    # The conversion panel loads after the board (htmx): let it arrive before the database is
    # flushed, or the live server's request races the teardown on SQLite.
    expect(page.locator("#conversion-panel #conversion")).to_contain_text("Awareness")
    context.close()
