"""The client's activity figures the list sorts and filters on, kept on the client row.

`Client.revenue` (the sum of purchases in KLIENTO_DEFAULT_CURRENCY), `Client.last_purchase_on`
and `Client.last_contact_at` are denormalised so that "sort by revenue" or "no purchase for 90
days" is an index range at a million clients instead of an aggregate over ten million purchases.
Every path that writes purchases calls `refresh_purchase_totals` in its transaction (the purchase
service, the purchase import, the demo loaders); `timeline.record` / `record_many` call
`note_contacts` for kinds registered with `contact=True`. `kliento refresh_client_activity`
recomputes everything (e.g. after changing the default currency).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from kliento.clients import rules
from kliento.clients.models import Client, Purchase

CHUNK = 5000
ZERO = Decimal("0.00")


def _totals_update() -> dict[str, Subquery | Coalesce]:
    currency = settings.KLIENTO_DEFAULT_CURRENCY
    revenue = (
        Purchase.objects.filter(client=OuterRef("pk"), currency=currency)
        .order_by()
        .values("client")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    last = (
        Purchase.objects.filter(client=OuterRef("pk"))
        .order_by("-occurred_on")
        .values("occurred_on")[:1]
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    return {
        "revenue": Coalesce(Subquery(revenue, output_field=money), Value(ZERO), output_field=money),
        "last_purchase_on": Subquery(last),
    }


@transaction.atomic
def refresh_purchase_totals(*, client_ids: Iterable[int] | None = None, from_id: int = 0) -> None:
    """Recompute revenue and last purchase from the purchases: of these clients, or of every
    client with an id of at least `from_id` when `client_ids` is None (a whole base: one
    set-based statement on PostgreSQL, chunks by id elsewhere)."""
    if client_ids is not None:
        ids = sorted(set(client_ids))
        values = _totals_update()
        for start in range(0, len(ids), CHUNK):
            Client.objects.filter(pk__in=ids[start : start + CHUNK]).update(**values)
            rules.settle_client_since(client_ids=ids[start : start + CHUNK])
        return
    if connection.vendor == "postgresql":
        # "Client since" settled in the same pass (a per-client subquery would scan every
        # purchase once per client while a bulk load has the purchase indexes dropped).
        _refresh_all_postgres(from_id)
        return
    _refresh_all_in_chunks(from_id)
    # A purchase dated before "client since" moves it back (kliento.clients.rules).
    rules.settle_client_since(Client.objects.filter(pk__gte=from_id))


def _refresh_all_postgres(from_id: int) -> None:
    clients = connection.ops.quote_name(Client._meta.db_table)
    purchases = connection.ops.quote_name(Purchase._meta.db_table)
    currency = settings.KLIENTO_DEFAULT_CURRENCY
    zone = timezone.get_current_timezone_name()
    with connection.cursor() as cursor:
        # One pass: every client joined to its totals (none: 0 and no date), hash joins only;
        # rows already right are not rewritten. "Client since" follows rules.settle_client_since:
        # empty → the first purchase's day, else the creation day (local); later than the first
        # purchase → the first purchase's day.
        since = """CASE WHEN c.client_since IS NULL OR c.client_since > t.first
                        THEN COALESCE(t.first, c.client_since,
                                      (c.created_at AT TIME ZONE %s)::date)
                        ELSE c.client_since END"""
        cursor.execute(
            f"""UPDATE {clients} AS c
                SET revenue = COALESCE(t.revenue, 0), last_purchase_on = t.last,
                    client_since = {since}
                FROM {clients} AS k
                LEFT JOIN (SELECT client_id,
                                  SUM(amount) FILTER (WHERE currency = %s) AS revenue,
                                  MAX(occurred_on) AS last, MIN(occurred_on) AS first
                           FROM {purchases} WHERE client_id >= %s GROUP BY client_id) AS t
                       ON t.client_id = k.id
                WHERE c.id = k.id AND k.id >= %s
                  AND (c.revenue, c.last_purchase_on, c.client_since)
                      IS DISTINCT FROM (COALESCE(t.revenue, 0), t.last, {since})""",
            [zone, currency, from_id, from_id, zone],
        )


def _refresh_all_in_chunks(from_id: int) -> None:
    values = _totals_update()
    last_id = from_id - 1
    while True:
        found = list(
            Client.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[CHUNK - 1 : CHUNK]
        )
        upper = found[0] if found else None
        rows = Client.objects.filter(pk__gt=last_id)
        if upper is not None:
            rows = rows.filter(pk__lte=upper)
        rows.update(**values)
        if upper is None:
            return
        last_id = upper


def note_contacts(moments: Iterable[tuple[int, dt.datetime]]) -> None:
    """Move each client's last contact forward to the given moment (never backwards)."""
    by_moment: dict[dt.datetime, set[int]] = {}
    latest: dict[int, dt.datetime] = {}
    for client_id, when in moments:
        if client_id not in latest or when > latest[client_id]:
            latest[client_id] = when
    for client_id, when in latest.items():
        by_moment.setdefault(when, set()).add(client_id)
    for when, ids in by_moment.items():
        ordered = sorted(ids)
        for start in range(0, len(ordered), CHUNK):
            Client.objects.filter(pk__in=ordered[start : start + CHUNK]).filter(
                Q(last_contact_at__isnull=True) | Q(last_contact_at__lt=when)
            ).update(last_contact_at=when)
