"""Reads of the service desk for the metric layer: durations and counts over a period of days.

Pure reads, not filtered by who asks (the metrics pages and API check their permission). Days
are the current time zone's: a case "created in the period" was created from the start of the
first day to the end of the last one, local time. Durations are wall-clock (not business hours:
the SLA clock has its own figures)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kliento.desk.models import Case, EscalationRecord, Message, SlaBreach


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


def first_response_minutes(start: dt.date, end: dt.date) -> list[float]:
    """Minutes from opening to the first reply, of the cases created in the period that got
    one (sorted)."""
    rows = Case.objects.filter(_created_in(start, end), first_response_at__isnull=False)
    found = rows.values_list("created_at", "first_response_at")
    return sorted(
        (answered - created).total_seconds() / 60 for created, answered in found if answered
    )


def resolution_hours(start: dt.date, end: dt.date) -> list[float]:
    """Hours from opening to resolution, of the cases resolved in the period (sorted)."""
    found = Case.objects.filter(_resolved_in(start, end)).values_list("created_at", "resolved_at")
    return sorted(
        (resolved - created).total_seconds() / 3600 for created, resolved in found if resolved
    )


@dataclass(frozen=True)
class SlaShare:
    within: int  # first reply at or before its due time
    counted: int  # cases with a due time, answered or already overdue


def first_responses_within_sla(
    start: dt.date, end: dt.date, *, now: dt.datetime | None = None
) -> SlaShare:
    """Of the cases created in the period with a first-response due time, how many were
    answered in time. A case not answered yet counts only once its due time has passed (before
    that it may still be answered in time)."""
    now = now or timezone.now()
    due = Case.objects.filter(_created_in(start, end), first_response_due_at__isnull=False)
    counted = due.filter(Q(first_response_at__isnull=False) | Q(first_response_due_at__lte=now))
    within = counted.filter(first_response_at__lte=F("first_response_due_at"))
    return SlaShare(within=within.count(), counted=counted.count())


def breaches_by_target(start: dt.date, end: dt.date) -> dict[str, int]:
    """SLA breaches recorded in the period, per target (first_response, next_response,
    resolution)."""
    first, stop = _bounds(start, end)
    rows = (
        SlaBreach.objects.filter(breached_at__gte=first, breached_at__lt=stop)
        .order_by()
        .values("target")
        .annotate(count=Count("pk"))
    )
    return {row["target"]: row["count"] for row in rows}


def escalations_by_level(start: dt.date, end: dt.date) -> dict[int, int]:
    """Escalation steps reached in the period, per level."""
    first, stop = _bounds(start, end)
    rows = (
        EscalationRecord.objects.filter(escalated_at__gte=first, escalated_at__lt=stop)
        .order_by()
        .values("level")
        .annotate(count=Count("pk"))
    )
    return {row["level"]: row["count"] for row in rows}


def backlog_at(day: dt.date) -> int:
    """Cases active at the end of `day`: opened by then and not resolved or closed by then.
    Read from today's status and done times, so a case resolved, reopened and resolved again
    counts by its last resolution (earlier cycles are not kept as timestamps)."""
    _first, stop = _bounds(day, day)
    opened = Case.objects.filter(created_at__lt=stop, merged_into__isnull=True)
    done_by_then = Q(status__in=Case.DONE, done_at__lt=stop)
    return (
        opened.annotate(done_at=Coalesce("resolved_at", "closed_at")).exclude(done_by_then).count()
    )


@dataclass(frozen=True)
class Resolutions:
    resolved: int  # cases resolved in the period
    reopened: int  # of them, reopened at least once
    one_reply: int  # of them, with exactly one reply to the client


def resolutions(start: dt.date, end: dt.date) -> Resolutions:
    resolved = Case.objects.filter(_resolved_in(start, end))
    replies = Count("messages", filter=Q(messages__direction=Message.Direction.OUTBOUND))
    return Resolutions(
        resolved=resolved.count(),
        reopened=resolved.filter(reopened_count__gt=0).count(),
        one_reply=resolved.annotate(replies=replies).filter(replies=1).count(),
    )


def volume_by_channel(start: dt.date, end: dt.date) -> dict[str, int]:
    """Cases created in the period, per channel."""
    rows = (
        Case.objects.filter(_created_in(start, end))
        .order_by()
        .values("channel")
        .annotate(count=Count("pk"))
        .order_by("channel")
    )
    return {row["channel"]: row["count"] for row in rows}
