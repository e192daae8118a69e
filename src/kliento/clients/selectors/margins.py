"""Costs and margins of purchases, for the metric layer (LTV on margin, key clients on margin).

A purchase's cost is optional: margin figures are computed over the purchases that have one,
and every reader is told how many did not (and which, on request), so a margin from a tenth of
the purchases is never mistaken for the whole company's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum

from kliento.clients.models import Purchase


@dataclass(frozen=True)
class CostCoverage:
    currency: str
    revenue_with_cost: Decimal  # the amounts of the purchases that have a cost
    cost: Decimal  # their costs
    with_cost: int
    without_cost: int
    revenue_without_cost: Decimal


def _period(start: dt.date, end: dt.date, currency: str | None) -> tuple[QuerySet[Purchase], str]:
    code = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    return (
        Purchase.objects.filter(occurred_on__gte=start, occurred_on__lte=end, currency=code),
        code,
    )


def cost_coverage(*, start: dt.date, end: dt.date, currency: str | None = None) -> CostCoverage:
    """One grouped query: the purchases of the period in one currency, split by having a cost."""
    purchases, code = _period(start, end, currency)
    known = Q(cost__isnull=False)
    totals = purchases.order_by().aggregate(
        revenue_with_cost=Sum("amount", filter=known),
        total_cost=Sum("cost", filter=known),
        with_cost=Count("id", filter=known),
        without_cost=Count("id", filter=~known),
        revenue_without_cost=Sum("amount", filter=~known),
    )
    zero = Decimal("0")
    return CostCoverage(
        currency=code,
        revenue_with_cost=totals["revenue_with_cost"] or zero,
        cost=totals["total_cost"] or zero,
        with_cost=totals["with_cost"],
        without_cost=totals["without_cost"],
        revenue_without_cost=totals["revenue_without_cost"] or zero,
    )


def purchases_without_cost(
    *, start: dt.date, end: dt.date, currency: str | None = None
) -> QuerySet[Purchase]:
    """The purchases a margin figure of the period left out, newest first."""
    purchases, _code = _period(start, end, currency)
    return purchases.filter(cost__isnull=True).order_by("-occurred_on", "-id")


def margin_by_client(*, start: dt.date, end: dt.date, currency: str) -> QuerySet[Any]:
    """One row per client with a costed purchase in the period: {"client_id", "revenue"}, where
    "revenue" is the gross margin (amount - cost summed), named so that the key-client analysis
    ranks it exactly as it ranks revenue."""
    purchases, _code = _period(start, end, currency)
    return (
        purchases.filter(cost__isnull=False)
        .values("client_id")
        .annotate(revenue=Sum(F("amount") - F("cost")))
    )
