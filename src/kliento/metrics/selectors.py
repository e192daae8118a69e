"""The key-client (Pareto) analysis: which clients bring most of the revenue.

Revenue per client comes from `kliento.clients.selectors`; ranking, shares and the curve are
computed here, inside the database where the base is large.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, QuerySet, Sum

from kliento.clients import selectors as clients

# The stored CLV figures live in kliento.metrics.clv.reads; views and other apps read them here.
from kliento.metrics.clv.reads import ClvRow as ClvRow
from kliento.metrics.clv.reads import client_figures as client_figures
from kliento.metrics.clv.reads import latest_fit as latest_fit
from kliento.metrics.clv.reads import ranked as ranked
from kliento.metrics.clv.reads import top_clients as top_clients

# Before/after comparisons for other apps (the team app's refresher training).
from kliento.metrics.compare import Comparison as Comparison
from kliento.metrics.compare import compare_shares as compare_shares

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
    # (share of buying clients, share of revenue) in percent, richest clients first.
    curve: list[tuple[float, float]] = field(default_factory=list)

    @property
    def top_share_percent(self) -> float:
        if not self.total_revenue:
            return 0.0
        return round(float(self.top_revenue / self.total_revenue) * 100, 1)


def pareto(
    *, start: dt.date, end: dt.date, currency: str | None = None, top_fraction: float = 0.2
) -> ParetoResult:
    """Rank clients who bought in the period by revenue; the top fraction are the key clients.

    Only purchases in one currency are summed (no exchange rates are assumed); clients who bought
    nothing in the period are not in the base, so "top 20%" means 20% of buying clients.
    """
    currency = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    per_client = clients.revenue_by_client(start=start, end=end, currency=currency)
    totals = per_client.aggregate(total=Sum("revenue"), buyers=Count("client_id"))
    buyers = totals["buyers"] or 0
    total = totals["total"] or Decimal("0")
    result = ParetoResult(start, end, currency, buyers, total)
    if not buyers:
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
