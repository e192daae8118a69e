"""Warnings before a breach and breach records, written by the periodic job.

Each case whose clock's `check_at` has passed is claimed with a row lock that skips rows
another worker holds (`select_for_update(skip_locked=True)`), and only while `check_at` still
says it is due: two workers never look at one case at once, and the one that comes second
finds the work done (`warned`/`breached` updated, `check_at` moved on). The unique breach row
(case, target, due time) is the last guard: a breach that is already recorded is neither
written nor announced again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.core.notifications import notify
from kliento.desk.models import Case, CaseEvent, SlaBreach, SlaClock
from kliento.desk.sla import clock as clocks
from kliento.desk.sla import people

WARNING = "desk.sla_warning"
BREACH = "desk.sla_breach"
BATCH = 200


def _event(case: Case, what: str, target: str, due: dt.datetime, now: dt.datetime) -> None:
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.SLA,
        data={"event": what, "target": target, "due_at": due.isoformat()},
        created_at=now,
    )


def _params(case: Case, target: str, due: dt.datetime) -> dict[str, Any]:
    return {
        "case_id": case.pk,
        "number": case.number,
        "subject": case.subject[:200],
        "target": target,
        "due_at": due.isoformat(),
    }


def _breach(case: Case, target: str, due: dt.datetime, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            SlaBreach.objects.create(
                case=case,
                target=target,
                due_at=due,
                breached_at=now,
                team_id=case.team_id,
                assignee_id=case.assignee_id,
            )
    except IntegrityError:
        return False
    return True


def check_case(case_id: int, *, now: dt.datetime) -> int:
    """Record the warnings and breaches of one case that are due; returns how many."""
    done = 0
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("sla_policy", "assignee")
            .filter(pk=case_id, sla_clock__check_at__lte=now)
            .first()
        )
        if case is None:  # another worker has it, or it is no longer due
            return 0
        clock = SlaClock.objects.get(case=case)
        policy = case.sla_policy
        calendar = clocks.calendar_of(policy)
        paused = case.sla_paused_at is not None
        for item in clocks.targets(case, clock, policy):
            if not item.running or paused:
                continue
            due = clocks.due_at(calendar, item)
            if item.target not in clock.breached and due <= now:
                clock.breached = [*clock.breached, item.target]
                clock.warned = sorted({*clock.warned, item.target})
                if _breach(case, item.target, due, now):
                    _event(case, "breached", item.target, due, now)
                    notify(
                        recipients=people.breach_recipients(case),
                        kind=BREACH,
                        target_url=people.case_url(case),
                        params=_params(case, item.target, due),
                    )
                    done += 1
            elif item.target not in clock.warned and policy is not None:
                warn = clocks.due_at(calendar, item, policy.warn_at_percent / 100)
                if warn <= now:
                    clock.warned = [*clock.warned, item.target]
                    _event(case, "warning", item.target, due, now)
                    notify(
                        recipients=people.workers(case),
                        kind=WARNING,
                        target_url=people.case_url(case),
                        params=_params(case, item.target, due),
                    )
                    done += 1
        clocks.refresh(case, clock, policy)
        case.save(update_fields=clocks.CASE_FIELDS)
        clock.save()
    return done


def check_due(*, now: dt.datetime | None = None, batch: int = BATCH) -> int:
    """The periodic job's pass: every case whose warning or breach is due."""
    now = now or timezone.now()
    ids = list(
        SlaClock.objects.filter(check_at__lte=now)
        .order_by("check_at")
        .values_list("case_id", flat=True)[:batch]
    )
    return sum(check_case(case_id, now=now) for case_id in ids)
