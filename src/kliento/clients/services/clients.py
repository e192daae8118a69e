"""Creating, editing and closing client records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import rules, selectors
from kliento.clients.models import (
    Client,
    Segment,
    Tag,
    TimelineEntry,
)
from kliento.clients.services import timeline
from kliento.clients.services.common import save_unique
from kliento.clients.services.contacts import add_contact
from kliento.clients.services.timeline import describe_value
from kliento.core import audit, dates
from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

KEY_FLAG_CHUNK = 5000

# Kept here too, as services.EDITABLE_FIELDS has always been importable; the list is the rules'.
EDITABLE_FIELDS = rules.EDITABLE_FIELDS


def _validate(
    client: Client, *, former_kind: str | None = None, changed: Collection[str] | None = None
) -> None:
    """The card's rules, the unique reference and the model's own field checks, all reported
    at once; a field a rule refused is not checked again, so it gets one clear message."""
    found = rules.client_errors(client, former_kind=former_kind, changed=changed)
    if since_error := rules.client_since_error(client.client_since):
        found.setdefault("client_since", []).append(since_error)
    if rules.reference_taken(client.external_ref, exclude_pk=client.pk):
        found.setdefault("external_ref", []).append(rules.duplicate_reference())
    try:
        # Constraints are the rules' (the reference) or the status services' (left_on).
        client.full_clean(exclude=["tags", *found], validate_constraints=False)
    except ValidationError as exc:
        for field, errors in exc.error_dict.items():
            found.setdefault(field, []).extend(errors)
    if found:
        raise ValidationError(found)


class PossibleDuplicate(Exception):
    """The new client shares a phone, an e-mail or the reference with existing clients;
    creating it needs an explicit `allow_duplicate=True`."""

    def __init__(self, matches: list[selectors.DuplicateMatch]) -> None:
        super().__init__(", ".join(f"{m.name} (#{m.client_id})" for m in matches))
        self.matches = matches


def _save(client: Client) -> None:
    # A concurrent write of the same reference is told apart from the check above by the
    # database; it gets the same message.
    save_unique(client, field="external_ref", message=str(rules.duplicate_reference().message))


@retry_on_conflict
@transaction.atomic
def create_client(
    *,
    actor: Actor,
    name: str,
    kind: str = Client.Kind.PERSON,
    company: Client | None = None,
    job_title: str = "",
    language: str = "",
    account_manager: User | None = None,
    segment: Segment | None = None,
    tags: Iterable[Tag] = (),
    external_ref: str | None = None,
    notes: str = "",
    client_since: dt.date | None = None,
    contacts: Iterable[tuple[str, str]] = (),
    allow_duplicate: bool = True,
) -> Client:
    """Create a client with its first contacts. With `allow_duplicate=False` (the card's form
    and the API until the user confirms), raise `PossibleDuplicate` when existing clients share
    one of its phones or e-mails (`selectors.possible_duplicates`); a reference another client
    has is a ValidationError on `external_ref` either way, as the reference is unique."""
    contacts = list(contacts)
    values = rules.normalise_changes(
        {
            "kind": kind,
            "name": name,
            "company": company,
            "job_title": job_title,
            "language": language,
            "account_manager": account_manager,
            "segment": segment,
            "external_ref": external_ref,
            "notes": notes,
            "client_since": client_since,
        }
    )
    client = Client(**values)
    # A taken reference is an error whatever the user confirms (the reference is unique).
    _validate(client)
    if not allow_duplicate:
        matches = selectors.possible_duplicates(
            phones=[value for kind, value in contacts if kind == "phone"],
            emails=[value for kind, value in contacts if kind == "email"],
            external_ref=client.external_ref,
        )
        if matches:
            raise PossibleDuplicate(matches)
    _save(client)
    if rules.settle_client_since(client_ids=[client.pk]):
        client.refresh_from_db(fields=["client_since"])
    client.tags.set(list(tags))
    timeline.record(
        client=client, kind=TimelineEntry.Kind.CREATED, actor=actor, summary=client.name
    )
    for contact_kind, value in contacts:
        add_contact(actor=actor, client=client, kind=contact_kind, value=value, quiet=True)
    return client


@retry_on_conflict
@transaction.atomic
def update_client(
    *,
    actor: Actor,
    client: Client,
    changes: dict[str, Any],
    tags: Iterable[Tag] | None = None,
) -> Client:
    """Change some fields (see `rules.EDITABLE_FIELDS`) and, when given, replace the tags; the
    timeline lists each field that changed, old and new. Nothing changed, nothing recorded."""
    wanted = rules.normalise_changes(changes)
    locked = Client.objects.select_for_update(no_key=True).get(pk=client.pk)
    former_kind = locked.kind
    diff: dict[str, list[Any]] = {}
    for field, new in wanted.items():
        old = getattr(locked, field)
        if old != new:
            diff[field] = [describe_value(old), describe_value(new)]
            setattr(locked, field, new)
    if tags is not None:
        tags = list(tags)
        old_tags = sorted(locked.tags.values_list("name", flat=True))
        new_tags = sorted(t.name for t in tags)
        if old_tags != new_tags:
            diff["tags"] = [old_tags, new_tags]
    if not diff:
        return locked
    _validate(locked, former_kind=former_kind, changed=diff.keys())
    _save(locked)
    if "client_since" in diff and rules.settle_client_since(client_ids=[locked.pk]):
        # Emptied, or after the first purchase: the rule's date is what is stored and shown.
        locked.refresh_from_db(fields=["client_since"])
        diff["client_since"][1] = describe_value(locked.client_since)
    if tags is not None:
        locked.tags.set(tags)
    timeline.record(
        client=locked,
        kind=TimelineEntry.Kind.EDITED,
        actor=actor,
        summary=", ".join(sorted(diff)),
        data={"changes": diff},
    )
    return locked


@retry_on_conflict
@transaction.atomic
def mark_left(*, actor: Actor, client: Client, left_on: dt.date, reason: str = "") -> Client:
    locked = Client.objects.select_for_update(no_key=True).get(pk=client.pk)
    if locked.status == Client.Status.LEFT:
        raise ValidationError(_("This client is already marked as left."))
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": _("The date a client left cannot be in the future.")})
    try:
        dates.check_day(left_on)
    except ValidationError as exc:
        raise ValidationError({"left_on": exc.error_list}) from None
    locked.status = Client.Status.LEFT
    locked.left_on = left_on
    locked.save(update_fields=["status", "left_on", "updated_at"])
    timeline.record(
        client=locked,
        kind=TimelineEntry.Kind.LEFT,
        actor=actor,
        summary=reason,
        data={"left_on": left_on.isoformat()},
    )
    return locked


@retry_on_conflict
@transaction.atomic
def mark_returned(*, actor: Actor, client: Client) -> Client:
    locked = Client.objects.select_for_update(no_key=True).get(pk=client.pk)
    if locked.status == Client.Status.ACTIVE:
        raise ValidationError(_("This client is already active."))
    locked.status = Client.Status.ACTIVE
    locked.left_on = None
    locked.save(update_fields=["status", "left_on", "updated_at"])
    timeline.record(client=locked, kind=TimelineEntry.Kind.RETURNED, actor=actor)
    return locked


@retry_on_conflict
@transaction.atomic
def set_key_flag(*, actor: Actor, client_ids: Iterable[int], is_key: bool) -> int:
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
            Client.objects.select_for_update(no_key=True)
            .filter(pk__in=wanted[start : start + KEY_FLAG_CHUNK])
            .exclude(is_key=is_key)
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        Client.objects.filter(pk__in=ids).update(is_key=is_key, updated_at=now)
        actor_id = getattr(actor, "pk", None)
        timeline.record_many(
            timeline.NewEntry(client_id=pk, kind=kind, actor_id=actor_id) for pk in ids
        )
        changed += len(ids)
    return changed


@retry_on_conflict
@transaction.atomic
def delete_client(*, actor: Actor, client: Client) -> None:
    """Delete a client and its card.

    The timeline is deleted with the client, so the trace of the deletion goes to the audit log.
    """
    locked = Client.objects.select_for_update().get(pk=client.pk)
    audit.record(
        actor=actor,
        action="client.deleted",
        target=locked,
        target_repr=locked.name,
        data={"kind": locked.kind, "external_ref": locked.external_ref},
    )
    # Contact persons outlive their company (SET_NULL); their own history says what happened.
    for person_id in locked.contact_persons.values_list("pk", flat=True):
        timeline.record(
            client=person_id,
            kind=TimelineEntry.Kind.EDITED,
            actor=actor,
            summary="company",
            data={"changes": {"company": [locked.name, None]}},
        )
    locked.delete()
