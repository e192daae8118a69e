"""Export rows of clients and purchases, with the column names the importer recognises.

Clients with no external reference are written with an empty one (a re-import creates them
anew). Purchases name their client the way the purchase importer finds it again, in its own
order: by the external reference; without one, by an e-mail address, else a phone number, that
leads the importer to this client and no other (so the file also imports into another Kliento,
after the clients' own export); only a client with none of these is written as “#<id>”,
Kliento's own id (the number in the card's address), which imports back into this Kliento only.
The client's name follows in a column of its own, for people: the importer ignores it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors
from kliento.clients.forms import ClientFilterForm
from kliento.clients.importing.fields import CLIENT_FIELDS, PURCHASE_FIELDS
from kliento.clients.importing.resolving import ClientResolver
from kliento.clients.models import Client, ContactPoint, Purchase
from kliento.imports.registry import chunked

CLIENT_COLUMNS = [spec.key for spec in CLIENT_FIELDS]
CLIENT_NAME = "client_name"
PURCHASE_COLUMNS = [PURCHASE_FIELDS[0].key, CLIENT_NAME, *(s.key for s in PURCHASE_FIELDS[1:])]
EXPORT_LABELS = {CLIENT_NAME: _("Client's name (not imported)")}
CHUNK = 2000


def client_rows(clients: QuerySet[Client]) -> Iterator[list[Any]]:
    """Rows of `selectors.clients_for_export` (which prefetches what they show)."""
    for client in clients.iterator(chunk_size=CHUNK):
        contacts = {c.kind: c.value for c in client.primary_contacts}  # type: ignore[attr-defined]
        company = client.company
        yield [
            client.name,
            client.kind,
            client.external_ref or "",
            contacts.get("phone", ""),
            contacts.get("email", ""),
            (company.external_ref or company.name) if company else "",
            client.job_title,
            client.language,
            client.segment.name if client.segment else "",
            ", ".join(tag.name for tag in client.tags.all()),
            client.account_manager.username if client.account_manager else "",
            client.client_since,
            client.status,
            client.left_on,
            client.notes,
        ]


class ClientKeys:
    """The cell that names each client in a purchases export, found for a batch of clients
    at once and remembered (an export lists many purchases of each client)."""

    def __init__(self) -> None:
        self.keys: dict[int, str] = {}
        self.resolver = ClientResolver()

    def get(self, client_id: int, external_ref: str | None) -> str:
        return external_ref or self.keys.get(client_id) or f"#{client_id}"

    def load(self, client_ids: set[int]) -> None:
        """Find keys for the clients (without an external reference) not looked up yet."""
        missing = sorted(client_ids - self.keys.keys())
        for batch in chunked(missing):
            candidates: dict[int, list[str]] = {}
            contacts = (
                ContactPoint.objects.filter(
                    client_id__in=batch,
                    kind__in=[ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE],
                )
                # E-mail before phone, the primary one first: the likeliest to be unique.
                .order_by("client_id", "kind", "-is_primary", "id")
                .values_list("client_id", "value")
            )
            for client_id, value in contacts:
                candidates.setdefault(client_id, []).append(value)
            self.resolver.load(value for values in candidates.values() for value in values)
            for client_id in batch:
                # The first contact the importer would resolve to this very client: not one
                # another client shares, nor another client's external reference.
                self.keys[client_id] = next(
                    (
                        value
                        for value in candidates.get(client_id, [])
                        if self.resolver.get(value) == client_id
                    ),
                    f"#{client_id}",
                )


def purchase_rows(purchases: QuerySet[Purchase]) -> Iterator[list[Any]]:
    rows = purchases.values_list(
        "client_id",
        "client__external_ref",
        "client__name",
        "occurred_on",
        "amount",
        "currency",
        "description",
        "channel",
        "external_ref",
        "cost",
    )
    keys = ClientKeys()
    for chunk in chunked(rows.iterator(chunk_size=CHUNK), CHUNK):
        keys.load({row[0] for row in chunk if not row[1]})
        for row in chunk:
            (
                client_id,
                client_ref,
                name,
                day,
                amount,
                currency,
                description,
                channel,
                ref,
                cost,
            ) = row
            yield [
                keys.get(client_id, client_ref),
                name,
                day,
                amount,
                currency,
                description,
                channel,
                ref or "",
                "" if cost is None else cost,
            ]


def export_clients(user: Any, params: Mapping[str, str]) -> tuple[list[str], Iterator[list[Any]]]:
    """The clients the list shows for the same query parameters (search, segment, tag …)."""
    filters = ClientFilterForm(params).to_filters()
    return CLIENT_COLUMNS, client_rows(selectors.clients_for_export(filters))


def export_purchases(user: Any, params: Mapping[str, str]) -> tuple[list[str], Iterator[list[Any]]]:
    """All purchases, or one client's with `?client=<id>`; an id that is not a number is
    ignored, as the list ignores a filter that does not validate."""
    raw = params.get("client", "")
    # isdecimal, not isdigit: int() refuses "²", which isdigit accepts.
    client_id = int(raw) if raw.isdecimal() else None
    return PURCHASE_COLUMNS, purchase_rows(selectors.purchases_for_export(client_id=client_id))
