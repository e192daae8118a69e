"""Facts about clients that the customer journey's move rules read: purchases, status, who
handles them. Read-only and set-based, so a rule run over a million clients stays a handful of
index scans per batch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from kliento.clients.models import Client, Purchase


@dataclass(frozen=True)
class LifecycleFacts:
    pk: int
    status: str
    created_at: dt.datetime
    last_purchase_on: dt.date | None
    purchases: int
    account_manager_id: int | None


def lifecycle_facts(ids: Iterable[int]) -> dict[int, LifecycleFacts]:
    """Status, last purchase, number of purchases and account manager of some clients."""
    wanted = list(ids)
    counts = dict(
        Purchase.objects.filter(client_id__in=wanted)
        .values("client_id")
        .annotate(n=Count("id"))
        .values_list("client_id", "n")
    )
    return {
        pk: LifecycleFacts(pk, status, created, last, counts.get(pk, 0), manager)
        for pk, status, created, last, manager in Client.objects.filter(pk__in=wanted).values_list(
            "pk", "status", "created_at", "last_purchase_on", "account_manager_id"
        )
    }


def clients_changed_since(
    since: dt.datetime, *, inactive_days: int | None = None, after_id: int = 0, limit: int = 1000
) -> list[int]:
    """Ids (ascending, above `after_id`) of the clients whose purchases or status may have
    changed since `since`: a purchase recorded, the card saved, or (with `inactive_days`) the
    last purchase turning that many days old in between."""
    changed = Q(updated_at__gte=since) | Q(
        pk__in=Purchase.objects.filter(created_at__gte=since).values("client_id")
    )
    if inactive_days is not None:
        today = timezone.localdate()
        changed |= Q(
            last_purchase_on__lte=today - dt.timedelta(days=inactive_days),
            last_purchase_on__gte=since.date() - dt.timedelta(days=inactive_days + 1),
        )
    return list(
        Client.objects.filter(changed, pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def client_ids_after(after_id: int = 0, *, limit: int = 1000) -> list[int]:
    """Every client's id above `after_id`, ascending: a full pass in batches."""
    return list(
        Client.objects.filter(pk__gt=after_id).order_by("pk").values_list("pk", flat=True)[:limit]
    )


def handled_by(user_id: int, ids: Iterable[int]) -> set[int]:
    """Which of these clients the user is the account manager of."""
    return set(
        Client.objects.filter(pk__in=list(ids), account_manager_id=user_id).values_list(
            "pk", flat=True
        )
    )


def handled_ids_query(user_id: int) -> Iterable[int]:
    """A subquery of the ids of the clients a user is the account manager of."""
    return Client.objects.filter(account_manager_id=user_id).values("pk")  # type: ignore[return-value]
