"""Finding the client behind an address or number that wrote to the desk, or creating one."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.clients import selectors as client_selectors
from kliento.clients import services as client_services
from kliento.core.types import Actor
from kliento.desk.models import Sender


def normalised(kind: str, value: str) -> str:
    # An address the card would refuse is still a sender: kept as written, lower-cased.
    return client_selectors.normalized_contact(kind, value) or value.strip().lower()[:254]


@transaction.atomic
def client_for(*, actor: Actor, kind: str, value: str, name: str = "", language: str = "") -> Any:
    """The client who writes from `value` (an e-mail address or phone number): the one a
    previous message found, else the one whose card has it, else a new client with it.

    The unique Sender row serialises strangers: of two messages from the same new address at
    once, one inserts the row and creates the client, the other waits and then reads it."""
    value = normalised(kind, value)
    found = Sender.objects.filter(kind=kind, value=value).select_related("client").first()
    if found is not None and found.client is not None:
        return found.client
    try:
        with transaction.atomic():
            claim = Sender.objects.create(kind=kind, value=value)
    except IntegrityError:
        claim = Sender.objects.select_for_update().get(kind=kind, value=value)
        if claim.client is not None:
            return claim.client
    match = client_selectors.find_clients([value]).get(value)
    client = client_selectors.client(match) if isinstance(match, int) else None
    if client is None:
        # None (nobody has it) or ambiguous (several cards have it): a new card, which the
        # duplicate finder will offer to merge.
        client = client_services.create_client(
            actor=actor,
            name=(name or value)[:200],
            language=language,
            contacts=[(kind, value)] if client_selectors.normalized_contact(kind, value) else [],
        )
    claim.client = client
    claim.save(update_fields=["client"])
    return client


def mark_failing(*, kind: str, value: str, reason: str) -> int:
    """A bounce: replies stop going to this address until it writes again."""
    return Sender.objects.filter(kind=kind, value=normalised(kind, value)).update(
        failing_since=timezone.now(), failure=reason[:500]
    )


def mark_working(*, kind: str, value: str) -> int:
    return Sender.objects.filter(
        kind=kind, value=normalised(kind, value), failing_since__isnull=False
    ).update(failing_since=None, failure="")
