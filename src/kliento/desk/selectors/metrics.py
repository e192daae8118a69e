"""Reads of the service desk for the metric layer: durations and counts over a period of days.

Pure reads, not filtered by who asks (the metrics pages and API check their permission). Days
are the current time zone's: a case "created in the period" was created from the start of the
first day to the end of the last one, local time. Durations are wall-clock (not business hours:
the SLA clock has its own figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from kliento.desk.models import Case, EscalationRecord, Message, SlaBreach


@dataclass(frozen=True)
class CaseFilter:
    """Which cases a metric counts (every condition given must hold), for the metric layer's
    slices. A case belongs to a team by its team, or, when it has none, by its assignee's
    membership (`team_members`); to an employee as its assignee."""

    assignee_id: int | None = None
    unit_ids: tuple[int, ...] | None = None
    team_members: QuerySet[Any] | None = None  # user ids of the units' members
    touchpoint_id: int | None = None
    stage_id: int | None = None
    channel: str | None = None
    client_ids: QuerySet[Any] | None = None  # a subquery of client pks

    def q(self, prefix: str = "") -> Q:
        conditions: list[Q] = []
        if self.assignee_id is not None:
            conditions.append(Q(assignee_id=self.assignee_id))
        if self.unit_ids is not None:
            by_member = Q(team__isnull=True, assignee_id__in=self.team_members)
            conditions.append(Q(team_id__in=self.unit_ids) | by_member)
        for field, value in (
            ("touchpoint_id", self.touchpoint_id),
            ("stage_id", self.stage_id),
            ("channel", self.channel),
        ):
            if value is not None:
                conditions.append(Q(**{field: value}))
        if self.client_ids is not None:
            conditions.append(Q(client_id__in=self.client_ids))
        found = Q()
        for condition in conditions:
            found &= condition
        if prefix and conditions:
            return Q(**{f"{prefix}__in": Case.objects.filter(found).values("pk")})
        return found


def _where(where: CaseFilter | None, prefix: str = "") -> Q:
    return Q() if where is None else where.q(prefix)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start of `start`, start of the day after `end`) in the current time zone."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    stop = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, stop


def _created_in(start: dt.date, end: dt.date) -> Q:
    first, stop = _bounds(start, end)
    return Q(created_at__gte=first, created_at__lt=stop)


def _resolved_in(start: dt.date, end: dt.date) -> Q:
    first, stop = _bounds(start, end)
    return Q(resolved_at__gte=first, resolved_at__lt=stop)


def first_response_minutes(
    start: dt.date, end: dt.date, *, where: CaseFilter | None = None
) -> list[float]:
    """Minutes from opening to the first reply, of the cases created in the period that got
    one (sorted)."""
    rows = Case.objects.filter(
        _created_in(start, end), _where(where), first_response_at__isnull=False
    )
    found = rows.values_list("created_at", "first_response_at")
    return sorted(
        (answered - created).total_seconds() / 60 for created, answered in found if answered
    )


def resolution_hours(
    start: dt.date, end: dt.date, *, where: CaseFilter | None = None
) -> list[float]:
    """Hours from opening to resolution, of the cases resolved in the period (sorted)."""
    found = Case.objects.filter(_resolved_in(start, end), _where(where)).values_list(
        "created_at", "resolved_at"
    )
    return sorted(
        (resolved - created).total_seconds() / 3600 for created, resolved in found if resolved
    )


@dataclass(frozen=True)
class SlaShare:
    within: int  # first reply at or before its due time
    counted: int  # cases with a due time, answered or already overdue


def first_responses_within_sla(
    start: dt.date,
    end: dt.date,
    *,
    now: dt.datetime | None = None,
    where: CaseFilter | None = None,
) -> SlaShare:
    """Of the cases created in the period with a first-response due time, how many were
    answered in time. A case not answered yet counts only once its due time has passed (before
    that it may still be answered in time)."""
    now = now or timezone.now()
    due = Case.objects.filter(
        _created_in(start, end), _where(where), first_response_due_at__isnull=False
    )
    counted = due.filter(Q(first_response_at__isnull=False) | Q(first_response_due_at__lte=now))
    within = counted.filter(first_response_at__lte=F("first_response_due_at"))
    return SlaShare(within=within.count(), counted=counted.count())


def breaches_by_target(
    start: dt.date, end: dt.date, *, where: CaseFilter | None = None
) -> dict[str, int]:
    """SLA breaches recorded in the period, per target (first_response, next_response,
    resolution)."""
    first, stop = _bounds(start, end)
    rows = (
        SlaBreach.objects.filter(
            _where(where, "case"), breached_at__gte=first, breached_at__lt=stop
        )
        .order_by()
        .values("target")
        .annotate(count=Count("pk"))
    )
    return {row["target"]: row["count"] for row in rows}


def escalations_by_level(
    start: dt.date, end: dt.date, *, where: CaseFilter | None = None
) -> dict[int, int]:
    """Escalation steps reached in the period, per level."""
    first, stop = _bounds(start, end)
    rows = (
        EscalationRecord.objects.filter(
            _where(where, "case"), escalated_at__gte=first, escalated_at__lt=stop
        )
        .order_by()
        .values("level")
        .annotate(count=Count("pk"))
    )
    return {row["level"]: row["count"] for row in rows}


def backlog_at(day: dt.date, *, where: CaseFilter | None = None) -> int:
    """Cases active at the end of `day`: opened by then and not resolved or closed by then.
    Read from today's status and done times, so a case resolved, reopened and resolved again
    counts by its last resolution (earlier cycles are not kept as timestamps)."""
    _first, stop = _bounds(day, day)
    opened = Case.objects.filter(_where(where), created_at__lt=stop, merged_into__isnull=True)
    done_by_then = Q(status__in=Case.DONE, done_at__lt=stop)
    return (
        opened.annotate(done_at=Coalesce("resolved_at", "closed_at")).exclude(done_by_then).count()
    )


@dataclass(frozen=True)
class Resolutions:
    resolved: int  # cases resolved in the period
    reopened: int  # of them, reopened at least once
    one_reply: int  # of them, with exactly one reply to the client


def resolutions(start: dt.date, end: dt.date, *, where: CaseFilter | None = None) -> Resolutions:
    resolved = Case.objects.filter(_resolved_in(start, end), _where(where))
    replies = Count("messages", filter=Q(messages__direction=Message.Direction.OUTBOUND))
    return Resolutions(
        resolved=resolved.count(),
        reopened=resolved.filter(reopened_count__gt=0).count(),
        one_reply=resolved.annotate(replies=replies).filter(replies=1).count(),
    )


def volume_by_channel(
    start: dt.date, end: dt.date, *, where: CaseFilter | None = None
) -> dict[str, int]:
    """Cases created in the period, per channel."""
    rows = (
        Case.objects.filter(_created_in(start, end), _where(where))
        .order_by()
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("channel")
    )
    return {row["channel"]: row["count"] for row in rows}
