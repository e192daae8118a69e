"""From a slice to each metric source's filter: which clients, answers or cases it covers.

Attribution (docs/decisions: employees and teams in metrics):
- clients (churn, revenue, LTV …): an employee's clients are those they are account manager
  of; a team's or department's, those of the unit's current members (the unit's subtree); a
  stage's, the clients at that stage at some moment of the period; a pilot's, its clients.
- survey answers: the answer's agent; its recorded team (else the agent's unit); its touchpoint,
  stage and channel; the client's segment and pilot.
- cases: the assignee; the case's team (else the assignee's unit); its touchpoint, stage,
  channel; the client's segment and pilot.
- staff answers (eNPS): the unit recorded on the answer (never a person: they are anonymous).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.models import OrgUnit, StaffProfile
from kliento.metrics.registry import Period
from kliento.metrics.slices import (
    CHANNEL,
    DEPARTMENT,
    EMPLOYEE,
    NON_PILOT,
    PILOT,
    SEGMENT,
    STAGE,
    TEAM,
    TOUCHPOINT,
    UNIT_KINDS,
    Slice,
)


def unit_subtree(unit_id: int) -> tuple[int, ...]:
    """The unit and every unit under it (a department includes its teams)."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in OrgUnit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: list[int] = []
    todo = [unit_id]
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.append(pk)
            todo.extend(children.get(pk, []))
    return tuple(sorted(found))


def unit_members(unit_ids: tuple[int, ...]) -> QuerySet[Any]:
    """User ids of the people whose unit is one of `unit_ids`, as a subquery."""
    return StaffProfile.objects.filter(unit_id__in=unit_ids).order_by().values("user_id")


def check_exists(s: Slice) -> None:
    """ValueError (with a message for people) when the slice's id names nothing of its kind."""
    if s.kind in UNIT_KINDS:
        found = OrgUnit.objects.filter(pk=s.pk).values_list("kind", flat=True).first()
        if found is None:
            raise ValueError(_("There is no such unit."))
        # A department slice of a team (or the reverse) is allowed: a unit is a subtree either
        # way; only the company root is not a team or department.
        if found == OrgUnit.Kind.COMPANY:
            raise ValueError(_("The company is not a department or a team."))
        return
    if s.kind == EMPLOYEE:
        if not get_user_model().objects.filter(pk=s.pk).exists():
            raise ValueError(_("There is no such employee."))
        return
    if s.kind in (PILOT, NON_PILOT):
        from kliento.policy import selectors as policy

        if policy.pilot_by_id(s.pk) is None:
            raise ValueError(_("There is no such pilot."))
        return
    if s.kind == SEGMENT:
        if not clients.segments().filter(pk=s.pk).exists():
            raise ValueError(_("There is no such segment."))
        return
    if s.kind == STAGE:
        from kliento.touchpoints import selectors as touchpoints

        if not touchpoints.stages().filter(pk=s.pk).exists():
            raise ValueError(_("There is no such journey stage."))
        return
    if s.kind == TOUCHPOINT:
        from kliento.touchpoints import selectors as touchpoints

        if touchpoints.touchpoint(s.pk) is None:
            raise ValueError(_("There is no such touchpoint."))


def _day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    since = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(period.end, dt.time.max))
    return since, until


def _pilot_clients(s: Slice) -> QuerySet[Any]:
    from kliento.policy import selectors as policy

    return policy.pilot_client_ids(s.pk)


def client_ids(s: Slice, period: Period) -> QuerySet[Any] | None:
    """The clients a client metric counts for the slice (None: every client). Only for the
    kinds in CLIENT_SLICES."""
    if s.is_company:
        return None
    if s.kind == SEGMENT:
        return clients.client_ids(segment_id=s.pk)
    if s.kind == EMPLOYEE:
        return clients.client_ids(manager_ids=[s.pk])
    if s.kind in UNIT_KINDS:
        return clients.client_ids(manager_ids=unit_members(unit_subtree(s.pk)))
    if s.kind == STAGE:
        from kliento.journeys import selectors as journeys

        since, until = _day_bounds(period)
        at_stage = journeys.clients_at_stage(stage_id=s.pk, since=since, until=until)
        return clients.client_ids(within=at_stage)
    if s.kind == PILOT:
        return clients.client_ids(within=_pilot_clients(s))
    if s.kind == NON_PILOT:
        return clients.client_ids(without=_pilot_clients(s))
    raise ValueError(f"Client metrics cannot be cut by {s.kind}")


def _client_side(s: Slice) -> QuerySet[Any] | None:
    """For answers and cases: the clients a segment or pilot slice covers."""
    if s.kind == SEGMENT:
        return clients.client_ids(segment_id=s.pk)
    if s.kind == PILOT:
        return _pilot_clients(s)
    if s.kind == NON_PILOT:
        return clients.client_ids(without=_pilot_clients(s))
    return None


def record_filter(s: Slice) -> dict[str, Any] | None:
    """The conditions shared by answers and cases (the person field named `person`), as
    keyword arguments of surveys.AnswerFilter / desk.CaseFilter; None for the company."""
    if s.is_company:
        return None
    if s.kind == EMPLOYEE:
        return {"person": s.pk}
    if s.kind in UNIT_KINDS:
        units = unit_subtree(s.pk)
        return {"unit_ids": units, "team_members": unit_members(units)}
    if s.kind == TOUCHPOINT:
        return {"touchpoint_id": s.pk}
    if s.kind == STAGE:
        return {"stage_id": s.pk}
    if s.kind == CHANNEL:
        return {"channel": s.id}
    return {"client_ids": _client_side(s)}


def answer_filter(s: Slice) -> Any:
    """A kliento.surveys.selectors.AnswerFilter for the slice (None: every answer)."""
    from kliento.surveys import selectors as surveys

    found = record_filter(s)
    if found is None:
        return None
    if "person" in found:
        found["agent_id"] = found.pop("person")
    return surveys.AnswerFilter(**found)


def case_filter(s: Slice) -> Any:
    """A kliento.desk.selectors.CaseFilter for the slice (None: every case)."""
    from kliento.desk import selectors as desk

    found = record_filter(s)
    if found is None:
        return None
    if "person" in found:
        found["assignee_id"] = found.pop("person")
    return desk.CaseFilter(**found)


def staff_units(s: Slice) -> tuple[int, ...] | None:
    """For staff answers: the units a department or team slice covers (None: all)."""
    if s.is_company:
        return None
    if s.kind in (DEPARTMENT, TEAM):
        return unit_subtree(s.pk)
    raise ValueError(f"Staff answers cannot be cut by {s.kind}")


def clean_slice(text: str | None, *, metric_key: str | None = None) -> Slice:
    """A slice from a query parameter ("team:12"; empty: the company), checked to exist and,
    given `metric_key`, to be one the metric supports. ValidationError({"slice": …}) otherwise,
    for forms and the API's 422."""
    from kliento.metrics import registry

    try:
        found = Slice.parse(text)
    except ValueError:
        message = _("Not a slice: use kind:id, such as team:12 or channel:email.")
        raise ValidationError({"slice": ValidationError(message, code="slice_syntax")}) from None
    try:
        check_exists(found)
    except ValueError as exc:
        raise ValidationError({"slice": ValidationError(str(exc), code="slice_missing")}) from None
    if metric_key is not None and not registry.supports(metric_key, found):
        message = _("This metric cannot be computed for a slice of this kind.")
        raise ValidationError({"slice": ValidationError(message, code="slice_unsupported")})
    return found
