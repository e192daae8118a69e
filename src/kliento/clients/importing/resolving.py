"""Finding existing clients by the reference a file gives, in batches (never one query a row)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError

from kliento.clients.contacts import looks_like_phone, normalize_email, normalize_phone
from kliento.clients.models import Client, ContactPoint
from kliento.imports.registry import MAX_ID, chunked, matching

AMBIGUOUS = -1


class ClientResolver:
    """Maps a cell to a client id: external reference first, then email, then phone; “#42”
    is Kliento's own id, which exports write for clients that have no other identifier.

    Answers are cached, so a file with a million purchases of ten thousand clients asks the
    database about each client once, a few hundred keys per query.
    """

    def __init__(self) -> None:
        self.cache: dict[str, int | None] = {}

    def get(self, key: str) -> int | None:
        """The client id, None when unknown, AMBIGUOUS when several clients match."""
        return self.cache.get(key)

    def load(self, keys: Iterable[str]) -> None:
        missing = {k for k in keys if k and k not in self.cache}
        if not missing:
            return
        found: dict[str, int] = {}
        found.update(matching(Client, "external_ref", list(missing), "id"))
        # isdecimal, not isdigit: int() refuses "²"; and ids beyond 64 bits match nothing.
        own_ids = {
            k: int(k[1:])
            for k in missing - found.keys()
            if k[:1] == "#" and k[1:].isdecimal() and int(k[1:]) <= MAX_ID
        }
        for batch in chunked(own_ids.values()):
            existing = set(Client.objects.filter(pk__in=batch).values_list("pk", flat=True))
            found.update({k: v for k, v in own_ids.items() if v in existing})
        by_contact: dict[tuple[str, str], list[str]] = {}
        for key in missing - found.keys():
            normalized = self._contact_key(key)
            if normalized:
                by_contact.setdefault(normalized, []).append(key)
        for kind in (ContactPoint.Kind.EMAIL, ContactPoint.Kind.PHONE):
            values = [value for (k, value) in by_contact if k == kind]
            for spellings in chunked(values):
                owners: dict[str, set[int]] = {}
                rows = ContactPoint.objects.filter(kind=kind, value__in=spellings).values_list(
                    "value", "client_id"
                )
                for value, client_id in rows:
                    owners.setdefault(value, set()).add(client_id)
                for value, ids in owners.items():
                    for key in by_contact[(kind, value)]:
                        found[key] = next(iter(ids)) if len(ids) == 1 else AMBIGUOUS
        for key in missing:
            self.cache[key] = found.get(key)

    @staticmethod
    def _contact_key(key: str) -> tuple[str, str] | None:
        try:
            if "@" in key:
                return ContactPoint.Kind.EMAIL, normalize_email(key)
            if looks_like_phone(key):
                return ContactPoint.Kind.PHONE, normalize_phone(key)
        except ValidationError:
            return None
        return None
