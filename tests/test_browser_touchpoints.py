"""In a real browser, on a phone's width and under the Content-Security-Policy: an agent records
an impression from the client card (htmx), and the touchpoint's page draws its chart."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kliento.core import roles
from kliento.touchpoints import services
from kliento.touchpoints.models import Impression
from tests.factories import ClientFactory, UserFactory
from tests.test_browser import browser, page  # noqa: F401  (fixtures)
from tests.test_browser_csp import _login, violations  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_records_an_impression_and_the_chart_draws(live_server, page, violations):  # noqa: F811
    agent = UserFactory(username="olena", role=roles.AGENT)
    touchpoint = services.create_touchpoint(
        actor=None,
        name="First phone call",
        kind="business",
        category="phone_line",
        owner=agent,
        regulation="Pick up by the **third ring**.",
    )
    client = ClientFactory(name="Anna Nowak")
    page.set_viewport_size({"width": 390, "height": 844})
    _login(page, live_server, "olena")

    page.goto(f"{live_server.url}/clients/{client.pk}/")
    form = page.locator("#impression-form")
    form.locator("select[name=touchpoint]").select_option(str(touchpoint.pk))
    form.locator("input[name=sentiment][value=negative]").check()
    form.locator("textarea[name=text]").fill("Nobody picked up")
    page.click("#impression-submit")
    expect(page.locator("#client-impressions")).to_contain_text("Nobody picked up")
    expect(page.locator("#impressions-body [role=status]")).to_be_visible()
    assert Impression.objects.get().sentiment == "negative"

    page.goto(f"{live_server.url}/touchpoints/{touchpoint.pk}/")
    expect(page.locator("#regulation strong")).to_have_text("third ring")
    expect(page.locator("#impression-chart")).to_be_visible()
    # Chart.js sizes the canvas to its box once it has drawn.
    expect(page.locator("#impression-chart")).to_have_attribute("style", re.compile("height"))
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations == []
