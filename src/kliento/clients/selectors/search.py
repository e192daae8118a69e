"""Finding clients: the list's search, filters and sort orders."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func, Q, QuerySet

from kliento.clients.contacts import looks_like_phone, normalize_email, normalize_phone
from kliento.clients.models import Client, ContactPoint
from kliento.clients.selectors import listing

MAX_CONTACT_MATCHES = 1000
SORTS = listing.ORDERS


SQLITE_FOLD = "KLIENTO_CASEFOLD"


def _casefold(value: str | None) -> str | None:
    return value.casefold() if value is not None else None


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
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
    # The list's activity filters and a selection of ids (selectors/listing.py applies them).
    revenue_min: Decimal | None = None
    revenue_max: Decimal | None = None
    no_purchase_days: int | None = None
    contact_older_days: int | None = None
    contact_newer_days: int | None = None
    ids: tuple[int, ...] | None = None


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
    return listing.narrow(qs, filters)
