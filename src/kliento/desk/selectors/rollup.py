"""Cases counted per day for the metrics' daily rollups (kliento.metrics.rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from kliento.desk.models import Case

DIMENSIONS = (
    "team_id",
    "assignee_id",
    "channel",
    "stage_id",
    "touchpoint_id",
    "client__segment_id",
)


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def daily_case_rows(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per day ("day") and combination of DIMENSIONS, from `first` to `last`: cases opened on
    the day ("opened"), those of them with a
    first response ("responded") and its total wait ("response_seconds"), and the cases
    resolved on the day ("resolved"). Merged cases are not counted (their survivor is)."""
    live = Case.objects.filter(merged_into__isnull=True)
    wait = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    start, stop = _day_start(first), _day_start(last + dt.timedelta(days=1))

    def row(found: dict[str, Any]) -> dict[str, Any]:
        key = (found["day"], *(found[d] for d in DIMENSIONS))
        return rows.setdefault(
            key,
            {
                "day": found["day"],
                **{d: found[d] for d in DIMENSIONS},
                "opened": 0,
                "responded": 0,
                "response_seconds": 0.0,
                "resolved": 0,
            },
        )

    opened = (
        live.filter(created_at__gte=start, created_at__lt=stop)
        .annotate(day=TruncDate("created_at"))
        .values("day", *DIMENSIONS)
        .annotate(
            opened=Count("id"),
            responded=Count("first_response_at"),
            wait=Sum(wait),
        )
        .order_by()
    )
    for found in opened:
        target = row(found)
        target["opened"] = found["opened"]
        target["responded"] = found["responded"]
        waited: dt.timedelta | None = found["wait"]
        target["response_seconds"] = waited.total_seconds() if waited else 0.0
    resolved = (
        live.filter(resolved_at__gte=start, resolved_at__lt=stop)
        .annotate(day=TruncDate("resolved_at"))
        .values("day", *DIMENSIONS)
        .annotate(resolved=Count("id"))
        .order_by()
    )
    for found in resolved:
        row(found)["resolved"] = found["resolved"]
    return list(rows.values())


def case_days_changed_since(stamp: dt.datetime | None) -> set[dt.date]:
    """Days whose figures a case changed after `stamp` touched: its opening and resolution
    days (every such day when None)."""
    qs = Case.objects.all()
    if stamp is not None:
        qs = qs.filter(updated_at__gt=stamp)
    days = set(qs.dates("created_at", "day").order_by())
    days |= set(qs.filter(resolved_at__isnull=False).dates("resolved_at", "day").order_by())
    return days
