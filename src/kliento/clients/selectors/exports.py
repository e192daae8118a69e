"""What an export of clients or purchases reads: the list's own filters, so an export shows
exactly what the list showed."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from kliento.clients.models import Client, ContactPoint, Purchase
from kliento.clients.selectors.search import ClientFilters, search_clients

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
