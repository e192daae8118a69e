"""The journey's metrics in the metric layer (kliento.metrics.registry): entries per stage, time
in stage (median and p90 of completed stays) and conversion between consecutive stages.

Registered from this app (`register()`, called by registrations when the metrics app is
installed) so the metric layer knows nothing of journeys. Conversion is the journey board's own
cohort figure (`stats.conversion`); the figures per stage go in `inputs["stages"]`, the headline
`value` pools them for the whole company.

Time in stage here is over *completed* stays that ended in the period (a move out of the stage):
the board's "median days there" is about the clients there now, which has no past period.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from typing import Any

from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.journeys import stats
from kliento.journeys.models import Journey, Stage, StageMove
from kliento.metrics.registry import MetricDefinition, MetricResult, Period, Scope, register_metric

GROUP = "journeys"
DAY = 86_400.0
DIGITS = 4


def percentile(ordered: list[float], share: float) -> float | None:
    """The `share` quantile (0..1) of sorted values, linear between neighbours (as the desk's
    response times); None if empty."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) in the company's time zone: the period's first day to the day after its last."""
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=zone)
    return start, dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)


def _labels() -> dict[int, dict[str, Any]]:
    return {
        pk: {"stage_id": pk, "journey": journey, "stage": name}
        for pk, journey, name in Stage.objects.order_by("journey_id", "position").values_list(
            "pk", "journey__name", "name"
        )
    }


def stage_entries(period: Period, scope: Scope) -> MetricResult:
    start, end = _bounds(period)
    entered: dict[int, int] = defaultdict(int)
    rows = (
        StageMove.objects.filter(moved_at__gte=start, moved_at__lt=end)
        .values_list("to_stage_id")
        .order_by()
    )
    for (stage_id,) in rows.iterator(chunk_size=5000):
        entered[stage_id] += 1
    labels = _labels()
    stages = [{**label, "entered": entered.get(pk, 0)} for pk, label in labels.items()]
    return MetricResult(
        "journey_stage_entries", period, None, {"stages": stages}, sum(entered.values())
    )


def stay_days(period: Period) -> dict[int, list[float]]:
    """Per stage, the days each stay that ended in the period lasted (sorted): from the move
    into the stage to the move out of it, for the same client on the same journey."""
    start, end = _bounds(period)
    moves = (
        StageMove.objects.filter(moved_at__lt=end)
        .annotate(
            entered=Window(
                Lag("moved_at"),
                partition_by=[F("client_id"), F("journey_id")],
                order_by=[F("moved_at").asc(), F("id").asc()],
            )
        )
        .values_list("from_stage_id", "entered", "moved_at")
    )
    stays: dict[int, list[float]] = defaultdict(list)
    # The period's lower bound is checked here: filtered in SQL it would hide the move into
    # the stage that LAG needs.
    for stage_id, entered, moved in moves:
        if stage_id is not None and entered is not None and moved >= start:
            stays[stage_id].append((moved - entered).total_seconds() / DAY)
    for values in stays.values():
        values.sort()
    return stays


def time_in_stage(period: Period, scope: Scope) -> MetricResult:
    stays = stay_days(period)
    every = sorted(d for values in stays.values() for d in values)
    stages = [
        {
            **label,
            "n": len(stays.get(pk, [])),
            "median_days": _r(percentile(stays.get(pk, []), 0.5)),
            "p90_days": _r(percentile(stays.get(pk, []), 0.9)),
        }
        for pk, label in _labels().items()
    ]
    median = _r(percentile(every, 0.5))
    return MetricResult(
        "journey_time_in_stage",
        period,
        None,
        {"n": len(every), "stages": stages},
        median,
        {"median_days": median, "p90_days": _r(percentile(every, 0.9))},
    )


def stage_conversion(period: Period, scope: Scope) -> MetricResult:
    start, end = _bounds(period)
    pairs: list[dict[str, Any]] = []
    for journey in Journey.objects.order_by("pk"):
        for step in stats.conversion(journey, start=start, end=end):
            pairs.append(
                {
                    "journey": journey.name,
                    "from_stage": step.from_stage.name,
                    "to_stage": step.to_stage.name,
                    "entered": step.entered,
                    "moved_on": step.moved_on,
                    "rate": _r(step.rate),
                }
            )
    entered = sum(int(p["entered"]) for p in pairs)
    moved_on = sum(int(p["moved_on"]) for p in pairs)
    value = round(moved_on / entered, 6) if entered else None
    return MetricResult(
        "journey_conversion",
        period,
        None,
        {"entered": entered, "moved_on": moved_on, "steps": pairs},
        value,
    )


def register() -> None:
    register_metric(
        MetricDefinition(
            key="journey_stage_entries",
            name=_("Entries per journey stage"),
            formula=_("Moves into each stage during the period; the value is their sum."),
            inputs=(("stages", _("entries per stage")),),
            unit=_("entries"),
            compute=stage_entries,
            slices=("company", "stage"),
            group=GROUP,
        )
    )
    register_metric(
        MetricDefinition(
            key="journey_time_in_stage",
            name=_("Time in stage"),
            formula=_(
                "Median (and p90) days of the stays that ended in the period, from the move "
                "into a stage to the move out of it"
            ),
            inputs=(("n", _("stays ended")), ("stages", _("median and p90 per stage"))),
            unit=_("days"),
            compute=time_in_stage,
            slices=("company", "stage"),
            group=GROUP,
        )
    )
    register_metric(
        MetricDefinition(
            key="journey_conversion",
            name=_("Stage conversion"),
            formula=_(
                "moved_on / entered: of the clients who entered a stage in the period, those who "
                "have since gone on to the next stage, pooled over every step of every journey"
            ),
            inputs=(
                ("entered", _("entries into a stage with a next stage")),
                ("moved_on", _("of them, went on to the next stage")),
                ("steps", _("the same per pair of consecutive stages")),
            ),
            unit=_("share"),
            compute=stage_conversion,
            slices=("company", "stage"),
            group=GROUP,
        )
    )
