"""The SLA clock of a case: which policy applies, when each target falls due, pauses.

A case has up to three targets: first response (from opening until the first reply),
next response (from an inbound message, once the case was answered, until the next reply) and
resolution (from opening until resolved). Each falls due when the policy's minutes of business
time have passed since its start, not counting the business time the clock stood still: while
the case waits on the client, is on hold or is resolved, nothing counts, and when it runs again
the due times move later by the business time of the pause.

`on_case_change` keeps the case's due fields, `sla_next_due_at` and the clock's `check_at`
right inside the change's transaction (the case row is locked by the service). The clock's
state is only ever written under that lock, by the hook or by the periodic job.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kliento.desk.hooks import CaseChange
from kliento.desk.models import Case, Message, SlaClock, SlaPolicy, SlaTarget
from kliento.desk.sla import calendar as cal
from kliento.desk.sla.calendar import WorkCalendar

# The clock stands still in these statuses (resolved and closed too: a reopened case goes on
# from where it stopped, without the time it was resolved).
STOPPED = (Case.Status.WAITING, Case.Status.ON_HOLD, Case.Status.RESOLVED, Case.Status.CLOSED)
DUE_FIELDS: dict[str, str] = {
    SlaTarget.FIRST_RESPONSE: "first_response_due_at",
    SlaTarget.NEXT_RESPONSE: "next_response_due_at",
    SlaTarget.RESOLUTION: "resolution_due_at",
}
# The kind of change `recompute` passes: policies or calendars were edited.
RECOMPUTE = "recompute"
CASE_FIELDS = ["sla_policy", "sla_paused_at", "sla_next_due_at", *DUE_FIELDS.values()]


def matching_policy(case: Case) -> SlaPolicy | None:
    """The first active policy, by position, whose conditions the case meets (an empty
    condition matches anything)."""
    segment_id = case.client.segment_id if case.client_id else None
    return (
        SlaPolicy.objects.filter(is_active=True)
        .filter(Q(priority="") | Q(priority=case.priority))
        .filter(Q(channel="") | Q(channel=case.channel))
        .filter(Q(segment__isnull=True) | Q(segment_id=segment_id))
        .select_related("calendar")
        .order_by("position", "id")
        .first()
    )


def calendar_of(policy: SlaPolicy | None) -> WorkCalendar:
    if policy is None or policy.calendar is None:
        return cal.ALWAYS
    calendar = policy.calendar
    holidays = list(calendar.holidays.values_list("date", flat=True))
    return cal.build(calendar.time_zone, calendar.hours, holidays)


def _minutes(policy: SlaPolicy | None, target: str) -> int | None:
    if policy is None:
        return None
    value: int | None = getattr(policy, f"{target}_minutes")
    return value


@dataclass(frozen=True)
class Running:
    """One target as the clock sees it now."""

    target: str
    start: dt.datetime
    minutes: int
    paused: dt.timedelta  # business time the clock stood still since `start`
    running: bool  # not met yet (it may be paused)


def targets(case: Case, clock: SlaClock, policy: SlaPolicy | None) -> list[Running]:
    found = []
    paused_total = dt.timedelta(seconds=clock.paused_seconds)
    first = _minutes(policy, SlaTarget.FIRST_RESPONSE)
    if first is not None:
        found.append(
            Running(
                SlaTarget.FIRST_RESPONSE,
                case.created_at,
                first,
                paused_total,
                running=case.first_response_at is None and case.status not in Case.DONE,
            )
        )
    following = _minutes(policy, SlaTarget.NEXT_RESPONSE)
    if following is not None and clock.next_response_from is not None:
        base = dt.timedelta(seconds=clock.next_response_paused_base)
        found.append(
            Running(
                SlaTarget.NEXT_RESPONSE,
                clock.next_response_from,
                following,
                paused_total - base,
                running=case.status not in Case.DONE,
            )
        )
    resolution = _minutes(policy, SlaTarget.RESOLUTION)
    if resolution is not None:
        found.append(
            Running(
                SlaTarget.RESOLUTION,
                case.created_at,
                resolution,
                paused_total,
                running=case.status not in Case.DONE,
            )
        )
    return found


def due_at(calendar: WorkCalendar, item: Running, share: float = 1.0) -> dt.datetime:
    amount = dt.timedelta(minutes=item.minutes) * share + item.paused
    return cal.add_business_time(calendar, item.start, amount)


def refresh(case: Case, clock: SlaClock, policy: SlaPolicy | None) -> None:
    """Recompute the due fields of running targets, `sla_next_due_at` and `check_at` (in
    memory; the caller saves). A met target keeps the due time it was met against."""
    calendar = calendar_of(policy)
    items = {item.target: item for item in targets(case, clock, policy)}
    for target, field in DUE_FIELDS.items():
        item = items.get(target)
        if item is None:
            setattr(case, field, None)
        elif item.running:
            setattr(case, field, due_at(calendar, item))
    paused = case.sla_paused_at is not None
    running = [i for i in items.values() if i.running and not paused]
    dues = [getattr(case, DUE_FIELDS[i.target]) for i in running]
    case.sla_next_due_at = min(dues) if dues else None
    checks = []
    for item in running:
        if item.target not in clock.warned and policy is not None:
            checks.append(due_at(calendar, item, policy.warn_at_percent / 100))
        if item.target not in clock.breached:
            checks.append(getattr(case, DUE_FIELDS[item.target]))
    clock.check_at = min(checks) if checks else None


def _sync_pause(case: Case, clock: SlaClock, calendar: WorkCalendar, now: dt.datetime) -> None:
    stopped = case.status in STOPPED
    if stopped and case.sla_paused_at is None:
        case.sla_paused_at = now
    elif not stopped and case.sla_paused_at is not None:
        pause = cal.business_time_between(calendar, case.sla_paused_at, now)
        clock.paused_seconds += round(pause.total_seconds())
        case.sla_paused_at = None


def _forget(clock: SlaClock, target: str) -> None:
    clock.warned = [t for t in clock.warned if t != target]
    clock.breached = [t for t in clock.breached if t != target]


def _on_message(case: Case, clock: SlaClock, message: Message) -> None:
    if message.direction == Message.Direction.OUTBOUND:
        # A reply answers whatever the client was owed.
        clock.next_response_from = None
        _forget(clock, SlaTarget.NEXT_RESPONSE)
    elif (
        message.direction == Message.Direction.INBOUND
        and not message.automated
        and case.first_response_at is not None
        and clock.next_response_from is None
        and case.status not in Case.DONE
    ):
        # The first unanswered message starts the clock; later ones wait with it.
        clock.next_response_from = message.created_at
        clock.next_response_paused_base = clock.paused_seconds
        _forget(clock, SlaTarget.NEXT_RESPONSE)


def clock_for(case: Case) -> SlaClock:
    clock, _created = SlaClock.objects.get_or_create(case=case)
    return clock


def apply_change(change: CaseChange, *, now: dt.datetime | None = None) -> None:
    """Bring one case's clock up to date after `change` (the SLA case hook)."""
    case = change.case
    now = now or timezone.now()
    clock = clock_for(case)
    policy = case.sla_policy if case.sla_policy_id else None
    # A case without a policy (none matched, or its policy was deleted) looks again.
    if (
        change.kind in ("opened", "priority", "changed", RECOMPUTE)
        or policy is None
        or not policy.is_active
    ):
        policy = matching_policy(case)
        case.sla_policy = policy
    calendar = calendar_of(policy)
    _sync_pause(case, clock, calendar, now)
    if change.kind == "message" and change.message is not None:
        _on_message(case, clock, change.message)
    refresh(case, clock, policy)
    case.save(update_fields=CASE_FIELDS)
    clock.save()


def on_case_change(change: CaseChange) -> None:
    if change.kind not in ("opened", "message", "status", "priority", "changed", "merged"):
        return
    apply_change(change)
    if change.kind == "merged":
        # The survivor may have gained an earlier first reply from the duplicate.
        survivor_id = change.changes.get("merged_into", (None, None))[1]
        survivor = Case.objects.filter(pk=survivor_id).select_related("sla_policy").first()
        if survivor is not None:
            apply_change(CaseChange(case=survivor, kind="refresh", actor=change.actor))


def recompute(case_id: int) -> bool:
    """Match an active case's policy again and recompute its due times (after a policy or
    calendar was edited); under the case's row lock, like every other clock change."""
    with transaction.atomic():
        case = (
            Case.objects.select_for_update(of=("self",))
            .select_related("sla_policy")
            .filter(pk=case_id, status__in=Case.ACTIVE)
            .first()
        )
        if case is None:
            return False
        apply_change(CaseChange(case=case, kind=RECOMPUTE))
    return True


def recompute_active(*, batch: int = 500) -> int:
    """Every active case, a batch of ids at a time (a case changed meanwhile is simply
    recomputed from its current state)."""
    done, after = 0, 0
    while True:
        ids = list(
            Case.objects.filter(status__in=Case.ACTIVE, pk__gt=after)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        done += sum(recompute(case_id) for case_id in ids)
        after = ids[-1]
