"""The journey's figures: clients per stage, time in stage (average, median), the share over the
stage's target duration, conversion between consecutive stages, and the frozen baselines.

Built for a million clients and ten million moves: every figure reads an index —
ClientStage (stage, entered_at) for the stage figures and the median, StageMove (to_stage,
moved_at) and (from_stage, to_stage, moved_at) for conversion — never a scan of the history.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import reduce
from itertools import pairwise
from operator import or_
from typing import Any

from django.db.models import Avg, Count, F, FloatField, Func, Q
from django.db.models.expressions import Expression
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.journeys.models import Baseline, ClientStage, Journey, Stage, StageMove

DAY = 86_400.0


class Epoch(Func):
    """Seconds since 1970 of a timestamp, on PostgreSQL and SQLite alike."""

    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)")

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="((julianday(%(expressions)s) - 2440587.5) * 86400.0)"
        )


def epoch(field: str) -> Expression:
    return Epoch(F(field))


@dataclass(frozen=True)
class StageFigures:
    stage: Stage
    count: int
    average_days: float | None
    median_days: float | None
    over_target: int

    @property
    def over_target_share(self) -> float | None:
        if self.stage.target_days is None or not self.count:
            return None
        return self.over_target / self.count


def stages_of(journey: Journey) -> list[Stage]:
    return list(Stage.objects.filter(journey=journey).select_related("owner").order_by("position"))


def _median_entered(stage_id: int, count: int) -> dt.datetime | None:
    """The median arrival at the stage, read off the (stage, entered_at) index."""
    if not count:
        return None
    rows = ClientStage.objects.filter(stage_id=stage_id).order_by("entered_at")
    lower = (count - 1) // 2
    picked = list(rows.values_list("entered_at", flat=True)[lower : lower + 2 - count % 2])
    return picked[0] + (picked[-1] - picked[0]) / 2


def stage_figures(journey: Journey, *, now: dt.datetime | None = None) -> list[StageFigures]:
    """Per stage, in order: clients there now, average and median days there, and how many
    are past the stage's target duration."""
    now = now or timezone.now()
    stages = stages_of(journey)
    if not stages:
        return []
    late = [
        Q(stage_id=s.pk, entered_at__lt=now - dt.timedelta(days=s.target_days))
        for s in stages
        if s.target_days is not None
    ]
    rows = (
        ClientStage.objects.filter(stage_id__in=[s.pk for s in stages])
        .values("stage_id")
        .annotate(
            n=Count("id"),
            mean=Avg(epoch("entered_at")),
            late=Count("id", filter=reduce(or_, late)) if late else Count("id", filter=Q(pk=None)),
        )
        .order_by()
    )
    found = {row["stage_id"]: row for row in rows}
    now_epoch = now.timestamp()
    figures = []
    for stage in stages:
        row = found.get(stage.pk, {"n": 0, "mean": None, "late": 0})
        count, late_count = int(row["n"] or 0), int(row["late"] or 0)
        median = _median_entered(stage.pk, count)
        figures.append(
            StageFigures(
                stage=stage,
                count=count,
                average_days=(now_epoch - row["mean"]) / DAY if row["mean"] is not None else None,
                median_days=(now - median).total_seconds() / DAY if median else None,
                over_target=late_count,
            )
        )
    return figures


@dataclass(frozen=True)
class Conversion:
    from_stage: Stage
    to_stage: Stage
    entered: int  # moves into `from_stage` in the period
    moved_on: int  # moves from `from_stage` to `to_stage` in the period

    @property
    def rate(self) -> float | None:
        return self.moved_on / self.entered if self.entered else None


def conversion(journey: Journey, *, start: dt.datetime, end: dt.datetime) -> list[Conversion]:
    """For each pair of consecutive stages of the main path: how many moves entered the first
    in [start, end), and how many went on from it to the second in the same period."""
    path = [s for s in stages_of(journey) if not s.is_exit]
    if len(path) < 2:
        return []
    # One pass over the period's moves into the path's stages (index: to_stage, moved_at):
    # grouped by where they came from, they give both the entries and the moves onward.
    pairs = list(pairwise(path))
    entered: dict[int, int] = {}
    moved: dict[tuple[int, int], int] = {}
    rows = (
        StageMove.objects.filter(
            to_stage_id__in=[s.pk for s in path], moved_at__gte=start, moved_at__lt=end
        )
        .values("from_stage_id", "to_stage_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("from_stage_id", "to_stage_id", "n")
    )
    for source, target, n in rows:
        entered[target] = entered.get(target, 0) + n
        if source is not None:
            moved[(source, target)] = n
    return [Conversion(a, b, entered.get(a.pk, 0), moved.get((a.pk, b.pk), 0)) for a, b in pairs]


@dataclass(frozen=True)
class ColumnPage:
    stage: Stage
    rows: list[tuple[ClientStage, str]]  # the client's place and name
    page: int
    has_next: bool


def column(stage: Stage, *, page: int = 1, per_page: int = 20) -> ColumnPage:
    """One page of a stage's clients, the longest there first."""
    start = (max(page, 1) - 1) * per_page
    places = list(
        ClientStage.objects.filter(stage=stage).order_by("entered_at", "id")[
            start : start + per_page + 1
        ]
    )
    names = clients.client_labels([p.client_id for p in places[:per_page]])
    rows = [(p, names[p.client_id].name) for p in places[:per_page] if p.client_id in names]
    return ColumnPage(stage, rows, max(page, 1), len(places) > per_page)


def over_target(stage: Stage, *, now: dt.datetime | None = None, limit: int = 50) -> Any:
    """The stage's clients past its target duration, the longest there first."""
    if stage.target_days is None:
        return ClientStage.objects.none()
    cut = (now or timezone.now()) - dt.timedelta(days=stage.target_days)
    return ClientStage.objects.filter(stage=stage, entered_at__lt=cut).order_by("entered_at", "id")[
        :limit
    ]


# ---------------------------------------------------------------------------------------------
# Baselines


def average_lifetime_days(journey: Journey, *, now: dt.datetime | None = None) -> float | None:
    now = now or timezone.now()
    mean = ClientStage.objects.filter(journey=journey).aggregate(m=Avg(epoch("joined_at")))["m"]
    return (now.timestamp() - mean) / DAY if mean is not None else None


def snapshot(journey: Journey, *, now: dt.datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    figures = stage_figures(journey, now=now)
    return {
        "total": sum(f.count for f in figures),
        "average_lifetime_days": average_lifetime_days(journey, now=now),
        "figures": {
            str(f.stage.pk): {
                "name": f.stage.name,
                "count": f.count,
                "average_days": f.average_days,
            }
            for f in figures
        },
    }


@dataclass(frozen=True)
class ComparedStage:
    name: str
    then_count: int
    now_count: int
    then_share: float | None
    now_share: float | None
    then_days: float | None
    now_days: float | None

    @property
    def change(self) -> int:
        return self.now_count - self.then_count


@dataclass(frozen=True)
class Comparison:
    baseline: Baseline
    then_total: int
    now_total: int
    then_lifetime: float | None
    now_lifetime: float | None
    stages: list[ComparedStage]


def compare(baseline: Baseline, *, now: dt.datetime | None = None) -> Comparison:
    """The present next to a saved baseline, stage by stage (a stage gone since shows under
    its name of the time)."""
    present = snapshot(baseline.journey, now=now)
    then, current = baseline.figures, present["figures"]
    order = list(current) + [pk for pk in then if pk not in current]
    names = {pk: str(f["name"]) for pk, f in {**then, **current}.items()}

    def share(count: int, total: int) -> float | None:
        return count / total if total else None

    rows = []
    for pk in order:
        was, now_ = then.get(pk, {}), current.get(pk, {})
        rows.append(
            ComparedStage(
                name=names[pk],
                then_count=int(was.get("count", 0)),
                now_count=int(now_.get("count", 0)),
                then_share=share(int(was.get("count", 0)), baseline.total),
                now_share=share(int(now_.get("count", 0)), present["total"]),
                then_days=was.get("average_days"),
                now_days=now_.get("average_days"),
            )
        )
    return Comparison(
        baseline=baseline,
        then_total=baseline.total,
        now_total=present["total"],
        then_lifetime=baseline.average_lifetime_days,
        now_lifetime=present["average_lifetime_days"],
        stages=rows,
    )
