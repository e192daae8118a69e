"""Goals of a policy draft, and their procedures with escalation lists."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.types import Actor
from kliento.policy import rules
from kliento.policy.models import (
    EscalationLevel,
    Goal,
    PolicyVersion,
    Procedure,
)
from kliento.policy.rules import LevelSpec
from kliento.policy.services.versions import EDITED, locked_draft
from kliento.standards import selectors as standards

# ---------------------------------------------------------------------------------------------
# Goals


def _goal_values(
    *,
    kind: str,
    title: str,
    owner: Any,
    mission_link: str,
    metric_name: str,
    metric_target: Decimal | None,
    metric_unit: str,
    competitors: str,
) -> dict[str, Any]:
    values = {
        "kind": kind,
        "title": rules.clean_text(title),
        "owner": owner,
        "mission_link": rules.clean_text(mission_link),
        "metric_name": rules.clean_text(metric_name),
        "metric_target": metric_target,
        "metric_unit": rules.clean_text(metric_unit),
        "competitors": rules.clean_text(competitors),
    }
    rules.check_goal(**values)
    return values


def _mission() -> Any:
    mission = standards.current_mission()
    if mission is None:
        raise ValidationError(
            {"mission_link": [_("Publish the service mission first: every goal serves it.")]}
        )
    return mission


@transaction.atomic
def add_goal(
    *,
    actor: Actor,
    version: PolicyVersion,
    kind: str,
    owner: Any,
    mission_link: str,
    metric_name: str,
    metric_target: Decimal | None,
    metric_unit: str = "",
    title: str = "",
    competitors: str = "",
) -> Goal:
    """A goal of a draft, linked to the published mission, with its owner and target metric
    (the definition only: the metrics module computes the value)."""
    version = locked_draft(version)
    values = _goal_values(
        kind=kind,
        title=title,
        owner=owner,
        mission_link=mission_link,
        metric_name=metric_name,
        metric_target=metric_target,
        metric_unit=metric_unit,
        competitors=competitors,
    )
    position = version.goals.count()
    goal = Goal.objects.create(version=version, position=position, mission=_mission(), **values)
    audit.record(actor=actor, action=EDITED, target=version, data={"goal_added": goal.pk})
    return goal


def _goal(goal: Goal) -> Goal:
    goal = Goal.objects.select_related("version").get(pk=goal.pk)
    locked_draft(goal.version)
    return goal


@transaction.atomic
def update_goal(
    *,
    actor: Actor,
    goal: Goal,
    kind: str,
    owner: Any,
    mission_link: str,
    metric_name: str,
    metric_target: Decimal | None,
    metric_unit: str = "",
    title: str = "",
    competitors: str = "",
) -> Goal:
    """Rewrite a draft's goal; it is linked to the mission published now."""
    goal = _goal(goal)
    values = _goal_values(
        kind=kind,
        title=title,
        owner=owner,
        mission_link=mission_link,
        metric_name=metric_name,
        metric_target=metric_target,
        metric_unit=metric_unit,
        competitors=competitors,
    )
    for key, value in values.items():
        setattr(goal, key, value)
    goal.mission = _mission()
    goal.save()
    audit.record(actor=actor, action=EDITED, target=goal.version, data={"goal_changed": goal.pk})
    return goal


@transaction.atomic
def delete_goal(*, actor: Actor, goal: Goal) -> None:
    goal = _goal(goal)
    audit.record(actor=actor, action=EDITED, target=goal.version, data={"goal_deleted": goal.pk})
    goal.delete()


# ---------------------------------------------------------------------------------------------
# Procedures and escalation lists


def _standard_ids(ids: Sequence[int]) -> list[int]:
    model = Procedure.standards.field.related_model
    assert not isinstance(model, str)
    found = list(model._default_manager.filter(pk__in=set(ids)).values_list("pk", flat=True))
    if len(found) != len(set(ids)):
        raise ValidationError({"standards": [_("One of the standards does not exist.")]})
    return found


def _procedure_values(
    *,
    title: str,
    description: str,
    channels: Sequence[str],
    standard_ids: Sequence[int],
    levels: Sequence[LevelSpec],
) -> tuple[dict[str, Any], list[int], list[EscalationLevel]]:
    title, description = rules.clean_text(title), rules.clean_text(description)
    values = {"title": title, "description": description, "channels": sorted(set(channels))}
    errors: dict[str, list[str]] = {}
    rows: list[EscalationLevel] = []
    found: list[int] = []
    try:
        rules.check_procedure(title=title, description=description, channels=channels)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        found = _standard_ids(standard_ids)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        rows = rules.check_levels(levels)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return values, found, rows


def _save_levels(procedure: Procedure, rows: list[EscalationLevel]) -> None:
    procedure.levels.all().delete()
    for row in rows:
        row.procedure = procedure
    EscalationLevel.objects.bulk_create(rows)


@transaction.atomic
def add_procedure(
    *,
    actor: Actor,
    goal: Goal,
    title: str,
    description: str,
    channels: Sequence[str],
    levels: Sequence[LevelSpec],
    standard_ids: Sequence[int] = (),
) -> Procedure:
    """A procedure of a draft's goal: what is done, through which channels, under which
    standards, and its escalation list (validated whole; see rules.check_levels)."""
    goal = _goal(goal)
    values, found, rows = _procedure_values(
        title=title,
        description=description,
        channels=channels,
        standard_ids=standard_ids,
        levels=levels,
    )
    procedure = Procedure.objects.create(goal=goal, position=goal.procedures.count(), **values)
    procedure.standards.set(found)
    _save_levels(procedure, rows)
    audit.record(
        actor=actor, action=EDITED, target=goal.version, data={"procedure_added": procedure.pk}
    )
    return procedure


def _procedure(procedure: Procedure) -> Procedure:
    procedure = Procedure.objects.select_related("goal__version").get(pk=procedure.pk)
    locked_draft(procedure.goal.version)
    return procedure


@transaction.atomic
def update_procedure(
    *,
    actor: Actor,
    procedure: Procedure,
    title: str,
    description: str,
    channels: Sequence[str],
    levels: Sequence[LevelSpec],
    standard_ids: Sequence[int] = (),
) -> Procedure:
    """Rewrite a draft's procedure; its escalation list is replaced as a whole."""
    procedure = _procedure(procedure)
    values, found, rows = _procedure_values(
        title=title,
        description=description,
        channels=channels,
        standard_ids=standard_ids,
        levels=levels,
    )
    for key, value in values.items():
        setattr(procedure, key, value)
    procedure.save()
    procedure.standards.set(found)
    _save_levels(procedure, rows)
    audit.record(
        actor=actor,
        action=EDITED,
        target=procedure.goal.version,
        data={"procedure_changed": procedure.pk},
    )
    return procedure


@transaction.atomic
def delete_procedure(*, actor: Actor, procedure: Procedure) -> None:
    procedure = _procedure(procedure)
    audit.record(
        actor=actor,
        action=EDITED,
        target=procedure.goal.version,
        data={"procedure_deleted": procedure.pk},
    )
    procedure.delete()
