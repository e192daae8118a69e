"""Helpers shared by the client-card services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction

from kliento.clients.models import Client


def save_unique(instance: models.Model, *, field: str, message: str) -> None:
    """Save, turning a lost race on a unique constraint into the same error validation gives."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None


def lock_client(client_id: int) -> None:
    """Take the client's row lock, so writes that keep a rule across several rows of the
    card (one primary contact of each kind) run one after the other.

    Every write to a card takes this lock first, so locks are always taken in one order (client,
    then its rows) and two writers cannot each hold what the other waits for. It is the "no key"
    kind: other transactions may still check a foreign key to the client (a timeline entry's)
    without waiting, which is what PostgreSQL does, deferred, when they commit.
    """
    list(Client.objects.select_for_update(no_key=True).filter(pk=client_id).values_list("pk"))
