"""The key-client (Pareto) analysis: which clients bring most of the revenue, or of the margin.

Part of the metric layer: `register()` adds its headline figures (the share the top 20% bring,
on revenue and on margin) to the registry, so the page, the API and `kliento report` show the
same number. Values per client come from `kliento.clients.selectors`; ranking, shares and the
curve are computed here, inside the database where the base is large.

On the margin basis only purchases with a cost count (margin = amount - cost); how many purchases
of the period had no cost is part of the result, so a reader sees what was left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.metrics.registry import MetricDefinition, MetricResult, Period, Scope, register_metric
from kliento.metrics.units import money_text

REVENUE = "revenue"
MARGIN = "margin"
BASES = (REVENUE, MARGIN)

# The table under the summary lists this many of the top clients; the flag covers all of them.
PARETO_ROWS_SHOWN = 100
PARETO_CURVE_POINTS = 20


@dataclass
class ParetoRow:
    client_id: int
    name: str
    is_key: bool
    revenue: Decimal
    share: float
    cumulative_share: float


@dataclass
class ParetoResult:
    start: dt.date
    end: dt.date
    currency: str
    buyers: int
    total_revenue: Decimal
    top_count: int = 0
    top_revenue: Decimal = Decimal("0")
    top: list[ParetoRow] = field(default_factory=list)
    top_ids: list[int] = field(default_factory=list)
    basis: str = REVENUE
    # Purchases of the period (in the currency) left out of a margin ranking: they had no cost.
    without_cost: int = 0
    # (share of buying clients, share of revenue) in percent, richest clients first.
    curve: list[tuple[float, float]] = field(default_factory=list)

    @property
    def top_share_percent(self) -> float:
        if not self.total_revenue:
            return 0.0
        return round(float(self.top_revenue / self.total_revenue) * 100, 1)


def pareto(
    *,
    start: dt.date,
    end: dt.date,
    currency: str | None = None,
    top_fraction: float = 0.2,
    basis: str = REVENUE,
) -> ParetoResult:
    """Rank clients who bought in the period by revenue (or margin); the top fraction are the
    key clients.

    Only purchases in one currency are summed (no exchange rates are assumed); clients who bought
    nothing in the period are not in the base, so "top 20%" means 20% of buying clients (on
    margin: of the clients with a costed purchase).
    """
    if basis not in BASES:
        raise ValueError(f"Unknown basis {basis!r}")
    currency = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    if basis == MARGIN:
        per_client = clients.margin_by_client(start=start, end=end, currency=currency)
    else:
        per_client = clients.revenue_by_client(start=start, end=end, currency=currency)
    totals = per_client.aggregate(total=Sum("revenue"), buyers=Count("client_id"))
    buyers = totals["buyers"] or 0
    total = totals["total"] or Decimal("0")
    result = ParetoResult(start, end, currency, buyers, total, basis=basis)
    if basis == MARGIN:
        coverage = clients.cost_coverage(start=start, end=end, currency=currency)
        result.without_cost = coverage.without_cost
    if not buyers or total <= 0:
        # No buyer, or a total margin of nothing or a loss: shares of it mean nothing.
        result.buyers = buyers if total > 0 else 0
        return result
    result.top_count = max(1, round(buyers * top_fraction))
    ranked = per_client.order_by("-revenue", "client_id")[: result.top_count]
    result.top_ids = list(ranked.values_list("client_id", flat=True))
    result.top_revenue = ranked.aggregate(sum=Sum("revenue"))["sum"] or Decimal("0")
    shown = list(ranked[:PARETO_ROWS_SHOWN])
    labels = clients.client_labels(r["client_id"] for r in shown)
    cumulative = Decimal("0")
    for row in shown:
        cumulative += row["revenue"]
        label = labels.get(row["client_id"])
        result.top.append(
            ParetoRow(
                client_id=row["client_id"],
                name=label.name if label else "",
                is_key=bool(label and label.is_key),
                revenue=row["revenue"],
                share=float(row["revenue"] / total) * 100,
                cumulative_share=float(cumulative / total) * 100,
            )
        )
    result.curve = _pareto_curve(per_client, buyers=buyers, total=total)
    return result


def _pareto_curve(
    per_client: QuerySet[Any], *, buyers: int, total: Decimal
) -> list[tuple[float, float]]:
    """Cumulative revenue share at each twentieth of the buying clients, in one query.

    NTILE over the per-client sums splits the ranked buyers into equal groups inside the
    database (PostgreSQL and SQLite both have window functions), so a million buyers cost one
    grouped scan, not a million rows sent to Python.
    """
    buckets = min(PARETO_CURVE_POINTS, buyers)
    inner, params = per_client.values("revenue").query.sql_with_params()
    sql = (
        "SELECT bucket, SUM(revenue), COUNT(*) FROM ("
        f"SELECT revenue, NTILE({buckets}) OVER (ORDER BY revenue DESC) AS bucket "
        f"FROM ({inner}) per_client) ranked GROUP BY bucket ORDER BY bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    curve = [(0.0, 0.0)]
    counted = 0
    revenue = Decimal("0")
    for _bucket, bucket_revenue, bucket_clients in rows:
        counted += bucket_clients
        revenue += Decimal(str(bucket_revenue))
        curve.append((100 * counted / buyers, min(100.0, float(100 * revenue / total))))
    return curve


DIGITS = 6


def _share(basis: str) -> Any:
    def compute(period: Period, scope: Scope) -> MetricResult:
        result = pareto(start=period.start, end=period.end, basis=basis)
        value = None
        if result.buyers and result.total_revenue > 0:
            value = round(float(result.top_revenue / result.total_revenue), DIGITS)
        inputs: dict[str, Any] = {
            "currency": result.currency,
            "n_buyers": result.buyers,
            "n_top": result.top_count,
            "total": money_text(result.total_revenue),
            "top_total": money_text(result.top_revenue),
        }
        if basis == MARGIN:
            inputs["n_purchases_without_cost"] = result.without_cost
        key = "key_client_share" if basis == REVENUE else "key_client_margin_share"
        return MetricResult(key, period, None, inputs, value)

    return compute


def register() -> None:
    inputs = (
        ("currency", _("currency summed")),
        ("n_buyers", _("clients in the ranking")),
        # xgettext:no-python-format
        ("n_top", _("the top 20% of them")),
        ("total", _("total of the period")),
        # xgettext:no-python-format
        ("top_total", _("of it, from the top 20%")),
    )
    register_metric(
        MetricDefinition(
            key="key_client_share",
            # xgettext:no-python-format
            name=_("Revenue share of the top 20% of clients"),
            formula=_("top_total / total, the buying clients ranked by revenue"),
            inputs=inputs,
            unit=_("share of revenue"),
            compute=_share(REVENUE),
        )
    )
    register_metric(
        MetricDefinition(
            key="key_client_margin_share",
            # xgettext:no-python-format
            name=_("Margin share of the top 20% of clients"),
            formula=_(
                "top_total / total, the clients ranked by gross margin (amount − cost) over "
                "their purchases with a cost"
            ),
            inputs=(
                *inputs,
                ("n_purchases_without_cost", _("purchases without a cost (left out)")),
            ),
            unit=_("share of margin"),
            compute=_share(MARGIN),
        )
    )
