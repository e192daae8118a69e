"""Cases counted per day for the metrics' daily rollups (kliento.metrics.rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Sum

from kliento.desk.models import Case

DIMENSIONS = (
    "team_id",
    "assignee_id",
    "channel",
    "stage_id",
    "touchpoint_id",
    "client__segment_id",
)


def daily_case_rows(day: dt.date) -> list[dict[str, Any]]:
    """Per combination of DIMENSIONS: cases opened on the day ("opened"), those of them with a
    first response ("responded") and its total wait ("response_seconds"), and the cases
    resolved on the day ("resolved"). Merged cases are not counted (their survivor is)."""
    live = Case.objects.filter(merged_into__isnull=True)
    wait = ExpressionWrapper(F("first_response_at") - F("created_at"), output_field=DurationField())
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}

    def row(found: dict[str, Any]) -> dict[str, Any]:
        key = tuple(found[d] for d in DIMENSIONS)
        return rows.setdefault(
            key,
            {
                **{d: found[d] for d in DIMENSIONS},
                "opened": 0,
                "responded": 0,
                "response_seconds": 0.0,
                "resolved": 0,
            },
        )

    opened = (
        live.filter(created_at__date=day)
        .values(*DIMENSIONS)
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
        live.filter(resolved_at__date=day)
        .values(*DIMENSIONS)
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
