"""The client metrics on hand-computed fixtures: seed 003's churn example, empty periods, a
period with no churn, tiny samples, the inactivity rule, revenue figures and LTV."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kliento.clients.models import Client, Purchase
from kliento.metrics.registry import UNBOUNDED, ChurnRule, Period, compute, metrics

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
LEFT = ChurnRule()


def clients(n: int, since: dt.date, left_on: dt.date | None = None, prefix: str = "c") -> list:
    status = Client.Status.LEFT if left_on else Client.Status.ACTIVE
    return Client.objects.bulk_create(
        Client(name=f"{prefix}{i}", client_since=since, status=status, left_on=left_on)
        for i in range(n)
    )


@pytest.fixture
def dance_school():
    """Seed 003: 250 clients at the start of the year, 150 of them at its end, 120 arrivals."""
    clients(150, dt.date(2023, 9, 1), prefix="stays")
    clients(1, dt.date(2024, 1, 1), left_on=dt.date(2025, 1, 1), prefix="first-day")
    clients(99, dt.date(2024, 1, 1), left_on=dt.date(2025, 12, 31), prefix="last-day")
    clients(119, dt.date(2025, 3, 1), prefix="new")
    clients(1, dt.date(2025, 12, 31), left_on=dt.date(2025, 12, 31), prefix="new-and-gone")
    # Gone before the year began: in no cohort.
    clients(7, dt.date(2022, 1, 1), left_on=dt.date(2024, 12, 31), prefix="old")


def report(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_seed_003_churn_is_40_percent_and_lifetime_30_months(dance_school):
    result = compute("churn", YEAR, LEFT)
    assert result.inputs == {"n_start": 250, "n_retained": 150, "n_new_excluded": 120}
    assert result.value == 0.4
    assert result.extra == {"lifetime_periods": 2.5, "lifetime_months": 30.0}
    assert compute("churned", YEAR, LEFT).value == 100
    assert compute("new", YEAR, LEFT).value == 120
    assert compute("active", YEAR, LEFT).value == 150 + 119
    assert compute("lifetime", YEAR, LEFT).value == 30.0


def test_the_report_prints_the_issues_json_exactly(dance_school):
    printed = report("churn", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
    assert printed.strip() == (
        '{"metric": "churn", "from": "2025-01-01", "to": "2025-12-31", "rule": "left", '
        '"inputs": {"n_start": 250, "n_retained": 150, "n_new_excluded": 120}, "value": 0.4, '
        '"lifetime_periods": 2.5, "lifetime_months": 30.0}'
    )


def test_the_report_as_table_and_csv(dance_school):
    table = report("churn", "--from", "2025-01-01", "--to", "2025-12-31")
    assert "value" in table and "0.4" in table and "n_retained" in table and "left" in table
    lines = report(
        "lifetime", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "csv"
    ).splitlines()
    row = dict(zip(lines[0].split(","), lines[1].split(","), strict=True))
    assert row["value"] == "30.0"
    assert row["lifetime_periods"] == "2.5"
    assert row["input_n_start"] == "250"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nps_of_the_moon", "--from", "2025-01-01", "--to", "2025-01-02"], "Unknown metric"),
        (["churn", "--from", "2025-13-01", "--to", "2025-12-31"], "Not a date"),
        (["churn", "--from", "2025-02-01", "--to", "2025-01-31"], "ends before it starts"),
        (["churn", "--from", "2025-01-01", "--to", "2025-01-31", "--inactive-days", "-1"], "0"),
    ],
)
def test_the_report_refuses_bad_arguments(args, message):
    with pytest.raises(CommandError, match=message):
        report(*args)


def test_an_empty_period_has_no_values_and_no_errors():
    for definition in metrics():
        result = compute(definition.key, YEAR, LEFT)
        assert result.value in (None, 0, "0.00"), definition.key
    churn = compute("churn", YEAR, LEFT)
    assert churn.value is None
    assert churn.extra == {"lifetime_periods": None, "lifetime_months": None}
    assert compute("average_check", YEAR, LEFT).value is None
    assert compute("revenue", YEAR, LEFT).value == "0.00"


def test_with_no_churn_lifetime_and_ltv_are_unbounded():
    (client,) = clients(1, dt.date(2024, 1, 1))
    Purchase.objects.create(
        client=client, occurred_on=dt.date(2025, 5, 1), amount=Decimal("50"), currency="PLN"
    )
    churn = compute("churn", YEAR, LEFT)
    assert churn.value == 0.0
    assert churn.extra == {"lifetime_periods": UNBOUNDED, "lifetime_months": UNBOUNDED}
    assert compute("lifetime", YEAR, LEFT).value == UNBOUNDED
    assert compute("ltv", YEAR, LEFT).value == UNBOUNDED
    printed = json.loads(
        report("churn", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "json")
    )
    assert printed["lifetime_months"] == "unbounded"


def test_a_tiny_sample_over_a_quarter():
    clients(1, dt.date(2024, 1, 1), left_on=dt.date(2025, 2, 1))
    clients(2, dt.date(2024, 1, 1))
    quarter = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    churn = compute("churn", quarter, LEFT)
    assert churn.inputs == {"n_start": 3, "n_retained": 2, "n_new_excluded": 0}
    assert churn.value == round(1 / 3, 6)
    assert churn.extra == {"lifetime_periods": 3.0, "lifetime_months": 9.0}


def test_the_inactivity_rule_counts_a_client_lost_at_last_purchase_plus_n_days():
    lapsing, buying, _idle, returning = clients(4, dt.date(2024, 1, 1))
    for client, day in (
        (lapsing, dt.date(2025, 1, 10)),  # lost on 9 February
        (buying, dt.date(2025, 1, 20)),
        (buying, dt.date(2025, 2, 20)),  # still buying
        (returning, dt.date(2024, 6, 1)),  # lost long ago ...
        (returning, dt.date(2025, 2, 25)),  # ... back in February: not in the cohort
    ):
        Purchase.objects.create(client=client, occurred_on=day, amount=Decimal("1"), currency="PLN")
    # `idle` never bought: its last activity is its client-since date, so it is lost already.
    february = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    churn = compute("churn", february, ChurnRule(inactive_days=30))
    assert churn.rule == "inactivity_30d"
    assert churn.inputs == {"n_start": 2, "n_retained": 1, "n_new_excluded": 0}
    assert churn.value == 0.5
    assert churn.extra == {"lifetime_periods": 2.0, "lifetime_months": 2.0}
    assert compute("active", february, ChurnRule(inactive_days=30)).value == 2
    # Under the "left" rule nobody left.
    assert compute("churn", february, LEFT).value == 0.0


def test_the_companys_setting_chooses_the_rule(settings):
    settings.KLIENTO_CHURN_INACTIVE_DAYS = 90
    assert compute("churn", YEAR).rule == "inactivity_90d"
    settings.KLIENTO_CHURN_INACTIVE_DAYS = 0
    assert compute("churn", YEAR).rule == "left"


def test_revenue_average_check_frequency_and_ltv():
    first, second, third, fourth = clients(4, dt.date(2024, 1, 1))
    Client.objects.filter(pk__in=[third.pk, fourth.pk]).update(
        status=Client.Status.LEFT, left_on=dt.date(2025, 7, 1)
    )
    for client, day, amount, currency in (
        (first, dt.date(2025, 1, 1), "1000", "PLN"),
        (first, dt.date(2025, 12, 31), "2000", "PLN"),
        (second, dt.date(2025, 6, 1), "1800", "PLN"),
        (second, dt.date(2025, 6, 1), "999", "EUR"),  # another currency: not summed
        (second, dt.date(2024, 12, 31), "999", "PLN"),  # before the period
    ):
        Purchase.objects.create(
            client=client, occurred_on=day, amount=Decimal(amount), currency=currency
        )
    revenue = compute("revenue", YEAR, LEFT)
    assert revenue.value == "4800.00"
    assert revenue.inputs == {"currency": "PLN", "n_purchases": 3, "n_buyers": 2}
    assert compute("average_check", YEAR, LEFT).value == "1600.00"
    assert compute("purchase_frequency", YEAR, LEFT).value == 1.5
    ltv = compute("ltv", YEAR, LEFT)
    # 4800 / 4 clients / 12 months = 100 a month; churn 2/4 → 2 years = 24 months.
    assert ltv.inputs["revenue_per_client_month"] == "100.00"
    assert ltv.inputs["lifetime_months"] == 24.0
    assert ltv.value == "2400.00"


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31), 12.0),
        (dt.date(2025, 2, 1), dt.date(2025, 2, 28), 1.0),
        (dt.date(2024, 1, 31), dt.date(2024, 2, 28), 1.0),
        (dt.date(2025, 1, 1), dt.date(2025, 1, 15), 15 / 31),
        (dt.date(2025, 3, 1), dt.date(2025, 5, 31), 3.0),
    ],
)
def test_the_period_counts_calendar_months(start, end, months):
    assert Period(start, end).months == pytest.approx(months)


def test_ltv_is_exact_in_cents_over_a_fractional_period():
    (client,) = clients(1, dt.date(2024, 1, 1))
    clients(2, dt.date(2024, 1, 1), left_on=dt.date(2025, 1, 10), prefix="gone")
    Purchase.objects.create(
        client=client, occurred_on=dt.date(2025, 1, 5), amount=Decimal("100"), currency="PLN"
    )
    half = Period(dt.date(2025, 1, 1), dt.date(2025, 1, 15))  # 15/31 of a month
    ltv = compute("ltv", half, LEFT)
    # 100 / 3 clients / (15/31) months = 68.888… a month; churn 2/3 → 1.5 periods = 45/62
    # months; 68.888… * 45/62 = 50.00 exactly.
    assert ltv.inputs["revenue_per_client_month"] == "68.89"
    assert ltv.value == "50.00"
