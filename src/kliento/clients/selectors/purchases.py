"""Purchases and the figures derived from them: a client's statistics, revenue per client."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from kliento.clients.models import Client, Purchase
from kliento.core.money import CENT

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


@dataclass(frozen=True)
class CurrencyTotals:
    currency: str
    revenue: Decimal
    count: int
    average: Decimal


@dataclass(frozen=True)
class PurchaseStats:
    totals: list[CurrencyTotals]
    count: int
    first: dt.date | None
    last: dt.date | None

    @property
    def recency_days(self) -> int | None:
        if self.last is None:
            return None
        return (timezone.localdate() - self.last).days


def purchase_stats(client: Client | int) -> PurchaseStats:
    """Revenue, count, average check per currency, first/last purchase and recency."""
    rows = (
        Purchase.objects.filter(client=client)
        .values("currency")
        .annotate(
            revenue=Sum("amount"), n=Count("id"), first=Min("occurred_on"), last=Max("occurred_on")
        )
        .order_by("-revenue")
    )
    totals: list[CurrencyTotals] = []
    firsts: list[dt.date] = []
    lasts: list[dt.date] = []
    for row in rows:
        # SQLite sums decimals without their scale; money always has two places here.
        revenue = Decimal(row["revenue"]).quantize(CENT)
        avg = (revenue / row["n"]).quantize(CENT)
        totals.append(CurrencyTotals(row["currency"], revenue, row["n"], avg))
        firsts.append(row["first"])
        lasts.append(row["last"])
    return PurchaseStats(
        totals=totals,
        count=sum(t.count for t in totals),
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
    )


def recent_purchases(client: Client | int, *, limit: int = 10) -> list[Purchase]:
    return list(Purchase.objects.filter(client=client).order_by("-occurred_on", "-id")[:limit])


def purchases_between(
    *,
    client: Client | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    currency: str = "",
) -> QuerySet[Purchase]:
    """Purchases, newest first, optionally of one client, in a date range and one currency."""
    qs = Purchase.objects.all()
    if client is not None:
        qs = qs.filter(client=client)
    if since is not None:
        qs = qs.filter(occurred_on__gte=since)
    if until is not None:
        qs = qs.filter(occurred_on__lte=until)
    if currency:
        qs = qs.filter(currency=currency.upper())
    return qs.order_by("-occurred_on", "-id")


class Revenue(TypedDict):
    revenue: Decimal


class ClientRevenue(TypedDict):
    client_id: int
    revenue: Decimal


def revenue_by_client(
    *, start: dt.date, end: dt.date, currency: str
) -> QuerySet[WithAnnotations[Purchase, Revenue], ClientRevenue]:
    """One row per client who bought in the period: {"client_id", "revenue"} in one currency.

    A query, not a list: analyses rank, count and sum it inside the database (a large base has
    hundreds of thousands of buying clients).
    """
    return (
        Purchase.objects.filter(
            occurred_on__gte=start, occurred_on__lte=end, currency=currency.upper()
        )
        .values("client_id")
        .annotate(revenue=Sum("amount"))
    )


@dataclass(frozen=True)
class CurrencySeries:
    currency: str
    # One amount per month of `MonthlyRevenue.months`, zero where nothing was bought.
    amounts: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, Decimal("0.00"))


@dataclass(frozen=True)
class MonthlyRevenue:
    months: list[dt.date]  # the first day of each month, oldest first
    series: list[CurrencySeries]  # by currency, largest total first

    @property
    def has_data(self) -> bool:
        return bool(self.series)

    @property
    def rows(self) -> list[tuple[dt.date, list[Decimal]]]:
        """The months with purchases, each with its amount per currency (the chart as a table)."""
        rows = [(month, [s.amounts[i] for s in self.series]) for i, month in enumerate(self.months)]
        return [(month, amounts) for month, amounts in rows if any(amounts)]


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    first = today.replace(day=1)
    months = []
    for back in range(count - 1, -1, -1):
        index = first.year * 12 + first.month - 1 - back
        months.append(dt.date(index // 12, index % 12 + 1, 1))
    return months


def monthly_revenue(
    client: Client | int, *, months: int = 24, today: dt.date | None = None
) -> MonthlyRevenue:
    """A client's revenue per calendar month and currency over the last `months` months (this
    month included). Currencies are never added together."""
    calendar = _months_back(today or timezone.localdate(), months)
    since = calendar[0]
    rows = (
        Purchase.objects.filter(client=client, occurred_on__gte=since)
        .annotate(year=ExtractYear("occurred_on"), month=ExtractMonth("occurred_on"))
        .values("year", "month", "currency")
        .annotate(revenue=Sum("amount"))
        .order_by()
    )
    index = {(month.year, month.month): i for i, month in enumerate(calendar)}
    sums: dict[str, list[Decimal]] = {}
    for row in rows:
        slot = index.get((row["year"], row["month"]))
        if slot is None:  # dated after this month
            continue
        amounts = sums.setdefault(row["currency"], [Decimal("0.00")] * len(calendar))
        # SQLite sums decimals without their scale; money always has two places here.
        amounts[slot] = Decimal(row["revenue"]).quantize(CENT)
    series = [CurrencySeries(currency, amounts) for currency, amounts in sums.items()]
    series.sort(key=lambda s: (-s.total, s.currency))
    return MonthlyRevenue(calendar, series)


def purchase_occasions(*, until: dt.date, currency: str) -> Iterator[tuple[int, dt.date, Decimal]]:
    """(client_id, day, amount) per client and day up to `until`, in one currency, ordered by
    client then day; a day's purchases are one row with their amounts added (the CLV models
    count purchase occasions). Streamed: a large base has millions of rows."""
    rows = (
        Purchase.objects.filter(occurred_on__lte=until, currency=currency.upper())
        .values_list("client_id", "occurred_on")
        .annotate(total=Sum("amount"))
        .order_by("client_id", "occurred_on")
    )
    for client_id, day, total in rows.iterator(chunk_size=5000):
        yield client_id, day, Decimal(total)
