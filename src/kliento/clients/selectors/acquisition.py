"""Clients grouped by when they were acquired (`client_since`), for the cohort tables of the
metric layer (kliento.metrics.cohorts): each cohort's size, its revenue per period since
acquisition, and how many of it are active at the end of each later period.

Periods are calendar months or quarters. Offsets count calendar periods: a client acquired in
January and buying in March bought in month 2 of its life. Everything is a handful of grouped
queries (one per observed period end for the active counts), never a row per client.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth, TruncQuarter

from kliento.clients.models import Client, Purchase
from kliento.clients.selectors.cohorts import active_at_end_of

Grain = Literal["month", "quarter"]


def period_start(day: dt.date, grain: Grain) -> dt.date:
    if grain == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return dt.date(day.year, day.month, 1)


def _index(day: dt.date, grain: Grain) -> int:
    """Periods since year 0: the difference of two is an offset."""
    months = day.year * 12 + day.month - 1
    return months // 3 if grain == "quarter" else months


def _from_index(index: int, grain: Grain) -> dt.date:
    months = index * 3 if grain == "quarter" else index
    return dt.date(months // 12, months % 12 + 1, 1)


def period_end(day: dt.date, grain: Grain) -> dt.date:
    return _from_index(_index(day, grain) + 1, grain) - dt.timedelta(days=1)


@dataclass
class AcquisitionCohort:
    start: dt.date  # first day of the acquisition period
    size: int
    # Offset (periods since acquisition) → revenue of the cohort's purchases in that period.
    revenue: dict[int, Decimal] = field(default_factory=dict)
    # Offset → members active at the end of that period (at `as_of` for the current one).
    active: dict[int, int] = field(default_factory=dict)
    # Offsets observed so far: 0 .. last_offset (the last may be a period still running).
    last_offset: int = 0


def _trunc(name: str, grain: Grain) -> TruncMonth | TruncQuarter:
    return TruncQuarter(name) if grain == "quarter" else TruncMonth(name)


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def acquisition_cohorts(
    *,
    first: dt.date,
    last: dt.date,
    grain: Grain,
    as_of: dt.date,
    currency: str,
    inactive_days: int | None = None,
) -> list[AcquisitionCohort]:
    """The cohorts acquired from the period holding `first` to the one holding `last`, observed
    up to `as_of` (revenue in `currency` only; no exchange rates are assumed). Purchases dated
    before their client's acquisition period count in period 0: the client bought then."""
    low, high = period_start(first, grain), period_end(min(last, as_of), grain)
    members = Client.objects.filter(client_since__gte=low, client_since__lte=high)
    cohorts = {
        _as_date(row["cohort"]): AcquisitionCohort(start=_as_date(row["cohort"]), size=row["n"])
        for row in members.annotate(cohort=_trunc("client_since", grain))
        .values("cohort")
        .annotate(n=Count("id"))
        .order_by()
    }
    if not cohorts:
        return []
    now = _index(as_of, grain)
    for cohort in cohorts.values():
        cohort.last_offset = now - _index(cohort.start, grain)
    sales = (
        Purchase.objects.filter(
            client__client_since__gte=low,
            client__client_since__lte=high,
            occurred_on__lte=as_of,
            currency=currency.upper(),
        )
        .annotate(cohort=_trunc("client__client_since", grain), bought=_trunc("occurred_on", grain))
        .values("cohort", "bought")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in sales:
        cohort = cohorts[_as_date(row["cohort"])]
        offset = max(0, _index(_as_date(row["bought"]), grain) - _index(cohort.start, grain))
        cohort.revenue[offset] = cohort.revenue.get(offset, Decimal("0")) + row["total"]
    # One grouped count per period end: every cohort acquired by then, at once.
    for index in range(_index(low, grain), now + 1):
        day = min(_from_index(index + 1, grain) - dt.timedelta(days=1), as_of)
        counts = (
            active_at_end_of(day, inactive_days=inactive_days)
            .filter(client_since__gte=low, client_since__lte=min(high, day))
            .annotate(cohort=_trunc("client_since", grain))
            .values("cohort")
            .annotate(n=Count("id"))
            .order_by()
        )
        for counted in counts:
            cohort = cohorts[_as_date(counted["cohort"])]
            cohort.active[index - _index(cohort.start, grain)] = counted["n"]
    return sorted(cohorts.values(), key=lambda c: c.start)
