"""Creating, editing and closing client records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import timeline
from kliento.clients.models import (
    Client,
    Segment,
    Tag,
    TimelineEntry,
)
from kliento.clients.services.common import save_unique
from kliento.clients.services.contacts import add_contact
from kliento.clients.timeline import describe_value
from kliento.core.models import AuditEntry

KEY_FLAG_CHUNK = 5000

EDITABLE_FIELDS = (
    "kind",
    "name",
    "company",
    "job_title",
    "language",
    "account_manager",
    "segment",
    "external_ref",
    "notes",
)


def _check_company(kind: str, company: Client | None) -> None:
    if company is None:
        return
    if kind != Client.Kind.PERSON:
        raise ValidationError({"company": _("Only a person can be a contact of a company.")})
    if company.kind != Client.Kind.COMPANY:
        raise ValidationError({"company": _("The chosen client is not a company.")})


@transaction.atomic
def create_client(
    *,
    actor,
    name: str,
    kind: str = Client.Kind.PERSON,
    company: Client | None = None,
    job_title: str = "",
    language: str = "",
    account_manager=None,
    segment: Segment | None = None,
    tags: Iterable[Tag] = (),
    external_ref: str | None = None,
    notes: str = "",
    contacts: Iterable[tuple[str, str]] = (),
) -> Client:
    _check_company(kind, company)
    client = Client(
        kind=kind,
        name=name.strip(),
        company=company,
        job_title=job_title,
        language=language,
        account_manager=account_manager,
        segment=segment,
        external_ref=external_ref or None,
        notes=notes,
    )
    client.full_clean(exclude=["tags"])
    save_unique(client, field="external_ref", message=_("Another client has this reference."))
    client.tags.set(list(tags))
    timeline.record_event(
        client=client, kind=TimelineEntry.Kind.CREATED, actor=actor, summary=client.name
    )
    for contact_kind, value in contacts:
        add_contact(actor=actor, client=client, kind=contact_kind, value=value, quiet=True)
    return client


@transaction.atomic
def update_client(
    *, actor, client: Client, changes: dict[str, Any], tags: Iterable[Tag] | None = None
) -> Client:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    locked = Client.objects.select_for_update().get(pk=client.pk)
    diff: dict[str, list[Any]] = {}
    for field, new in changes.items():
        old = getattr(locked, field)
        if field == "external_ref":
            new = new or None
        if old != new:
            diff[field] = [describe_value(old), describe_value(new)]
            setattr(locked, field, new)
    _check_company(locked.kind, locked.company)
    if (
        locked.kind != Client.Kind.COMPANY
        and "kind" in diff
        and Client.objects.filter(company=locked).exists()
    ):
        # Its contact persons would otherwise point at a client that is not a company.
        raise ValidationError(
            {"kind": _("This company has contact persons; it cannot become a person.")}
        )
    if tags is not None:
        old_tags = sorted(locked.tags.values_list("name", flat=True))
        new_tags = sorted(t.name for t in tags)
        if old_tags != new_tags:
            diff["tags"] = [old_tags, new_tags]
    if not diff:
        return locked
    locked.full_clean(exclude=["tags"])
    save_unique(locked, field="external_ref", message=_("Another client has this reference."))
    if tags is not None:
        locked.tags.set(list(tags))
    timeline.record_event(
        client=locked,
        kind=TimelineEntry.Kind.EDITED,
        actor=actor,
        summary=", ".join(sorted(diff)),
        data={"changes": diff},
    )
    return locked


@transaction.atomic
def mark_left(*, actor, client: Client, left_on: dt.date, reason: str = "") -> Client:
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.status == Client.Status.LEFT:
        raise ValidationError(_("This client is already marked as left."))
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date a client left cannot be in the future.")})
    locked.status = Client.Status.LEFT
    locked.left_on = left_on
    locked.save(update_fields=["status", "left_on", "updated_at"])
    timeline.record_event(
        client=locked,
        kind=TimelineEntry.Kind.LEFT,
        actor=actor,
        summary=reason,
        data={"left_on": left_on.isoformat()},
    )
    return locked


@transaction.atomic
def mark_returned(*, actor, client: Client) -> Client:
    locked = Client.objects.select_for_update().get(pk=client.pk)
    if locked.status == Client.Status.ACTIVE:
        raise ValidationError(_("This client is already active."))
    locked.status = Client.Status.ACTIVE
    locked.left_on = None
    locked.save(update_fields=["status", "left_on", "updated_at"])
    timeline.record_event(client=locked, kind=TimelineEntry.Kind.RETURNED, actor=actor)
    return locked


@transaction.atomic
def set_key_flag(*, actor, client_ids: Iterable[int], is_key: bool) -> int:
    """Flag (or unflag) clients as key; returns how many actually changed.

    Works in chunks: the top 20% of a large base is hundreds of thousands of ids, more than
    one statement may carry as parameters (SQLite allows 32,766).
    """
    wanted = list(client_ids)
    changed = 0
    now = timezone.now()
    kind = TimelineEntry.Kind.KEY_FLAGGED if is_key else TimelineEntry.Kind.KEY_UNFLAGGED
    for start in range(0, len(wanted), KEY_FLAG_CHUNK):
        ids = list(
            Client.objects.select_for_update()
            .filter(pk__in=wanted[start : start + KEY_FLAG_CHUNK])
            .exclude(is_key=is_key)
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        Client.objects.filter(pk__in=ids).update(is_key=is_key, updated_at=now)
        TimelineEntry.objects.bulk_create(
            [TimelineEntry(client_id=pk, kind=kind, actor=actor) for pk in ids], batch_size=1000
        )
        changed += len(ids)
    return changed


@transaction.atomic
def delete_client(*, actor, client: Client) -> None:
    """Delete a client and its card.

    The timeline is deleted with the client, so the trace of the deletion goes to the audit log.
    """
    locked = Client.objects.select_for_update().get(pk=client.pk)
    AuditEntry.objects.create(
        actor=actor,
        action="client.deleted",
        target_type="clients.client",
        target_id=str(locked.pk),
        target_repr=locked.name[:300],
        changes={"kind": locked.kind, "external_ref": locked.external_ref},
    )
    # Contact persons outlive their company (SET_NULL); their own history says what happened.
    for person_id in locked.contact_persons.values_list("pk", flat=True):
        timeline.record_event(
            client=person_id,
            kind=TimelineEntry.Kind.EDITED,
            actor=actor,
            summary="company",
            data={"changes": {"company": [locked.name, None]}},
        )
    locked.delete()
