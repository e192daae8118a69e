"""Every write of the journeys app: keyword-only, typed, one transaction each. A move records
its StageMove and its entry on the client's timeline in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import audit, notifications
from kliento.core.types import Actor
from kliento.journeys import rules
from kliento.journeys.models import Baseline, ClientStage, Journey, MoveRule, Stage, StageMove

MOVED = "journey.moved"  # a timeline kind
OWNER_GIVEN = "journey.stage_owner"  # a notification kind
STAGE_FIELDS = ("name", "goal", "rules", "target_days", "entry_criteria", "exit_criteria")


class ClientNotFound(ObjectDoesNotExist):
    """No client with that id (the API answers 404)."""


def _refuse(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _one_owner(owner: Any) -> Any:
    """Exactly one owner: none, or several, is refused with the same clear message."""
    if isinstance(owner, (list, tuple, set)):
        if len(owner) != 1:
            raise _refuse(
                "owner", _("A stage has exactly one owner: choose one person."), "one_owner"
            )
        (owner,) = owner
    if owner is None:
        raise _refuse("owner", _("A stage has exactly one owner: choose one person."), "one_owner")
    if isinstance(owner, int):
        found = get_user_model().objects.filter(pk=owner, is_active=True).first()
        if found is None:
            raise _refuse("owner", _("There is no such person."), "unknown_id")
        return found
    return owner


# ---------------------------------------------------------------------------------------------
# Journeys and stages


@dataclass(frozen=True)
class StageSpec:
    name: str
    owner: Any
    goal: str = ""
    rules: str = ""
    target_days: int | None = None
    entry_criteria: str = ""
    exit_criteria: str = ""
    is_exit: bool = False


def _check_names(specs: Sequence[StageSpec]) -> None:
    if not [s for s in specs if not s.is_exit]:
        raise _refuse("stages", _("A journey needs at least one stage on its main path."), "empty")
    names = [s.name.strip().casefold() for s in specs]
    if len(set(names)) != len(names):
        raise _refuse(
            "stages",
            _("Two stages have the same name: a journey passes each stage once."),
            "cyclic",
        )


@transaction.atomic
def create_journey(
    *, actor: Actor, name: str, description: str = "", stages: Sequence[StageSpec]
) -> Journey:
    """A journey with its stages in the order given (exit stages may be anywhere)."""
    name = name.strip()
    if not name:
        raise _refuse("name", _("Name the journey."), "required")
    if Journey.objects.filter(name__iexact=name).exists():
        raise _refuse("name", _("A journey with this name exists."), "unique")
    _check_names(stages)
    journey = Journey.objects.create(name=name, description=description.strip())
    for position, spec in enumerate(stages, start=1):
        Stage.objects.create(
            journey=journey,
            position=position,
            owner=_one_owner(spec.owner),
            is_exit=spec.is_exit,
            **{field: getattr(spec, field) for field in STAGE_FIELDS},
        )
    audit.record(actor=actor, action="journey.created", target=journey, target_repr=name)
    return journey


@transaction.atomic
def save_stage(
    *, actor: Actor, journey: Journey, stage: Stage | None = None, owner: Any, **fields: Any
) -> Stage:
    """Add a stage at the end of the journey, or change one. A new owner is audited and told."""
    unknown = set(fields) - {*STAGE_FIELDS, "is_exit"}
    if unknown:
        raise TypeError(f"Unknown stage fields: {sorted(unknown)}")
    new_owner = _one_owner(owner)
    name = str(fields.get("name", stage.name if stage else "")).strip()
    if not name:
        raise _refuse("name", _("Name the stage."), "required")
    clash = Stage.objects.filter(journey=journey, name__iexact=name)
    if stage is not None:
        clash = clash.exclude(pk=stage.pk)
    if clash.exists():
        raise _refuse("name", _("This journey already has a stage with this name."), "unique")
    fields["name"] = name
    if stage is None:
        last = Stage.objects.filter(journey=journey).order_by("-position").first()
        stage = Stage(journey=journey, position=(last.position + 1) if last else 1)
        old_owner_id = None
    else:
        stage = Stage.objects.select_for_update().get(pk=stage.pk, journey=journey)
        old_owner_id = stage.owner_id
    if stage.pk and fields.get("is_exit") and not stage.is_exit:
        remaining = Stage.objects.filter(journey=journey, is_exit=False).exclude(pk=stage.pk)
        if not remaining.exists():
            raise _refuse(
                "is_exit", _("A journey needs at least one stage on its main path."), "empty"
            )
    for field, value in fields.items():
        setattr(stage, field, value)
    stage.owner = new_owner
    stage.save()
    if old_owner_id != new_owner.pk:
        audit.record(
            actor=actor,
            action="journey.stage_owner_changed",
            target=stage,
            target_repr=stage.name,
            data={"journey_id": journey.pk, "from": old_owner_id, "to": new_owner.pk},
        )
        notifications.notify(
            recipients=[new_owner],
            kind=OWNER_GIVEN,
            actor=actor,
            target_url=reverse("journeys:my_stage"),
            params={"stage": stage.name, "journey": journey.name},
        )
    return stage


# ---------------------------------------------------------------------------------------------
# Moves


@transaction.atomic
def move_client(
    *,
    actor: Actor,
    client_id: int,
    to_stage: Stage | int,
    reason: str = "",
    force: bool = False,
    journey: Journey | int | None = None,
) -> StageMove:
    """Move a client to a stage of a journey (placing it on the journey if it is not on it).

    The move must follow the journey (the next stage, or an exit stage) unless `force`, which
    needs a reason. `journey`, when given, must be the stage's. Raises ValidationError keyed by
    field, PermissionDenied, or ClientNotFound."""
    reason = reason.strip()
    if len(reason) > rules.REASON_MAX:
        raise _refuse(
            "reason",
            _("Keep the reason under %(n)d characters.") % {"n": rules.REASON_MAX},
            "max_length",
        )
    stage_id = to_stage if isinstance(to_stage, int) else to_stage.pk
    target = Stage.objects.select_related("journey").filter(pk=stage_id).first()
    if target is None:
        raise _refuse("to_stage", _("There is no such stage."), "unknown_id")
    journey_id = journey if isinstance(journey, int) or journey is None else journey.pk
    if journey_id is not None and journey_id != target.journey_id:
        raise _refuse("to_stage", _("This stage belongs to another journey."), "other_journey")
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise ClientNotFound(f"Client {client_id} does not exist")
    place = (
        ClientStage.objects.select_for_update()
        .select_related("stage")
        .filter(client_id=client_id, journey_id=target.journey_id)
        .first()
    )
    current = place.stage if place is not None else None
    if not rules.may_move(actor, client_id=client_id, current=current, target=target):
        raise PermissionDenied(_("You may not move this client on this journey."))
    if current is not None and current.pk == target.pk:
        raise _refuse("to_stage", _("The client is at this stage already."), "same_stage")
    stages = list(Stage.objects.filter(journey_id=target.journey_id))
    follows = rules.follows_journey(stages, current, target)
    if not follows and not force:
        raise _refuse(
            "to_stage",
            _(
                "This is not the next stage of the journey nor an exit stage. To move the "
                "client here anyway, force the move and give a reason."
            ),
            "not_next",
        )
    if not follows and not reason:
        raise _refuse("reason", _("A forced move needs a reason."), "required")
    now = timezone.now()
    if place is None:
        try:
            with transaction.atomic():
                place = ClientStage.objects.create(
                    client_id=client_id,
                    journey_id=target.journey_id,
                    stage=target,
                    entered_at=now,
                    joined_at=now,
                )
        except IntegrityError:
            raise _refuse(
                "to_stage",
                _("Someone placed this client on the journey meanwhile; look again."),
                "conflict",
            ) from None
    else:
        place.stage = target
        place.entered_at = now
        place.save(update_fields=["stage", "entered_at"])
    move = StageMove.objects.create(
        client_id=client_id,
        journey_id=target.journey_id,
        from_stage=current,
        to_stage=target,
        moved_at=now,
        actor=actor,
        reason=reason,
        forced=not follows,
    )
    timeline.record(
        client=client_id,
        kind=MOVED,
        actor=actor,
        summary=reason,
        data=_entry_data(move),
        occurred_at=now,
    )
    return move


def _entry_data(move: StageMove) -> dict[str, Any]:
    return {
        "move_id": move.pk,
        "journey_id": move.journey_id,
        "from_stage_id": move.from_stage_id,
        "to_stage_id": move.to_stage_id,
        "rule_id": move.rule_id,
        "forced": move.forced,
    }


def record_moves(moves: Iterable[StageMove]) -> list[StageMove]:
    """Write moves made in bulk (rules, demo) with their timeline entries; the caller holds
    the transaction and has already updated the clients' current stages."""
    written = StageMove.objects.bulk_create(list(moves))
    timeline.record_many(
        timeline.NewEntry(
            client_id=m.client_id,
            kind=MOVED,
            actor_id=m.actor_id,
            summary=m.reason,
            data=_entry_data(m),
            occurred_at=m.moved_at,
        )
        for m in written
    )
    return written


# ---------------------------------------------------------------------------------------------
# Move rules


@transaction.atomic
def save_rule(
    *,
    actor: Actor,
    journey: Journey,
    rule: MoveRule | None = None,
    name: str,
    condition: str,
    threshold: int,
    from_stages: Sequence[Stage | int],
    to_stage: Stage | int,
    include_unplaced: bool = False,
    position: int = 1,
    is_active: bool = True,
) -> MoveRule:
    errors: dict[str, list[ValidationError]] = {}

    def err(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    stage_ids = {s.pk for s in Stage.objects.filter(journey=journey)}
    source_ids = [s if isinstance(s, int) else s.pk for s in from_stages]
    target_id = to_stage if isinstance(to_stage, int) else to_stage.pk
    if not name.strip():
        err("name", _("Name the rule."), "required")
    if condition not in MoveRule.Condition.values:
        err("condition", _("Choose a condition."), "invalid_choice")
    if condition != MoveRule.Condition.STATUS_LEFT and threshold < 1:
        err("threshold", _("N must be at least 1."), "min_value")
    if target_id not in stage_ids:
        err("to_stage", _("Choose a stage of this journey."), "other_journey")
    if any(pk not in stage_ids for pk in source_ids):
        err("from_stages", _("Choose stages of this journey."), "other_journey")
    if target_id in source_ids:
        # Its clients would still match after the move: the rule would move them every run.
        err("from_stages", _("A rule cannot move clients to a stage it takes them from."), "cyclic")
    if target_id not in source_ids and _closes_a_cycle(journey, rule, source_ids, target_id):
        err(
            "to_stage",
            _(
                "With this rule, clients could go round in circles between stages (another "
                "rule takes them back). Change this rule or the other one."
            ),
            "cyclic",
        )
    if not source_ids and not include_unplaced:
        err("from_stages", _("Choose the stages the rule takes clients from."), "required")
    if errors:
        raise ValidationError(errors)
    if rule is None:
        rule = MoveRule(journey=journey)
    rule.name = name.strip()
    rule.condition = condition
    rule.threshold = threshold
    rule.to_stage_id = target_id
    rule.include_unplaced = include_unplaced
    rule.position = position
    rule.is_active = is_active
    # A changed rule is a new rule: its next run looks at everyone again.
    rule.checked_until = None
    rule.save()
    rule.from_stages.set(source_ids)
    audit.record(actor=actor, action="journey.rule_saved", target=rule, target_repr=rule.name)
    return rule


def _closes_a_cycle(
    journey: Journey, rule: MoveRule | None, source_ids: Sequence[int], target_id: int
) -> bool:
    """Whether the rules, with this one, could move a client back to where it was: the target
    leads, through other rules, to one of this rule's sources."""
    edges: dict[int, set[int]] = {}
    others = MoveRule.objects.filter(journey=journey).prefetch_related("from_stages")
    if rule is not None and rule.pk:
        others = others.exclude(pk=rule.pk)
    for other in others:
        for source in other.from_stages.all():
            edges.setdefault(source.pk, set()).add(other.to_stage_id)
    seen, todo = set(), [target_id]
    while todo:
        stage = todo.pop()
        if stage in source_ids:
            return True
        if stage not in seen:
            seen.add(stage)
            todo.extend(edges.get(stage, ()))
    return False


@transaction.atomic
def delete_rule(*, actor: Actor, rule: MoveRule) -> None:
    audit.record(actor=actor, action="journey.rule_deleted", target=rule, target_repr=rule.name)
    rule.delete()


# ---------------------------------------------------------------------------------------------
# Baselines


@transaction.atomic
def take_baseline(*, actor: Actor, journey: Journey, name: str) -> Baseline:
    """Freeze the journey's present distribution under a name (unique per journey)."""
    from kliento.journeys import stats

    name = name.strip()
    if not name:
        raise _refuse("name", _("Name the baseline."), "required")
    if Baseline.objects.filter(journey=journey, name__iexact=name).exists():
        raise _refuse("name", _("This journey has a baseline with this name."), "unique")
    taken_at = timezone.now()
    snap = stats.snapshot(journey, now=taken_at)
    baseline = Baseline.objects.create(
        journey=journey,
        name=name,
        taken_at=taken_at,
        taken_by=actor,
        total=snap["total"],
        average_lifetime_days=snap["average_lifetime_days"],
        figures=snap["figures"],
    )
    audit.record(actor=actor, action="journey.baseline_taken", target=baseline, target_repr=name)
    return baseline
