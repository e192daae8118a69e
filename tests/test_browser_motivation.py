"""On a phone, the head of service reviews and approves an agent's statement; the agent is told
and the statement shows as frozen."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kliento.core.models import Notification
from kliento.motivation import sources
from kliento.motivation.models import Statement
from kliento.motivation.services import schemes, statements
from tests.motivation_support import MONTH, answer, at, org, scheme, survey
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)
from tests.test_browser_praise import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_approves_a_statement(live_server, browser):  # noqa: F811
    people = org()
    made = scheme(people["head"])
    kpi = schemes.add_kpi(
        actor=people["head"],
        scheme=made,
        source=sources.CSAT,
        target=Decimal("4.6"),
        threshold=Decimal("4"),
    )
    schemes.add_rule(
        actor=people["head"],
        scheme=made,
        name="CSAT bonus",
        kind="percent",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("4.6"),
        percent=Decimal("5"),
    )
    answer(survey("csat"), 5, at(12), agent=people["agent"])
    drafted = statements.generate(actor=people["head"], employee_id=people["agent"].pk, day=MONTH)
    path = f"/motivation/statements/{drafted.pk}/"
    context, page = login(browser, live_server, "head", path)
    page.get_by_text("50.00 EUR").first.wait_for()
    page.get_by_role("button", name="Mark as reviewed").click()
    page.get_by_text("Marked as reviewed.").wait_for()
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Approved: the statement is frozen.").wait_for()
    page.locator("#frozen").wait_for()
    page.locator("#adjust").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert Statement.objects.get(pk=drafted.pk).status == Statement.Status.APPROVED
    assert Notification.objects.filter(recipient=people["agent"]).exists()
