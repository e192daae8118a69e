"""Every write of the touchpoints app: keyword-only, typed, one transaction each.

Other apps (surveys, complaints) record a client's impression of a touchpoint through
`record_impression`, naming themselves as its `source` and their own record as `source_ref`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import audit, notifications
from kliento.core.types import Actor
from kliento.touchpoints import rules, selectors
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint

if TYPE_CHECKING:
    from django.contrib.auth.models import User

IMPRESSION_RECORDED = "touchpoint.impression"  # a timeline kind
OWNER_ASSIGNED = "touchpoint.owner_assigned"  # a notification kind
# Audit actions
CREATED = "touchpoint.created"
OWNER_CHANGED = "touchpoint.owner_changed"
EXCERPT = 300
# A clock a little ahead on the recorder's device is not "the future".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)

REGISTRY_FIELDS = ("name", "kind", "category", "channel", "occurs_when", "participants", "kpi")


class ClientNotFound(ObjectDoesNotExist):
    """No client with that id (the API answers 404)."""


def _stages(stage_ids: Iterable[int]) -> list[int]:
    wanted = sorted(set(stage_ids))
    found = set(selectors.stage_model().objects.filter(pk__in=wanted).values_list("pk", flat=True))
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ValidationError(
            {
                "stages": _("There is no stage with the id %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in missing)}
            },
            code="unknown_id",
        )
    return wanted


def _tell_owner(touchpoint: Touchpoint, *, actor: Actor) -> None:
    notifications.notify(
        recipients=[touchpoint.owner],
        kind=OWNER_ASSIGNED,
        actor=actor,
        target_url=touchpoint.get_absolute_url(),
        params={"touchpoint_id": touchpoint.pk, "name": touchpoint.name},
    )


def _clean_fields(fields: dict[str, str]) -> dict[str, str]:
    return {key: rules.clean_text(value) for key, value in fields.items()}


@transaction.atomic
def create_touchpoint(
    *,
    actor: Actor,
    name: str,
    kind: str,
    category: str,
    owner: User | None,
    channel: str = "",
    occurs_when: str = "",
    participants: str = "",
    kpi: str = "",
    regulation: str = "",
    stage_ids: Iterable[int] = (),
    is_active: bool = True,
) -> Touchpoint:
    """A new touchpoint with its one owner, who is told it is theirs."""
    if not rules.may_edit_registry(actor):
        raise PermissionDenied(_("Only a manager or an administrator edits the registry."))
    fields = _clean_fields(
        {
            "name": name,
            "kind": kind,
            "category": category,
            "channel": channel,
            "occurs_when": occurs_when,
            "participants": participants,
            "kpi": kpi,
        }
    )
    regulation = (regulation or "").replace("\r\n", "\n").replace("\x00", "")
    rules.check_touchpoint(
        name=fields["name"],
        kind=fields["kind"],
        category=fields["category"],
        channel=fields["channel"],
        occurs_when=fields["occurs_when"],
        participants=fields["participants"],
        kpi=fields["kpi"],
        regulation=regulation,
        owner=owner,
    )
    stages = _stages(stage_ids)
    assert owner is not None  # checked above
    try:
        with transaction.atomic():
            touchpoint = Touchpoint.objects.create(
                **fields, regulation=regulation, owner=owner, is_active=is_active
            )
    except IntegrityError:
        # Another manager added the same name between the check above and this insert.
        raise ValidationError(
            {"name": _("There is already a touchpoint with this name.")}, code="unique"
        ) from None
    touchpoint.stages.set(stages)
    audit.record(
        actor=actor, action=CREATED, target=touchpoint, data={"owner_id": owner.pk, **fields}
    )
    _tell_owner(touchpoint, actor=actor)
    return touchpoint


@transaction.atomic
def update_touchpoint(
    *,
    actor: Actor,
    touchpoint: Touchpoint,
    owner: User | None,
    stage_ids: Iterable[int] | None = None,
    is_active: bool | None = None,
    **changes: str,
) -> Touchpoint:
    """Change the registry's entry (a manager). A new owner is recorded in the audit log and
    told; `stage_ids` None leaves the stages as they are."""
    if not rules.may_edit_registry(actor):
        raise PermissionDenied(_("Only a manager or an administrator edits the registry."))
    unknown = set(changes) - {*REGISTRY_FIELDS, "regulation"}
    if unknown:
        raise TypeError(f"Unknown touchpoint fields: {sorted(unknown)}")
    locked = Touchpoint.objects.select_for_update().get(pk=touchpoint.pk)
    fields = {key: getattr(locked, key) for key in REGISTRY_FIELDS}
    fields.update(_clean_fields({k: v for k, v in changes.items() if k != "regulation"}))
    regulation = changes.get("regulation", locked.regulation).replace("\r\n", "\n")
    rules.check_touchpoint(**fields, regulation=regulation, owner=owner, exclude_pk=locked.pk)
    assert owner is not None  # checked above
    stages = _stages(stage_ids) if stage_ids is not None else None
    previous_owner = locked.owner_id
    for key, value in fields.items():
        setattr(locked, key, value)
    locked.regulation = regulation
    locked.owner = owner
    if is_active is not None:
        locked.is_active = is_active
    locked.save()
    if stages is not None:
        locked.stages.set(stages)
    if previous_owner != owner.pk:
        audit.record(
            actor=actor,
            action=OWNER_CHANGED,
            target=locked,
            data={"from": previous_owner, "to": owner.pk},
        )
        _tell_owner(locked, actor=actor)
    return locked


def _check_may_edit(actor: Actor, touchpoint: Touchpoint) -> None:
    if not rules.may_edit_regulation(actor, touchpoint):
        raise PermissionDenied(
            _("Only the touchpoint's owner or a manager can change its regulation.")
        )


@transaction.atomic
def set_regulation(*, actor: Actor, touchpoint: Touchpoint, regulation: str) -> Touchpoint:
    """The owner (or a manager) writes how the touchpoint must work, in Markdown."""
    _check_may_edit(actor, touchpoint)
    regulation = (regulation or "").replace("\r\n", "\n").replace("\x00", "")
    if len(regulation) > rules.REGULATION_MAX:
        raise ValidationError(
            {"regulation": _("At most %(max)d characters.") % {"max": rules.REGULATION_MAX}}
        )
    Touchpoint.objects.filter(pk=touchpoint.pk).update(
        regulation=regulation, updated_at=timezone.now()
    )
    touchpoint.refresh_from_db()
    return touchpoint


@transaction.atomic
def add_parameter(
    *, actor: Actor, touchpoint: Touchpoint, name: str, measurement: str, target: str
) -> QualityParameter:
    _check_may_edit(actor, touchpoint)
    name, measurement, target = (rules.clean_text(v) for v in (name, measurement, target))
    rules.check_parameter(
        touchpoint=touchpoint, name=name, measurement=measurement, target=target, exclude_pk=None
    )
    return QualityParameter.objects.create(
        touchpoint=touchpoint, name=name, measurement=measurement, target=target
    )


@transaction.atomic
def change_parameter(
    *, actor: Actor, parameter: QualityParameter, name: str, measurement: str, target: str
) -> QualityParameter:
    touchpoint = parameter.touchpoint
    _check_may_edit(actor, touchpoint)
    name, measurement, target = (rules.clean_text(v) for v in (name, measurement, target))
    rules.check_parameter(
        touchpoint=touchpoint,
        name=name,
        measurement=measurement,
        target=target,
        exclude_pk=parameter.pk,
    )
    parameter.name, parameter.measurement, parameter.target = name, measurement, target
    parameter.save(update_fields=["name", "measurement", "target"])
    return parameter


@transaction.atomic
def remove_parameter(*, actor: Actor, parameter: QualityParameter) -> None:
    _check_may_edit(actor, parameter.touchpoint)
    QualityParameter.objects.filter(pk=parameter.pk).delete()


@transaction.atomic
def record_impression(
    *,
    actor: Actor,
    touchpoint_id: int,
    client_id: int,
    sentiment: str,
    text: str = "",
    source: str = Impression.Source.STAFF,
    source_ref: str = "",
    occurred_at: dt.datetime | None = None,
) -> Impression:
    """A client's impression at a touchpoint, on the client's timeline too.

    For other apps: pass your `source` (survey, complaint …) and your record's id as
    `source_ref`; recording the same (source, source_ref) again returns the impression already
    there, so a retried task does not count it twice.
    """
    text, source_ref = rules.clean_text(text), rules.clean_text(source_ref)
    errors: dict[str, list[str]] = {}
    try:
        rules.check_impression(sentiment=sentiment, text=text, source=source, source_ref=source_ref)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    touchpoint = Touchpoint.objects.filter(pk=touchpoint_id).first()
    if touchpoint is None:
        errors["touchpoint"] = [_("There is no such touchpoint.")]
    elif not touchpoint.is_active:
        errors["touchpoint"] = [_("This touchpoint is no longer in use.")]
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        errors["occurred_at"] = [_("An impression is recorded once it has happened.")]
    if errors:
        raise ValidationError(errors)
    assert touchpoint is not None
    if client_id not in clients.client_labels([client_id]):
        raise ClientNotFound(f"Client {client_id} does not exist")
    if source_ref:
        existing = Impression.objects.filter(source=source, source_ref=source_ref).first()
        if existing is not None:
            return existing
    try:
        # A savepoint: a concurrent call with the same source_ref may win the insert.
        with transaction.atomic():
            impression = Impression.objects.create(
                touchpoint=touchpoint,
                client_id=client_id,
                sentiment=sentiment,
                text=text,
                source=source,
                source_ref=source_ref,
                occurred_at=occurred_at,
                recorded_by=actor,
            )
    except IntegrityError:
        if not source_ref:
            raise
        return Impression.objects.get(source=source, source_ref=source_ref)
    timeline.record(
        client=client_id,
        kind=IMPRESSION_RECORDED,
        actor=actor,
        summary=touchpoint.name,
        occurred_at=occurred_at,
        data={
            "impression_id": impression.pk,
            "touchpoint_id": touchpoint.pk,
            "sentiment": sentiment,
            "source": source,
            "excerpt": text[:EXCERPT],
        },
    )
    return impression
