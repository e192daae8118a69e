"""Counts of clients by when they were clients, for the metric layer (kliento.metrics).

A client is a client from `client_since` (see kliento.clients.rules) until it is lost. When it
is lost depends on the churn rule the company uses:

- "left" (the default): on `left_on`, the day its status became "left";
- "inactivity" after N days: at its last activity + N days, the last activity being its latest
  purchase, or `client_since` before any purchase; a client marked as left is lost on `left_on`
  if that comes first.

"Active at the end of day D" means a client by D and not lost by D. Every count is one query.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kliento.clients.models import Client, Purchase


def active_at_end_of(day: dt.date, *, inactive_days: int | None = None) -> QuerySet[Client]:
    """The clients active at the end of `day` under the rule (None: "left")."""
    active = Client.objects.filter(client_since__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )
    if inactive_days is None:
        return active
    last = Subquery(
        Purchase.objects.filter(client=OuterRef("pk"), occurred_on__lte=day)
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    return active.annotate(last_activity=Coalesce(last, "client_since")).filter(
        last_activity__gt=day - dt.timedelta(days=inactive_days)
    )


@dataclass(frozen=True)
class CohortCounts:
    n_start: int  # active at the end of the day before the period
    n_retained: int  # of those, still active at the end of its last day
    n_new: int  # became clients during the period (client_since within it)
    n_end: int  # active at the end of the period, whenever they came


def cohort_counts(
    *, start: dt.date, end: dt.date, inactive_days: int | None = None
) -> CohortCounts:
    before = start - dt.timedelta(days=1)
    at_start = active_at_end_of(before, inactive_days=inactive_days)
    at_end = active_at_end_of(end, inactive_days=inactive_days)
    return CohortCounts(
        n_start=at_start.count(),
        # Under inactivity a client lost before the period may come back during it: it is
        # active at the end but was not in the cohort.
        n_retained=at_end.filter(pk__in=at_start.values("pk")).count(),
        n_new=Client.objects.filter(client_since__gte=start, client_since__lte=end).count(),
        n_end=at_end.count(),
    )


@dataclass(frozen=True)
class PurchaseTotals:
    currency: str
    revenue: Decimal
    purchases: int
    buyers: int


def purchase_totals(*, start: dt.date, end: dt.date, currency: str | None = None) -> PurchaseTotals:
    """Revenue, number of purchases and of buying clients in the period, in one currency (no
    exchange rates are assumed; the default currency when none is given)."""
    currency = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    totals = (
        Purchase.objects.filter(occurred_on__gte=start, occurred_on__lte=end, currency=currency)
        .order_by()
        .aggregate(
            revenue=Sum("amount"),
            purchases=Count("id"),
            buyers=Count("client_id", distinct=True),
        )
    )
    return PurchaseTotals(
        currency=currency,
        revenue=totals["revenue"] or Decimal("0"),
        purchases=totals["purchases"],
        buyers=totals["buyers"],
    )
