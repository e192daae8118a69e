"""Escalation along a policy procedure's escalation list, exactly once per level.

The list is read only through `kliento.policy.selectors.escalation_list`. Each level says after
how many minutes since the matter was opened it takes over; the policy stores plain minutes
with no business-hours flag, so escalation runs in wall-clock time (docs/decisions/0024).

A level with `after_minutes` 0 is where a case starts (no escalation is recorded for it). The
worker moves a case on with a conditional UPDATE that names the level it saw: of two workers
(or a retried run) only one UPDATE matches a row, and the record, history line and
notifications are written in that UPDATE's transaction, so they exist exactly when the move
does. The unique (case, level) record is the last guard.

Resolving a case stops escalation (the level stays); reopening restarts the timer of the
level the case is at; changing the case's procedure continues with the new list's levels
above the current one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.core.notifications import notify
from kliento.desk.hooks import CaseChange
from kliento.desk.models import Case, CaseEvent, EscalationRecord
from kliento.desk.sla import people
from kliento.policy.selectors import EscalationList, EscalationStep, escalation_list

ESCALATED = "desk.escalated"
BATCH = 200


def _list(procedure_id: int | None) -> EscalationList | None:
    if procedure_id is None:
        return None
    found = escalation_list(procedure_id)
    return found if found is not None and found.levels else None


def next_step(found: EscalationList, level: int) -> EscalationStep | None:
    return next((s for s in sorted(found.levels, key=lambda s: s.level) if s.level > level), None)


def _after_of(found: EscalationList, level: int) -> int:
    """Minutes after opening at which the case reached `level` by this list (0 before any)."""
    reached = [s.after_minutes for s in found.levels if s.level <= level]
    return max(reached) if reached else 0


def schedule(case: Case, *, since: dt.datetime) -> None:
    """Set the level a case starts at (first time) and when the next level falls due, counting
    from `since` (in memory; the caller saves)."""
    found = _list(case.procedure_id)
    if found is None or case.status in Case.DONE:
        case.escalation_due_at = None
        return
    if case.escalation_level == 0:
        starting = [s.level for s in found.levels if s.after_minutes <= 0]
        case.escalation_level = max(starting) if starting else 0
    following = next_step(found, case.escalation_level)
    if following is None:
        case.escalation_due_at = None
        return
    gap = following.after_minutes - _after_of(found, case.escalation_level)
    case.escalation_due_at = since + dt.timedelta(minutes=max(gap, 0))


def on_case_change(change: CaseChange) -> None:
    """The escalation case hook: start, stop and restart the timer."""
    case = change.case
    before = (case.escalation_level, case.escalation_due_at)
    old_status = change.changes.get("status", (None, None))[0]
    if case.status in Case.DONE:
        case.escalation_due_at = None
    elif change.kind == "opened":
        schedule(case, since=case.created_at)
    elif (change.kind == "status" and old_status in Case.DONE) or (
        change.kind == "changed" and "procedure" in change.changes
    ):
        schedule(case, since=timezone.now())
    if (case.escalation_level, case.escalation_due_at) != before:
        case.save(update_fields=["escalation_level", "escalation_due_at"])


def recipients(step: EscalationStep, case: Case) -> list[Any]:
    if step.user_id is not None:
        return list(get_user_model().objects.filter(pk=step.user_id, is_active=True))
    if step.unit_id is not None:
        return people.unit_members(step.unit_id)
    if step.role:
        return people.role_holders(step.role, case.team_id)
    return []


def escalate_case(case_id: int, *, now: dt.datetime) -> bool:
    """Move one case to its next level if it is due; False when there was nothing to do or
    another worker did it."""
    with transaction.atomic():
        seen = (
            Case.objects.filter(pk=case_id, escalation_due_at__lte=now, status__in=Case.ACTIVE)
            .values("escalation_level", "escalation_due_at", "procedure_id")
            .first()
        )
        if seen is None:
            return False
        old, due = seen["escalation_level"], seen["escalation_due_at"]
        found = _list(seen["procedure_id"])
        step = next_step(found, old) if found is not None else None
        unchanged = Case.objects.filter(
            pk=case_id, escalation_level=old, escalation_due_at=due, status__in=Case.ACTIVE
        )
        if found is None or step is None:
            # The list went away or ends here: nothing more falls due.
            unchanged.update(escalation_due_at=None)
            return False
        after = next_step(found, step.level)
        assert due is not None  # the filter above matched a due time
        new_due = (
            due + dt.timedelta(minutes=after.after_minutes - step.after_minutes) if after else None
        )
        # The claim: only one UPDATE can still see the level it read.
        if unchanged.update(escalation_level=step.level, escalation_due_at=new_due) != 1:
            return False
        case = Case.objects.select_related("assignee").get(pk=case_id)
        told = recipients(step, case)
        EscalationRecord.objects.create(
            case=case,
            level=step.level,
            procedure_id=found.procedure_id,
            escalated_at=now,
            notified=[u.pk for u in told],
            notify_by=step.notify,
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEvent.Kind.ESCALATED,
            data={
                "level": [old, step.level],
                "procedure_id": found.procedure_id,
                "notify_by": step.notify,
                "notified": [u.pk for u in told],
            },
            created_at=now,
        )
        notify(
            recipients=told,
            kind=ESCALATED,
            target_url=people.case_url(case),
            params={
                "case_id": case.pk,
                "number": case.number,
                "subject": case.subject[:200],
                "level": step.level,
                "procedure": found.procedure_title[:200],
            },
        )
    return True


def escalate_due(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """The periodic job's pass; a case late by several levels climbs them one by one."""
    now = now or timezone.now()
    ids = list(
        Case.objects.filter(escalation_due_at__lte=now, status__in=Case.ACTIVE)
        .order_by("escalation_due_at")
        .values_list("pk", flat=True)[:batch]
    )
    moved = 0
    for case_id in ids:
        while escalate_case(case_id, now=now):
            moved += 1
    return moved
