"""Reads for the client card, the client list and the key-client analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import CharField, Count, F, Func, Max, Min, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from kliento.clients.contacts import looks_like_phone, normalize_email, normalize_phone
from kliento.clients.models import Client, ContactPoint, Purchase, TimelineEntry
from kliento.core.timeline import hidden_kinds

MAX_CONTACT_MATCHES = 1000
SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "updated": ("updated_at", "id"),
    "-updated": ("-updated_at", "-id"),
}


SQLITE_FOLD = "KLIENTO_CASEFOLD"


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """Give SQLite a Unicode-aware case fold: its own LIKE/UPPER fold only ASCII letters."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FOLD, 1, _casefold, deterministic=True)


@dataclass(frozen=True)
class ClientFilters:
    q: str = ""
    segment: int | None = None
    tag: int | None = None
    manager: int | None = None
    status: str = ""
    key_only: bool = False
    sort: str = "name"


def _contact_match(q: str) -> Q | None:
    """Exact match on a normalised phone or email, which the contact index answers."""
    if "@" in q:
        try:
            return Q(kind=ContactPoint.Kind.EMAIL, value=normalize_email(q))
        except Exception:
            return None
    if looks_like_phone(q):
        try:
            return Q(kind=ContactPoint.Kind.PHONE, value=normalize_phone(q))
        except Exception:
            return None
    return None


def search_clients(filters: ClientFilters) -> QuerySet[Client]:
    qs = Client.objects.select_related("segment", "account_manager", "company")
    q = filters.q.strip()
    if q:
        contact_q = _contact_match(q)
        if contact_q is not None:
            # Resolved to ids first: "id IN (subquery) OR external_ref = q" makes PostgreSQL
            # scan every client (about 300 ms at 1M, see benchmarks/); a literal id list is
            # two index lookups. One phone or email belongs to a handful of clients at most.
            ids = list(
                ContactPoint.objects.filter(contact_q)
                .values_list("client_id", flat=True)
                .distinct()[:MAX_CONTACT_MATCHES]
            )
            qs = qs.filter(Q(pk__in=ids) | Q(external_ref=q))
        elif connection.vendor == "sqlite":
            # SQLite's LIKE ignores case for ASCII only; without the fold "олена" would not
            # find "Олена", nor "łukasz" "Łukasz".
            qs = qs.alias(
                folded_name=Func(F("name"), function=SQLITE_FOLD, output_field=CharField())
            ).filter(Q(folded_name__contains=q.casefold()) | Q(external_ref=q))
        else:
            # On PostgreSQL a trigram index on UPPER(name) serves this (see migration 0002).
            qs = qs.filter(Q(name__icontains=q) | Q(external_ref=q))
    if filters.segment:
        qs = qs.filter(segment_id=filters.segment)
    if filters.tag:
        qs = qs.filter(tags__id=filters.tag)
    if filters.manager:
        qs = qs.filter(account_manager_id=filters.manager)
    if filters.status in Client.Status.values:
        qs = qs.filter(status=filters.status)
    if filters.key_only:
        qs = qs.filter(is_key=True)
    return qs.order_by(*SORTS.get(filters.sort, SORTS["name"]))


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


def purchase_stats(client: Client) -> PurchaseStats:
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
        avg = (row["revenue"] / row["n"]).quantize(Decimal("0.01"))
        totals.append(CurrencyTotals(row["currency"], row["revenue"], row["n"], avg))
        firsts.append(row["first"])
        lasts.append(row["last"])
    return PurchaseStats(
        totals=totals,
        count=sum(t.count for t in totals),
        first=min(firsts) if firsts else None,
        last=max(lasts) if lasts else None,
    )


@dataclass
class ParetoRow:
    client_id: int
    name: str
    is_key: bool
    revenue: Decimal
    share: float
    cumulative_share: float


# The table under the summary lists this many of the top clients; the flag covers all of them.
PARETO_ROWS_SHOWN = 100
PARETO_CURVE_POINTS = 20


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
    purchases = Purchase.objects.filter(
        occurred_on__gte=start, occurred_on__lte=end, currency=currency
    )
    per_client = purchases.values("client_id").annotate(revenue=Sum("amount"))
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
    clients = Client.objects.filter(pk__in=[r["client_id"] for r in shown]).only("name", "is_key")
    by_id = {c.pk: c for c in clients}
    cumulative = Decimal("0")
    for row in shown:
        cumulative += row["revenue"]
        client = by_id.get(row["client_id"])
        result.top.append(
            ParetoRow(
                client_id=row["client_id"],
                name=client.name if client else "",
                is_key=bool(client and client.is_key),
                revenue=row["revenue"],
                share=float(row["revenue"] / total) * 100,
                cumulative_share=float(cumulative / total) * 100,
            )
        )
    result.curve = _pareto_curve(purchases, buyers=buyers, total=total)
    return result


def _pareto_curve(purchases: QuerySet[Purchase], *, buyers: int, total: Decimal) -> list:
    """Cumulative revenue share at each twentieth of the buying clients, in one query.

    NTILE over the per-client sums splits the ranked buyers into equal groups inside the
    database (PostgreSQL and SQLite both have window functions), so a million buyers cost one
    grouped scan, not a million rows sent to Python.
    """
    buckets = min(PARETO_CURVE_POINTS, buyers)
    inner, params = (
        purchases.values("client_id").annotate(revenue=Sum("amount")).values("revenue").query
    ).sql_with_params()
    sql = (
        "SELECT bucket, SUM(revenue), COUNT(*) FROM ("
        f"SELECT revenue, NTILE({buckets}) OVER (ORDER BY revenue DESC) AS bucket "
        f"FROM ({inner}) per_client) ranked GROUP BY bucket ORDER BY bucket"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    curve = [(0.0, 0.0)]
    clients = 0
    revenue = Decimal("0")
    for _bucket, bucket_revenue, bucket_clients in rows:
        clients += bucket_clients
        revenue += Decimal(str(bucket_revenue))
        curve.append((100 * clients / buyers, min(100.0, float(100 * revenue / total))))
    return curve


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


def timeline_before(
    client: Client, *, user=None, before: tuple[dt.datetime, int] | None = None
) -> QuerySet[TimelineEntry]:
    """A client's timeline, newest first, strictly older than the (moment, id) keyset cursor.

    With `user`, entries about purchases or portrait facts are left out unless the user may
    see those, so the feed never shows what the card's own blocks hide.
    """
    qs = TimelineEntry.objects.filter(client=client).select_related("actor")
    if user is not None and (hidden := hidden_kinds(user)):
        qs = qs.exclude(kind__in=hidden)
    if before is not None:
        moment, pk = before
        qs = qs.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk))
    return qs.order_by("-occurred_at", "-id")


MAX_ID = 2**63 - 1  # ids are signed 64-bit integers in SQLite and PostgreSQL


def clients_for_export(filters: ClientFilters) -> QuerySet[Client]:
    """The clients the list shows with these filters, with what an export row needs."""
    primaries = Prefetch(
        "contacts",
        queryset=ContactPoint.objects.filter(is_primary=True, kind__in=["phone", "email"]),
        to_attr="primary_contacts",
    )
    return (
        search_clients(filters)
        .select_related("company", "segment", "account_manager")
        .prefetch_related(primaries, "tags")
    )


def purchases_for_export(*, client_id: int | None = None) -> QuerySet[Purchase]:
    """Every purchase, or one client's, oldest first (the order a re-import reads them in)."""
    qs = Purchase.objects.all()
    if client_id is not None:
        # An id beyond 64 bits matches nothing; the database could not even compare it.
        qs = qs.filter(client_id=client_id) if client_id <= MAX_ID else qs.none()
    return qs.order_by("occurred_on", "id")
