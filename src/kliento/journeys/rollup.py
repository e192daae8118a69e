"""The board's stage figures, read from `StageRollup` rather than computed on each view.

Counting, averaging and taking the median of where every client is costs a pass over all the
clients' places (a second or so at a million clients); the board and the stage owner's view show
the figures of the last refresh instead — eight rows — and say when they were computed. A
periodic job recomputes them every few minutes; a journey (or a stage) without figures yet, or
with figures older than STALE_AFTER (the worker down), is computed on the spot, slowly but
truthfully. The cards in the columns are always read live. See docs/decisions/0018-*.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kliento.journeys.models import Journey, Stage, StageRollup
from kliento.journeys.stats import StageFigures, stage_figures, stages_of

REFRESH_EVERY = dt.timedelta(minutes=5)
STALE_AFTER = dt.timedelta(hours=1)


@dataclass(frozen=True)
class BoardFigures:
    figures: list[StageFigures]
    as_of: dt.datetime  # when the figures were computed

    @property
    def refresh_minutes(self) -> int:
        return int(REFRESH_EVERY.total_seconds() // 60)


def refresh(journey: Journey, *, now: dt.datetime | None = None) -> list[StageFigures]:
    """Compute the journey's stage figures and save them as of `now`. Running it twice (or two
    at once) leaves the same rows: one per stage, overwritten."""
    now = now or timezone.now()
    figures = stage_figures(journey, now=now)
    with transaction.atomic():
        # A stage removed since the figures were computed gets none.
        alive = set(
            Stage.objects.filter(pk__in=[f.stage.pk for f in figures]).values_list("pk", flat=True)
        )
        StageRollup.objects.bulk_create(
            [
                StageRollup(
                    stage_id=f.stage.pk,
                    refreshed_at=now,
                    count=f.count,
                    average_days=f.average_days,
                    median_days=f.median_days,
                    over_target=f.over_target,
                )
                for f in figures
                if f.stage.pk in alive
            ],
            update_conflicts=True,
            unique_fields=["stage"],
            update_fields=["refreshed_at", "count", "average_days", "median_days", "over_target"],
        )
    return figures


def refresh_all(*, now: dt.datetime | None = None) -> int:
    """Refresh every active journey's figures; how many journeys."""
    journeys = list(Journey.objects.filter(is_active=True))
    for journey in journeys:
        refresh(journey, now=now)
    return len(journeys)


def board_figures(journey: Journey, *, now: dt.datetime | None = None) -> BoardFigures:
    """The journey's stage figures as last refreshed, and when; computed now if a stage has
    none yet or they are older than STALE_AFTER."""
    now = now or timezone.now()
    stages = stages_of(journey)
    saved = {r.stage_id: r for r in StageRollup.objects.filter(stage__in=stages)}
    missing = any(s.pk not in saved for s in stages)
    as_of = min((r.refreshed_at for r in saved.values()), default=now)
    if missing or now - as_of > STALE_AFTER:
        return BoardFigures(refresh(journey, now=now), now)
    figures = []
    for stage in stages:
        row = saved[stage.pk]
        figures.append(
            StageFigures(
                stage=stage,
                count=row.count,
                average_days=row.average_days,
                median_days=row.median_days,
                over_target=row.over_target,
            )
        )
    return BoardFigures(figures, as_of)
