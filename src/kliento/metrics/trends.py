"""A metric as a series: the range cut into calendar days, weeks, months or quarters, the
metric computed over each (the registry's compute, so each point equals the single-period
figure of its bucket).

Buckets follow the calendar: a week runs Monday to Sunday (ISO), a quarter starts in January,
April, July or October. The first and last buckets are cut to the range, and say so
(`partial`), rather than count days outside what was asked. A bucket with nothing in it is
still a point (its value is whatever the metric gives an empty period: 0 or None), so a series
has no gaps.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kliento.metrics import registry
from kliento.metrics.slices import Slice

DAY, WEEK, MONTH, QUARTER = "day", "week", "month", "quarter"
GRANULARITIES: dict[str, str | Promise] = {
    DAY: _("by day"),
    WEEK: _("by week"),
    MONTH: _("by month"),
    QUARTER: _("by quarter"),
}
# More points than any chart or table can show usefully; also bounds the work of one request.
MAX_BUCKETS = 400


def _bucket_start(day: dt.date, granularity: str) -> dt.date:
    if granularity == DAY:
        return day
    if granularity == WEEK:
        return day - dt.timedelta(days=day.weekday())
    if granularity == MONTH:
        return day.replace(day=1)
    if granularity == QUARTER:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    raise ValueError(f"Unknown granularity {granularity!r}")


def _next_start(start: dt.date, granularity: str) -> dt.date:
    if granularity == DAY:
        return start + dt.timedelta(days=1)
    if granularity == WEEK:
        return start + dt.timedelta(days=7)
    months = 1 if granularity == MONTH else 3
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1)


@dataclass(frozen=True)
class Bucket:
    period: registry.Period
    partial: bool  # cut by the range: fewer days than the calendar unit


def buckets(start: dt.date, end: dt.date, granularity: str) -> list[Bucket]:
    """The calendar buckets covering start…end, cut to it. ValueError for a reversed range, an
    unknown granularity or more than MAX_BUCKETS buckets."""
    if end < start:
        raise ValueError("The range ends before it starts.")
    found: list[Bucket] = []
    first = _bucket_start(start, granularity)
    while first <= end:
        following = _next_start(first, granularity)
        last = following - dt.timedelta(days=1)
        cut = registry.Period(max(first, start), min(last, end))
        found.append(Bucket(cut, cut.start != first or cut.end != last))
        if len(found) > MAX_BUCKETS:
            raise ValueError(f"More than {MAX_BUCKETS} points; choose a coarser granularity.")
        first = following
    return found


@dataclass
class TrendPoint:
    result: registry.MetricResult
    partial: bool

    def as_dict(self) -> dict[str, Any]:
        return self.result.as_dict() | {"partial": self.partial}


def trend(
    key: str,
    start: dt.date,
    end: dt.date,
    granularity: str,
    *,
    rule: registry.ChurnRule | None = None,
    slice: Slice | None = None,
    survey_id: int | None = None,
) -> list[TrendPoint]:
    """The metric over each bucket; ValueError as `buckets` and as `registry.compute` (an
    unsupported slice)."""
    rule = rule or registry.ChurnRule.configured()
    return [
        TrendPoint(
            registry.compute(key, b.period, rule, survey_id=survey_id, slice=slice), b.partial
        )
        for b in buckets(start, end, granularity)
    ]


def series_dict(
    key: str, start: dt.date, end: dt.date, granularity: str, points: list[TrendPoint]
) -> dict[str, Any]:
    """The JSON shape of a trend (API and `kliento report --by`)."""
    out: dict[str, Any] = {
        "metric": key,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "by": granularity,
    }
    if points and not points[0].result.slice.is_company:
        out["slice"] = str(points[0].result.slice)
    out["points"] = [p.as_dict() for p in points]
    return out
