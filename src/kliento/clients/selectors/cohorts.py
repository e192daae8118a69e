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
from typing import Any

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from kliento.clients.models import Client, Purchase


def client_ids(
    *,
    segment_id: int | None = None,
    manager_ids: QuerySet[Any] | list[int] | None = None,
    within: QuerySet[Any] | None = None,
    without: QuerySet[Any] | None = None,
) -> QuerySet[Any]:
    """The pks of the clients matching every condition given, as a subquery for the metric
    layer's slices: of a segment, looked after by one of `manager_ids` (account manager), among
    the client ids of `within`, not among those of `without` (querysets of one id column)."""
    qs = Client.objects.all()
    if segment_id is not None:
        qs = qs.filter(segment_id=segment_id)
    if manager_ids is not None:
        qs = qs.filter(account_manager_id__in=manager_ids)
    if within is not None:
        qs = qs.filter(pk__in=within)
    if without is not None:
        qs = qs.exclude(pk__in=without)
    return qs.order_by().values("pk")


def active_at_end_of(
    day: dt.date, *, inactive_days: int | None = None, clients: QuerySet[Any] | None = None
) -> QuerySet[Client]:
    """The clients active at the end of `day` under the rule (None: "left"), among `clients`
    (a subquery of client pks, from `client_ids`) when given."""
    active = Client.objects.filter(client_since__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )
    if clients is not None:
        active = active.filter(pk__in=clients)
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
    *,
    start: dt.date,
    end: dt.date,
    inactive_days: int | None = None,
    clients: QuerySet[Any] | None = None,
) -> CohortCounts:
    before = start - dt.timedelta(days=1)
    at_start = active_at_end_of(before, inactive_days=inactive_days, clients=clients)
    at_end = active_at_end_of(end, inactive_days=inactive_days, clients=clients)
    arrived = Client.objects.filter(client_since__gte=start, client_since__lte=end)
    if clients is not None:
        arrived = arrived.filter(pk__in=clients)
    return CohortCounts(
        n_start=at_start.count(),
        # Under inactivity a client lost before the period may come back during it: it is
        # active at the end but was not in the cohort.
        n_retained=at_end.filter(pk__in=at_start.values("pk")).count(),
        n_new=arrived.count(),
        n_end=at_end.count(),
    )


@dataclass(frozen=True)
class PurchaseTotals:
    currency: str
    revenue: Decimal
    purchases: int
    buyers: int


def purchase_totals(
    *,
    start: dt.date,
    end: dt.date,
    currency: str | None = None,
    clients: QuerySet[Any] | None = None,
) -> PurchaseTotals:
    """Revenue, number of purchases and of buying clients in the period, in one currency (no
    exchange rates are assumed; the default currency when none is given); of `clients` only
    (a subquery of client pks) when given."""
    currency = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    rows = Purchase.objects.filter(occurred_on__gte=start, occurred_on__lte=end, currency=currency)
    if clients is not None:
        rows = rows.filter(client_id__in=clients)
    totals = rows.order_by().aggregate(
        revenue=Sum("amount"),
        purchases=Count("id"),
        buyers=Count("client_id", distinct=True),
    )
    return PurchaseTotals(
        currency=currency,
        revenue=totals["revenue"] or Decimal("0"),
        purchases=totals["purchases"],
        buyers=totals["buyers"],
    )
