"""Acquisition cohorts: LTV to date and retention per period since acquisition, on a
hand-computed dataset, under both churn rules and both grains; the page, the API and the CSV."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kliento.clients.models import Client
from kliento.metrics.cohorts import cohort_table
from kliento.metrics.registry import ChurnRule
from tests.api_support import api_as, error_locs
from tests.factories import PurchaseFactory

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2025, 4, 15)


@pytest.fixture
def base():
    """January: A (buys 100 on 10 Jan, 50 on 3 Mar) and B (buys 30, leaves 10 Feb);
    February: C (buys 20 on 2 Feb, 40 on 1 Apr). December's D and a EUR sale are not counted."""
    a = Client.objects.create(name="A", client_since=dt.date(2025, 1, 5))
    b = Client.objects.create(
        name="B", client_since=dt.date(2025, 1, 20), status="left", left_on=dt.date(2025, 2, 10)
    )
    c = Client.objects.create(name="C", client_since=dt.date(2025, 2, 1))
    d = Client.objects.create(name="D", client_since=dt.date(2024, 12, 1))
    PurchaseFactory(client=a, occurred_on=dt.date(2025, 1, 10), amount="100")
    PurchaseFactory(client=a, occurred_on=dt.date(2025, 3, 3), amount="50")
    PurchaseFactory(client=b, occurred_on=dt.date(2025, 1, 25), amount="30")
    PurchaseFactory(client=c, occurred_on=dt.date(2025, 2, 2), amount="20")
    PurchaseFactory(client=c, occurred_on=dt.date(2025, 4, 1), amount="40")
    PurchaseFactory(client=c, occurred_on=dt.date(2025, 4, 2), amount="999", currency="EUR")
    PurchaseFactory(client=d, occurred_on=dt.date(2025, 1, 2), amount="999")


def table(grain="month", rule=None):
    return cohort_table(
        first=dt.date(2025, 1, 1),
        last=dt.date(2025, 3, 31),
        grain=grain,
        as_of=AS_OF,
        rule=rule or ChurnRule(),
    )


def test_monthly_ltv_to_date(base):
    january, february = table().rows
    assert (january.start, january.size, february.start, february.size) == (
        dt.date(2025, 1, 1),
        2,
        dt.date(2025, 2, 1),
        1,
    )
    assert [c.revenue for c in january.cells] == [Decimal(130), 0, Decimal(50), 0]
    assert [c.ltv for c in january.cells] == [Decimal(65), Decimal(65), Decimal(90), Decimal(90)]
    assert [c.ltv for c in february.cells] == [Decimal(20), Decimal(20), Decimal(60)]


def test_monthly_retention_when_left(base):
    january, february = table().rows
    assert [c.retention for c in january.cells] == [1.0, 0.5, 0.5, 0.5]
    assert [c.active for c in february.cells] == [1, 1, 1]


def test_monthly_retention_under_thirty_days_of_inactivity(base):
    january, february = table(rule=ChurnRule(inactive_days=30)).rows
    # A: active at 31 Jan, lapsed by 28 Feb, back on 3 Mar, lapsed again by 15 Apr.
    assert [c.active for c in january.cells] == [2, 0, 1, 0]
    assert [c.active for c in february.cells] == [1, 0, 1]


def test_quarterly_cohorts(base):
    (first,) = table(grain="quarter").rows
    assert (first.start, first.size) == (dt.date(2025, 1, 1), 3)
    assert [c.ltv.quantize(Decimal("0.01")) for c in first.cells] == [
        Decimal("66.67"),
        Decimal("80.00"),
    ]
    assert [c.retention for c in first.cells] == [0.666667, 0.666667]


def test_no_clients_no_cohorts():
    assert table().rows == []


def test_the_page_draws_heat_maps_and_exports_csv(as_manager, base):
    params = {"start": "2025-01-01", "end": "2025-03-31", "grain": "month"}
    response = as_manager.get(reverse("metrics:cohorts"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="cohort-ltv"' in html and 'id="cohort-retention"' in html
    assert "--v: 1.000" in html  # the largest LTV takes the full colour
    assert "table-responsive" in html  # scrolls sideways on a phone
    csv = as_manager.get(reverse("metrics:cohorts_retention_csv"), params)
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0].startswith("cohort,size,0,1,2,3,")  # to today: more periods follow
    assert lines[1].startswith("2025-01-01,2,1.0,0.5")
    bad = as_manager.get(reverse("metrics:cohorts_ltv_csv"), {"start": "x", "end": "y"})
    assert bad.status_code == 400
    refused = as_manager.get(
        reverse("metrics:cohorts"), {"start": "2025-03-01", "end": "2025-01-01"}
    )
    assert "end" in refused.context["form"].errors


def test_the_api_gives_every_cell_with_its_inputs(manager, base):
    got = api_as(manager).get(
        "/metrics/cohorts", {"from": "2025-01-01", "to": "2025-03-31", "grain": "quarter"}
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["grain"], body["rule"], body["currency"]) == ("quarter", "left", "PLN")
    cohort = body["cohorts"][0]
    assert cohort["size"] == 3
    assert cohort["periods"][1] == {
        "offset": 1,
        "revenue": "40.00",
        "ltv": "80.00",
        "active": 2,
        "retention": 0.666667,
    }
    api = api_as(manager)
    reversed_period = {"from": "2025-03-01", "to": "2025-01-01"}
    assert error_locs(api.get("/metrics/cohorts", reversed_period)) == [("query", "to")]
    assert error_locs(
        api.get("/metrics/cohorts", {"from": "2025-01-01", "to": "2025-03-01", "grain": "week"})
    ) == [("query", "grain")]


def test_who_may_see_cohorts(as_agent, agent, auditor):
    assert as_agent.get(reverse("metrics:cohorts")).status_code == 403
    assert (
        api_as(agent)
        .get("/metrics/cohorts", {"from": "2025-01-01", "to": "2025-02-01"})
        .status_code
        == 403
    )
    got = api_as(auditor).get("/metrics/cohorts", {"from": "2025-01-01", "to": "2025-02-01"})
    assert got.status_code == 200


def test_cohorts_go_back_at_most_ten_years(as_manager, manager):
    params = {"from": "1990-01-01", "to": "1990-12-31"}
    assert error_locs(api_as(manager).get("/metrics/cohorts", params)) == [("query", "from")]
    page = as_manager.get(reverse("metrics:cohorts"), {"start": "1990-01-01", "end": "1990-12-31"})
    assert "start" in page.context["form"].errors
