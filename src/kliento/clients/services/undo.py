"""Undoing a removal from the card: the removal's timeline entry keeps what was removed, so for a
short while afterwards the contact or fact can be put back as it was, with its own entry."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kliento.clients.models import Client, ContactPoint, PortraitFact, TimelineEntry
from kliento.clients.services import timeline
from kliento.clients.services.common import lock_client, save_unique
from kliento.core.types import Actor

# How long after a removal the card offers to undo it.
UNDO_WINDOW = dt.timedelta(minutes=10)


def _removal(client: Client, entry_id: int, kind: str) -> TimelineEntry:
    entry = TimelineEntry.objects.filter(pk=entry_id, client=client, kind=kind).first()
    if entry is None:
        raise ValidationError(_("There is nothing to undo here."), code="nothing_to_undo")
    if timezone.now() - entry.occurred_at > UNDO_WINDOW:
        raise ValidationError(
            _("It is too late to undo this removal; add it again instead."), code="undo_expired"
        )
    if TimelineEntry.objects.filter(
        client=client, kind__in=_RESTORED_KINDS, data__restores=entry.pk
    ).exists():
        raise ValidationError(_("This removal is already undone."), code="already_undone")
    return entry


_RESTORED_KINDS = [TimelineEntry.Kind.CONTACT_RESTORED, TimelineEntry.Kind.FACT_RESTORED]


@transaction.atomic
def restore_contact(*, actor: Actor, client: Client, entry_id: int) -> ContactPoint:
    """Put back the contact that the removal entry `entry_id` recorded, as it was."""
    lock_client(client.pk)
    entry = _removal(client, entry_id, TimelineEntry.Kind.CONTACT_REMOVED)
    kind, value = str(entry.data.get("kind", "")), entry.summary
    if ContactPoint.objects.filter(client=client, kind=kind, value=value).exists():
        raise ValidationError(_("This client already has this contact."), code="duplicate")
    is_primary = bool(entry.data.get("is_primary"))
    siblings = ContactPoint.objects.filter(client=client, kind=kind)
    if is_primary:
        siblings.filter(is_primary=True).update(is_primary=False)
    elif not siblings.exists():
        is_primary = True
    contact = ContactPoint(
        client=client,
        kind=kind,
        value=value,
        label=str(entry.data.get("label", "")),
        messenger=str(entry.data.get("messenger", "")),
        is_primary=is_primary,
    )
    save_unique(contact, field="value", message=_("This client already has this contact."))
    timeline.record(
        client=client,
        kind=TimelineEntry.Kind.CONTACT_RESTORED,
        actor=actor,
        summary=value,
        data={"kind": kind, "restores": entry.pk},
    )
    return contact


@transaction.atomic
def restore_portrait_fact(*, actor: Actor, client: Client, entry_id: int) -> PortraitFact:
    """Put back the portrait fact that the removal entry `entry_id` recorded, with its source
    and when it was recorded and last confirmed (a restore confirms nothing)."""
    lock_client(client.pk)
    entry = _removal(client, entry_id, TimelineEntry.Kind.FACT_REMOVED)
    data, now = entry.data, timezone.now()
    if not data.get("source"):  # removed before removals kept the whole fact
        raise ValidationError(_("There is nothing to undo here."), code="nothing_to_undo")
    fact = PortraitFact(
        client=client,
        category=str(data.get("category", "")),
        text=entry.summary,
        source=str(data["source"]),
        recorded_by_id=data.get("recorded_by"),
        recorded_at=_moment(data.get("recorded_at")) or now,
        verified_by_id=data.get("verified_by"),
        verified_at=_moment(data.get("verified_at")) or now,
    )
    # The authors may have been deleted since; the fact then stays, without them.
    user_ids = {u for u in (fact.recorded_by_id, fact.verified_by_id) if u is not None}
    if user_ids:
        existing = set(
            get_user_model().objects.filter(pk__in=user_ids).values_list("pk", flat=True)
        )
        if fact.recorded_by_id not in existing:
            fact.recorded_by_id = None
        if fact.verified_by_id not in existing:
            fact.verified_by_id = None
    fact.full_clean(exclude=["recorded_by", "verified_by"])
    fact.save()
    timeline.record(
        client=client,
        kind=TimelineEntry.Kind.FACT_RESTORED,
        actor=actor,
        summary=fact.text,
        data={"category": fact.category, "fact_id": fact.pk, "restores": entry.pk},
    )
    return fact


def _moment(value: object) -> dt.datetime | None:
    return parse_datetime(value) if isinstance(value, str) else None
