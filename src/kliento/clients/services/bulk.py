"""Changes to many clients at once, from the list's bulk actions.

Each function is one transaction that locks the selected rows in id order, in chunks (two
bulk actions over overlapping selections queue behind each other instead of deadlocking),
changes only the clients for which something actually changes, and writes one timeline entry
per changed client through `timeline.record_many`. A repeated submit changes nothing more and
records nothing more. Who may run which action is the views' to check (see
`clients.views.bulk.ACTIONS`); the services check the values.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.models import Client, Segment, Tag, TimelineEntry
from kliento.clients.selectors.references import staff
from kliento.clients.services import timeline
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

CHUNK = 5000  # a chunk of changes goes to the timeline by COPY on PostgreSQL
Tagging = Client.tags.through


def _chunks(client_ids: Iterable[int]) -> Iterator[list[int]]:
    ids = sorted(set(client_ids))
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _lock(chunk: list[int], *fields: str) -> list[tuple[Any, ...]]:
    """Lock these clients (in id order) and read the given fields of the ones that exist."""
    return list(
        Client.objects.select_for_update()
        .filter(pk__in=chunk)
        .order_by("pk")
        .values_list("pk", *fields)
    )


def _edited(actor: Actor, pk: int, field: str, old: Any, new: Any) -> timeline.NewEntry:
    return timeline.NewEntry(
        client_id=pk,
        kind=TimelineEntry.Kind.EDITED,
        actor_id=getattr(actor, "pk", None),
        summary=field,
        data={"changes": {field: [old, new]}, "bulk": True},
    )


def _set_reference(actor: Actor, client_ids: Iterable[int], field: str, new: int | None) -> int:
    column = f"{field}_id"
    now = timezone.now()
    changed = 0
    for chunk in _chunks(client_ids):
        rows = [(pk, old) for pk, old in _lock(chunk, column) if old != new]
        if not rows:
            continue
        Client.objects.filter(pk__in=[pk for pk, _old in rows]).update(
            **{column: new, "updated_at": now}
        )
        timeline.record_many(_edited(actor, pk, field, old, new) for pk, old in rows)
        changed += len(rows)
    return changed


@transaction.atomic
def bulk_assign_manager(*, actor: Actor, client_ids: Iterable[int], manager: User | None) -> int:
    """Make `manager` (or nobody) the account manager; returns how many clients changed."""
    if manager is not None and not staff().filter(pk=manager.pk).exists():
        raise ValidationError(
            {"manager": _("Only an active member of staff can manage clients.")}, code="not_staff"
        )
    return _set_reference(
        actor, client_ids, "account_manager", manager.pk if manager is not None else None
    )


@transaction.atomic
def bulk_set_segment(*, actor: Actor, client_ids: Iterable[int], segment: Segment | None) -> int:
    """Put the clients in `segment` (or in none); returns how many clients changed."""
    return _set_reference(actor, client_ids, "segment", segment.pk if segment else None)


def _tag_names(ids: list[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    for client_id, name in Tagging.objects.filter(client_id__in=ids).values_list(
        "client_id", "tag__name"
    ):
        names[client_id].append(name)
    return names


def _retag(actor: Actor, client_ids: Iterable[int], tag: Tag, *, add: bool) -> int:
    now = timezone.now()
    changed = 0
    for chunk in _chunks(client_ids):
        locked = [pk for (pk,) in _lock(chunk)]
        having = set(
            Tagging.objects.filter(client_id__in=locked, tag=tag).values_list(
                "client_id", flat=True
            )
        )
        ids = [pk for pk in locked if (pk not in having) == add]
        if not ids:
            continue
        before = _tag_names(ids)
        if add:
            Tagging.objects.bulk_create([Tagging(client_id=pk, tag=tag) for pk in ids])
        else:
            Tagging.objects.filter(client_id__in=ids, tag=tag).delete()
        Client.objects.filter(pk__in=ids).update(updated_at=now)
        entries = []
        for pk in ids:
            old = sorted(before.get(pk, []))
            new = sorted([*old, tag.name]) if add else [n for n in old if n != tag.name]
            entries.append(_edited(actor, pk, "tags", old, new))
        timeline.record_many(entries)
        changed += len(ids)
    return changed


@transaction.atomic
def bulk_add_tag(*, actor: Actor, client_ids: Iterable[int], tag: Tag) -> int:
    """Give the clients `tag`; returns how many did not have it yet."""
    return _retag(actor, client_ids, tag, add=True)


@transaction.atomic
def bulk_remove_tag(*, actor: Actor, client_ids: Iterable[int], tag: Tag) -> int:
    """Take `tag` off the clients; returns how many had it."""
    return _retag(actor, client_ids, tag, add=False)


@transaction.atomic
def bulk_mark_left(
    *, actor: Actor, client_ids: Iterable[int], left_on: dt.date, reason: str = ""
) -> int:
    """Mark the active clients among these as left on `left_on`; the ones who already left
    keep their date. Returns how many changed."""
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date a client left cannot be in the future.")})
    now = timezone.now()
    changed = 0
    for chunk in _chunks(client_ids):
        ids = [pk for pk, status in _lock(chunk, "status") if status == Client.Status.ACTIVE]
        if not ids:
            continue
        Client.objects.filter(pk__in=ids).update(
            status=Client.Status.LEFT, left_on=left_on, updated_at=now
        )
        timeline.record_many(
            timeline.NewEntry(
                client_id=pk,
                kind=TimelineEntry.Kind.LEFT,
                actor_id=getattr(actor, "pk", None),
                summary=reason,
                data={"left_on": left_on.isoformat(), "bulk": True},
            )
            for pk in ids
        )
        changed += len(ids)
    return changed
