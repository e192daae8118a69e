"""Merging a duplicate case into the one that carries on."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor
from kliento.desk import hooks
from kliento.desk.hooks import CaseChange
from kliento.desk.models import Call, Case, CaseEvent, Message
from kliento.desk.services.cases import TIMELINE_STATUS, _on_timeline


@retry_on_conflict
@transaction.atomic
def merge_cases(*, actor: Actor, duplicate: Case, survivor: Case) -> Case:
    """Move the duplicate's messages, calls and history to the survivor; the duplicate is
    closed and points to the survivor, so links and e-mail replies to it still arrive."""
    if duplicate.pk == survivor.pk:
        raise ValidationError({"survivor": _("A case cannot be merged into itself.")})
    # Lock both in id order: two merges of the same pair in opposite directions cannot
    # deadlock, and the second sees the first's result.
    locked = {
        c.pk: c
        for c in Case.objects.select_for_update()
        .filter(pk__in=[duplicate.pk, survivor.pk])
        .order_by("pk")
    }
    duplicate, survivor = locked[duplicate.pk], locked[survivor.pk]
    if duplicate.merged_into_id is not None:
        raise ValidationError({"duplicate": _("This case was already merged.")})
    if survivor.merged_into_id is not None:
        raise ValidationError({"survivor": _("Merge into the case it was merged into instead.")})
    if duplicate.client_id != survivor.client_id:
        raise ValidationError({"survivor": _("Only cases of the same client can be merged.")})
    now = timezone.now()
    Message.objects.filter(case=duplicate).update(case=survivor)
    Call.objects.filter(case=duplicate).update(case=survivor)
    CaseEvent.objects.filter(case=duplicate).update(case=survivor)
    survivor.tags.add(*duplicate.tags.all())
    old_status = duplicate.status
    duplicate.merged_into = survivor
    duplicate.status = Case.Status.CLOSED
    duplicate.closed_at = now
    duplicate.updated_at = now
    duplicate.save()
    survivor.updated_at = now
    for field in ("last_inbound_at", "last_outbound_at"):
        values = [v for v in (getattr(survivor, field), getattr(duplicate, field)) if v]
        setattr(survivor, field, max(values) if values else None)
    if duplicate.first_response_at and (
        survivor.first_response_at is None
        or duplicate.first_response_at < survivor.first_response_at
    ):
        survivor.first_response_at = duplicate.first_response_at
    survivor.save()
    data = {
        "duplicate": duplicate.pk,
        "duplicate_number": duplicate.number,
        "survivor": survivor.pk,
        "survivor_number": survivor.number,
    }
    CaseEvent.objects.create(
        case=survivor, kind=CaseEvent.Kind.MERGED, actor=actor, data=data, created_at=now
    )
    CaseEvent.objects.create(
        case=duplicate, kind=CaseEvent.Kind.MERGED, actor=actor, data=data, created_at=now
    )
    _on_timeline(
        duplicate,
        TIMELINE_STATUS,
        actor,
        {"old": old_status, "new": Case.Status.CLOSED, "merged_into": survivor.number},
    )
    hooks.emit(
        CaseChange(
            case=duplicate,
            kind="merged",
            actor=actor,
            changes={
                "status": (old_status, Case.Status.CLOSED),
                "merged_into": (None, survivor.pk),
            },
        )
    )
    return survivor
