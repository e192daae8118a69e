"""Single lookups other apps need: a client by id, a contact written as the card stores it."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from kliento.clients.contacts import normalize_contact
from kliento.clients.models import Client, ContactPoint


def client(pk: int) -> Client | None:
    return Client.objects.filter(pk=pk).first()


def normalized_contact(kind: str, value: str) -> str | None:
    """The value as a contact of `kind` is stored (E.164, lower-case e-mail); None when it is
    not a valid one."""
    try:
        return normalize_contact(kind, value)
    except ValidationError:
        return None


def contact_of(client_id: int, kind: str, value: str) -> ContactPoint | None:
    return ContactPoint.objects.filter(client_id=client_id, kind=kind, value=value).first()


def client_ids_with_contact(kind: str, value: str) -> list[int]:
    """The clients whose card has this contact (as stored: normalise it first)."""
    return list(
        ContactPoint.objects.filter(kind=kind, value=value)
        .values_list("client_id", flat=True)
        .distinct()[:2]
    )
