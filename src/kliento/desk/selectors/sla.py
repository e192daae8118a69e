"""Reads of the SLA clock: a case's targets as pages and the API show them, and breaches by
team, agent and period for the metrics.

`breaches` and `breach_counts` do not filter by who asks: the caller checks the permission
(the metrics pages show them to managers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from kliento.desk.models import Case, SlaBreach, SlaClock, SlaTarget
from kliento.desk.sla import calendar as cal
from kliento.desk.sla import clock as clocks


@dataclass(frozen=True)
class TargetState:
    target: str  # first_response, next_response, resolution
    label: str
    minutes: int
    # When it falls due; None while the clock is paused (`remaining` then stands still).
    due_at: dt.datetime | None
    # Business time left (negative: overdue); None once met.
    remaining: dt.timedelta | None
    paused: bool
    met: bool
    met_at: dt.datetime | None
    breached: bool


def _met_at(case: Case, target: str) -> dt.datetime | None:
    if target == SlaTarget.FIRST_RESPONSE:
        return case.first_response_at
    if target == SlaTarget.RESOLUTION and case.status in Case.DONE:
        return case.resolved_at or case.closed_at
    return None


def sla_state(case: Case, *, now: dt.datetime | None = None) -> list[TargetState]:
    """Each target of the case's policy that applies now, with its due time and standing."""
    now = now or timezone.now()
    clock = SlaClock.objects.filter(case_id=case.pk).first()
    policy = case.sla_policy if case.sla_policy_id else None
    if clock is None or policy is None:
        return []
    calendar = clocks.calendar_of(policy)
    labels = dict(SlaTarget.choices)
    paused = case.sla_paused_at is not None
    found = []
    for item in clocks.targets(case, clock, policy):
        stored: dt.datetime | None = getattr(case, clocks.DUE_FIELDS[item.target])
        met_at = _met_at(case, item.target)
        remaining = None
        due = stored
        if item.running and paused:
            assert case.sla_paused_at is not None
            spent = cal.business_time_between(calendar, item.start, case.sla_paused_at)
            remaining = dt.timedelta(minutes=item.minutes) - (spent - item.paused)
            due = None
        elif item.running and stored is not None:
            if stored > now:
                remaining = cal.business_time_between(calendar, now, stored)
            else:
                remaining = -cal.business_time_between(calendar, stored, now)
        late = met_at is not None and stored is not None and met_at > stored
        overdue = item.running and remaining is not None and remaining < dt.timedelta(0)
        found.append(
            TargetState(
                target=item.target,
                label=str(labels[item.target]),
                minutes=item.minutes,
                due_at=due,
                remaining=remaining,
                paused=paused and item.running,
                met=met_at is not None and not item.running,
                met_at=met_at if not item.running else None,
                breached=late or overdue or item.target in clock.breached,
            )
        )
    return found


def breaches(
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    team_id: int | None = None,
    assignee_id: int | None = None,
    target: str | None = None,
) -> QuerySet[SlaBreach]:
    """Breach records in [since, until), optionally of one team, agent or target."""
    found = SlaBreach.objects.select_related("case", "team", "assignee")
    if since is not None:
        found = found.filter(breached_at__gte=since)
    if until is not None:
        found = found.filter(breached_at__lt=until)
    if team_id is not None:
        found = found.filter(team_id=team_id)
    if assignee_id is not None:
        found = found.filter(assignee_id=assignee_id)
    if target is not None:
        found = found.filter(target=target)
    return found


def breach_counts(
    *, by: str, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> list[dict[str, object]]:
    """Breaches per team (`by="team"`) or per agent (`by="assignee"`) and target:
    [{"team_id": 3, "target": "first_response", "count": 5}, …]."""
    if by not in ("team", "assignee"):
        raise ValueError("Breaches are counted by team or by assignee")
    key = f"{by}_id"
    rows = (
        breaches(since=since, until=until)
        .order_by()
        .values(key, "target")
        .annotate(count=Count("pk"))
        .order_by(key, "target")
    )
    return [dict(row) for row in rows]
