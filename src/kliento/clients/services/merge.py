"""Merging duplicate clients into one card.

Everything that points at a merged-away client moves to the client kept (the survivor): its
contacts, consents, portrait, purchases, timeline, tags, contact persons, the ids of clients
merged into it before, and the rows of any app that adds a foreign key to `Client` later. The
relations are found on the model (`_meta`), not listed here, so a new app's rows move too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import ForeignObjectRel
from django.utils.translation import gettext as _

from kliento.clients import rules
from kliento.clients.models import (
    ChannelConsent,
    Client,
    ClientMergeRecord,
    ContactPoint,
    TimelineEntry,
)
from kliento.clients.registry import merge_handlers
from kliento.clients.services import timeline
from kliento.clients.services.activity import refresh_purchase_totals
from kliento.clients.services.clients import _save, _validate
from kliento.clients.services.timeline import describe_value
from kliento.core import audit
from kliento.core.types import Actor

# The fields whose value the person merging picks from one of the clients; the rest follows
# the survivor (status, key flag) or is combined (tags, contacts, everything below).
MERGE_FIELDS: tuple[str, ...] = rules.EDITABLE_FIELDS
MAX_MERGED = 20


def _pk(value: Client | int) -> int:
    return value if isinstance(value, int) else value.pk


def client_relations() -> list[ForeignObjectRel]:
    """Every foreign key that points at a client, including those of other apps and hidden
    ones (`related_name="+"`, which `_meta.related_objects` leaves out) and the link tables of
    many-to-many fields (tags)."""
    return [
        field
        for field in Client._meta.get_fields(include_hidden=True)
        if isinstance(field, ForeignObjectRel) and not field.many_to_many
    ]


def _move_contacts(kept: Client, dup_ids: list[int]) -> None:
    """Identical contacts (same kind and value) are kept once; one primary per kind stays."""
    seen = set(ContactPoint.objects.filter(client=kept).values_list("kind", "value"))
    has_primary = set(
        ContactPoint.objects.filter(client=kept, is_primary=True).values_list("kind", flat=True)
    )
    for contact in ContactPoint.objects.filter(client_id__in=dup_ids).order_by("client_id", "id"):
        if (contact.kind, contact.value) in seen:
            contact.delete()
            continue
        seen.add((contact.kind, contact.value))
        contact.client = kept
        if contact.is_primary and contact.kind in has_primary:
            contact.is_primary = False
        elif contact.is_primary:
            has_primary.add(contact.kind)
        contact.save(update_fields=["client", "is_primary"])
    for kind in (
        set(ContactPoint.objects.filter(client=kept).values_list("kind", flat=True)) - has_primary
    ):
        first = ContactPoint.objects.filter(client=kept, kind=kind).order_by("id").first()
        if first is not None:
            first.is_primary = True
            first.save(update_fields=["is_primary"])


def _move_consents(kept: Client, dup_ids: list[int]) -> None:
    """Per channel, the most recent decision wins (the survivor's when recorded at the same
    moment): a client who withdrew consent last week has withdrawn it, whichever card says."""
    best: dict[str, ChannelConsent] = {}
    rows = ChannelConsent.objects.filter(client_id__in=[kept.pk, *dup_ids])
    for consent in sorted(rows, key=lambda c: (c.recorded_at, c.client_id == kept.pk)):
        best[consent.channel] = consent
    winners = {consent.pk for consent in best.values()}
    rows.exclude(pk__in=winners).delete()
    ChannelConsent.objects.filter(pk__in=winners).update(client=kept)


def _move_contact_persons(kept: Client, ids: list[int], dup_ids: list[int]) -> bool:
    """A merged company's people work for the survivor; returns whether any moved."""
    persons = Client.objects.filter(company_id__in=dup_ids).exclude(pk__in=ids)
    return persons.update(company=kept) > 0


def _move_links(relation: ForeignObjectRel, kept: Client, dup_ids: list[int]) -> None:
    """A many-to-many link table (tags): a link the survivor already has is dropped."""
    model = relation.related_model
    own = relation.field.name
    other = next(
        f.name
        for f in model._meta.get_fields()
        if isinstance(f, models.ForeignKey) and f.name != own
    )
    known = set(model._default_manager.filter(**{own: kept}).values_list(f"{other}_id", flat=True))
    for link in model._default_manager.filter(**{f"{own}__in": dup_ids}).order_by("pk"):
        target = getattr(link, f"{other}_id")
        if target in known:
            link.delete()
        else:
            known.add(target)
            model._default_manager.filter(pk=link.pk).update(**{own: kept})


def _move_rows(relation: ForeignObjectRel, kept: Client, dup_ids: list[int]) -> None:
    model = relation.related_model
    name = relation.field.name
    try:
        with transaction.atomic():
            model._default_manager.filter(**{f"{name}__in": dup_ids}).update(**{name: kept})
    except IntegrityError:
        raise ValidationError(
            _(
                "The clients cannot be merged: their %(things)s conflict (the kept client "
                "already has one of them). Nothing was merged."
            )
            % {"things": model._meta.verbose_name_plural},
            code="merge_conflict",
        ) from None


def _move_everything(kept: Client, ids: list[int], dup_ids: list[int]) -> bool:
    """Move every row pointing at a duplicate; returns whether contact persons moved."""
    persons_moved = False
    for handler in merge_handlers.values():
        handler(kept.pk, dup_ids)
    for relation in client_relations():
        model = relation.related_model
        if model is ContactPoint:
            _move_contacts(kept, dup_ids)
        elif model is ChannelConsent:
            _move_consents(kept, dup_ids)
        elif model is Client:
            persons_moved = _move_contact_persons(kept, ids, dup_ids)
        elif model._meta.auto_created:
            _move_links(relation, kept, dup_ids)
        else:
            _move_rows(relation, kept, dup_ids)
    return persons_moved


def _check_choices(
    field_choices: Mapping[str, Client | int], locked: dict[int, Client]
) -> dict[str, int]:
    choices = {field: _pk(source) for field, source in field_choices.items()}
    for field, source in choices.items():
        if field not in MERGE_FIELDS:
            raise ValidationError(
                _("“%(field)s” cannot be chosen in a merge.") % {"field": field}, code="bad_field"
            )
        if source not in locked:
            raise ValidationError(
                {
                    field: ValidationError(
                        _("Choose the value of one of the clients being merged."),
                        code="bad_source",
                    )
                }
            )
    return choices


@transaction.atomic
def merge_clients(
    *,
    actor: Actor,
    survivor: Client | int,
    duplicates: Iterable[Client | int],
    field_choices: Mapping[str, Client | int] | None = None,
) -> Client:
    """Merge `duplicates` into `survivor` and delete them; returns the survivor.

    `field_choices`: for a field of `MERGE_FIELDS`, the client (one of the group) whose value
    the survivor takes; a field not named keeps the survivor's value. Tags and contacts are
    combined, consents keep the latest decision per channel. All the rows are locked in the
    order of their ids first, so two merges of overlapping groups run one after the other:
    the second finds a client gone and refuses with a ValidationError, merging nothing.
    """
    survivor_id = _pk(survivor)
    dup_ids = sorted({_pk(d) for d in duplicates})
    if not dup_ids:
        raise ValidationError(_("Choose at least one duplicate to merge."), code="nothing")
    if survivor_id in dup_ids:
        raise ValidationError(
            _("The client kept cannot also be merged away."), code="survivor_in_duplicates"
        )
    if len(dup_ids) > MAX_MERGED:
        raise ValidationError(
            _("Merge at most %(count)d clients at once.") % {"count": MAX_MERGED}, code="too_many"
        )
    ids = sorted([survivor_id, *dup_ids])
    locked = {c.pk: c for c in Client.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    if len(locked) != len(ids):
        raise ValidationError(
            _(
                "One of these clients no longer exists: it was deleted or merged meanwhile. "
                "Nothing was merged; look at the duplicates again."
            ),
            code="gone",
        )
    choices = _check_choices(field_choices or {}, locked)
    kept, removed = locked[survivor_id], [locked[pk] for pk in dup_ids]
    former_kind = kept.kind
    wanted: dict[str, Any] = {
        field: getattr(locked[source], field)
        for field, source in choices.items()
        if source != survivor_id
    }
    company = wanted.get("company", kept.company)
    if company is not None and company.pk in ids:
        # The merged card cannot work for itself.
        wanted["company"] = None

    persons_moved = _move_everything(kept, ids, dup_ids)
    merged = [{"id": c.pk, "name": c.name, "external_ref": c.external_ref} for c in removed]
    for client in removed:
        audit.record(
            actor=actor,
            action="client.merged",
            target=client,
            target_repr=client.name,
            data={
                "survivor_id": kept.pk,
                "survivor": kept.name,
                "kind": client.kind,
                "external_ref": client.external_ref,
            },
        )
    ClientMergeRecord.objects.bulk_create(
        [
            ClientMergeRecord(
                old_id=c.pk,
                old_name=c.name,
                old_external_ref=c.external_ref,
                survivor=kept,
                merged_by=actor,
            )
            for c in removed
        ]
    )
    Client.objects.filter(pk__in=dup_ids).delete()

    diff: dict[str, list[Any]] = {}
    for field, new in wanted.items():
        old = getattr(kept, field)
        if old != new:
            diff[field] = [describe_value(old), describe_value(new)]
            setattr(kept, field, new)
    if persons_moved and kept.kind != Client.Kind.COMPANY:
        raise ValidationError(
            {
                "kind": ValidationError(
                    _("A merged company has contact persons: the client kept must be a company."),
                    code="company_has_persons",
                )
            }
        )
    if diff:
        _validate(kept, former_kind=former_kind, changed=diff.keys())
        _save(kept)
    # The duplicates' purchases are the kept client's now: its revenue and last purchase are
    # recomputed from them, and one may predate its "client since".
    refresh_purchase_totals(client_ids=[kept.pk])
    kept.refresh_from_db(fields=["revenue", "last_purchase_on", "client_since"])
    timeline.record(
        client=kept,
        kind=TimelineEntry.Kind.MERGED,
        actor=actor,
        summary=", ".join(c.name for c in removed),
        data={"merged": merged, "changes": diff},
    )
    return kept
