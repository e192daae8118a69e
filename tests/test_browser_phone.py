"""Kliento on a phone (390 px): hostile content (a 2,000-character word, long labels, long names)
wraps or scrolls inside its box, and no page is ever wider than the screen."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kliento.clients import services
from kliento.core import roles
from kliento.core.models import OrgUnit, StaffProfile
from kliento.imports.models import ImportJob
from tests.factories import ClientFactory, TagFactory, UserFactory
from tests.test_browser import browser  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390
WORD = "x" * 2000


@pytest.fixture
def hostile(db):
    manager = UserFactory(
        username="marta", first_name="M" * 150, last_name="Zielińska", role=roles.MANAGER
    )
    manager.is_staff = False
    manager.save()
    client = ClientFactory(
        name="Hostile " + "y" * 190,
        job_title="z" * 200,
        notes=WORD,
        external_ref="r" * 100,
        account_manager=manager,
    )
    client.tags.add(TagFactory(name="t" * 60))
    services.add_contact(
        actor=manager, client=client, kind="messenger", value="h" * 250, label="l" * 60
    )
    services.add_contact(
        actor=manager,
        client=client,
        kind="email",
        value="a" * 60 + "@" + "b" * 60 + ".com",
        label="L" * 60,
    )
    services.add_portrait_fact(
        actor=manager, client=client, category="family", text=WORD, source="conversation"
    )
    services.record_purchase(
        actor=manager,
        client=client,
        occurred_on=timezone.localdate() - dt.timedelta(days=3),
        amount=Decimal("123456789.50"),
        currency="PLN",
        description=WORD[:500],
    )
    unit = OrgUnit.objects.create(name="U" * 200, kind=OrgUnit.Kind.COMPANY)
    StaffProfile.objects.create(user=manager, unit=unit, position="P" * 100)
    ImportJob.objects.create(
        target="clients",
        original_name="n" * 200 + ".csv",
        status=ImportJob.Status.DONE,
        created_by=manager,
    )
    return client


@pytest.mark.parametrize("language", ["en-GB", "pl-PL"])
def test_no_page_is_wider_than_a_phone(live_server, browser, hostile, language):  # noqa: F811
    context = browser.new_context(viewport={"width": WIDTH, "height": 844}, locale=language)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", "marta")
        page.fill("#id_password", "secret-pass-123")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        today = timezone.localdate()
        for path in [
            f"/clients/{hostile.pk}/",
            f"/clients/{hostile.pk}/edit/",
            "/clients/",
            "/import/",
            f"/clients/key/?start={today.replace(year=today.year - 1)}&end={today}&currency=PLN",
            "/organisation/",
        ]:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state()
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width == WIDTH, f"{path} is {width} px wide at {WIDTH} px"
        # The purchase's date stays on one line.
        page.goto(f"{live_server.url}/clients/{hostile.pk}/")
        lines = page.evaluate(
            """() => {
              const range = document.createRange();
              range.selectNodeContents(document.querySelector('#purchases td.text-nowrap'));
              return range.getClientRects().length;
            }"""
        )
        assert lines == 1
    finally:
        context.close()
