"""Keeping the daily rollups current, on the worker.

A run first turns every source's changes since its watermark into dirty days (the raw rows'
`updated_at` / `created_at`, read with an overlap so a transaction that committed late with an
earlier stamp is still seen), then recomputes dirty days in batches: a batch is claimed with
SELECT … FOR UPDATE SKIP LOCKED, each day's rollup rows are deleted and written afresh from the
raw rows, and the dirty marks go in the same transaction. Recomputing a whole day makes a run
idempotent (a rerun writes the same rows) and late rows simply dirty their own day again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone

from kliento.clients.selectors import rollup as purchase_rows
from kliento.metrics.rollup_models import (
    CASES,
    PURCHASES,
    SURVEYS,
    CaseDay,
    CaseTeamDay,
    DirtyDay,
    PurchaseDay,
    RollupWatermark,
    SurveyDay,
    SurveyTeamDay,
)
from kliento.surveys import selectors as surveys

# How far back a run looks again past its watermark: longer than any write transaction.
OVERLAP = dt.timedelta(minutes=10)
# Days per claim: one query per source reads the span of the claimed days.
BATCH = 31


def _survey_days(first: dt.date, last: dt.date) -> list[models.Model]:
    return [
        SurveyDay(
            day=r["day"],
            kind=r["survey__kind"],
            scale=r["survey__scale"] or "",
            direction=r["survey__direction"] or "",
            score=r["score"],
            survey_id=r["survey_id"],
            team_id=r["team_id"],
            agent_id=r["agent_id"],
            channel=r["channel"] or "",
            touchpoint_id=r["touchpoint_id"],
            stage_id=r["stage_id"],
            segment_id=r["client__segment_id"],
            pilot=r["pilot"],
            n=r["n"],
        )
        for r in surveys.daily_score_rows(first, last)
    ]


def _case_days(first: dt.date, last: dt.date) -> list[models.Model]:
    from kliento.desk.selectors import rollup as case_rows

    return [
        CaseDay(
            day=r["day"],
            team_id=r["team_id"],
            agent_id=r["assignee_id"],
            channel=r["channel"] or "",
            stage_id=r["stage_id"],
            touchpoint_id=r["touchpoint_id"],
            segment_id=r["client__segment_id"],
            opened=r["opened"],
            responded=r["responded"],
            response_seconds=r["response_seconds"],
            resolved=r["resolved"],
        )
        for r in case_rows.daily_case_rows(first, last)
    ]


def _purchase_days(first: dt.date, last: dt.date) -> list[models.Model]:
    return [
        PurchaseDay(
            day=r["occurred_on"],
            currency=r["currency"],
            channel=r["channel"],
            segment_id=r["client__segment_id"],
            n=r["n"],
            amount=r["total"] or Decimal(0),
            amount_sq=r["total_sq"] or 0.0,
        )
        for r in purchase_rows.daily_purchase_rows(first, last)
    ]


def _team_days(rows: list[models.Model]) -> list[models.Model]:
    """The day's SurveyDay rows summed per survey, team and score: the coarser rollup the
    company, department and team figures read (written from the same rows, so always equal)."""
    totals: dict[tuple[Any, ...], int] = {}
    for r in rows:
        key = (r.day, r.kind, r.scale, r.direction, r.score, r.survey_id, r.team_id)  # type: ignore[attr-defined]
        totals[key] = totals.get(key, 0) + r.n  # type: ignore[attr-defined]
    names = ("day", "kind", "scale", "direction", "score", "survey_id", "team_id")
    return [SurveyTeamDay(n=n, **dict(zip(names, key, strict=True))) for key, n in totals.items()]


def _case_team_days(rows: list[models.Model]) -> list[models.Model]:
    """The day's CaseDay rows summed per team (as _team_days for the answers)."""
    totals: dict[tuple[Any, ...], list[float]] = {}
    for r in rows:
        found = totals.setdefault((r.day, r.team_id), [0, 0, 0.0, 0])  # type: ignore[attr-defined]
        found[0] += r.opened  # type: ignore[attr-defined]
        found[1] += r.responded  # type: ignore[attr-defined]
        found[2] += r.response_seconds  # type: ignore[attr-defined]
        found[3] += r.resolved  # type: ignore[attr-defined]
    return [
        CaseTeamDay(
            day=day,
            team_id=team,
            opened=opened,
            responded=responded,
            response_seconds=seconds,
            resolved=resolved,
        )
        for (day, team), (opened, responded, seconds, resolved) in totals.items()
    ]


@dataclass(frozen=True)
class Source:
    model: type[models.Model]
    rows: Callable[[dt.date, dt.date], list[models.Model]]
    changed_days: Callable[[dt.datetime | None], set[dt.date]]
    # A coarser rollup derived from the same rows, rewritten with them.
    coarse: tuple[type[models.Model], Callable[[list[models.Model]], list[models.Model]]] | None = (
        None
    )


def _sources() -> dict[str, Source]:
    found = {
        SURVEYS: Source(
            SurveyDay,
            _survey_days,
            surveys.answer_days_changed_since,
            coarse=(SurveyTeamDay, _team_days),
        ),
        PURCHASES: Source(PurchaseDay, _purchase_days, purchase_rows.purchase_days_added_since),
    }
    # The service desk is an app one may leave out; without it there are no cases to count.
    if apps.is_installed("kliento.desk"):
        from kliento.desk.selectors import rollup as case_rows

        found[CASES] = Source(
            CaseDay,
            _case_days,
            case_rows.case_days_changed_since,
            coarse=(CaseTeamDay, _case_team_days),
        )
    return found


def mark_dirty(source: str, days: Iterable[dt.date]) -> int:
    """Mark days for recomputation (a day already marked stays marked once)."""
    marks = [DirtyDay(source=source, day=day) for day in set(days)]
    DirtyDay.objects.bulk_create(marks, ignore_conflicts=True, batch_size=1000)
    return len(marks)


def scan_changes(source: str, *, now: dt.datetime | None = None) -> int:
    """Mark the days the source's rows changed since the watermark; advance it. The watermark
    row is locked meanwhile, so two workers do not scan the same changes twice."""
    now = now or timezone.now()
    with transaction.atomic():
        RollupWatermark.objects.get_or_create(source=source)
        mark = RollupWatermark.objects.select_for_update().get(source=source)
        since = mark.seen_until - OVERLAP if mark.seen_until else None
        marked = mark_dirty(source, _sources()[source].changed_days(since))
        mark.seen_until = now
        mark.save(update_fields=["seen_until"])
    return marked


def rebuild_day(source: str, day: dt.date) -> int:
    """Rewrite one day's rollup rows from the raw rows; returns how many were written."""
    return rebuild_days(source, [day])


def rebuild_days(source: str, days: Iterable[dt.date]) -> int:
    """Rewrite these days' rollup rows from the raw rows, reading the raw rows of the span
    they cover in one query (days between them that are not listed are left as they are)."""
    wanted = set(days)
    if not wanted:
        return 0
    spec = _sources()[source]
    with transaction.atomic():
        spec.model._default_manager.filter(day__in=wanted).delete()
        fresh = [r for r in spec.rows(min(wanted), max(wanted)) if r.day in wanted]  # type: ignore[attr-defined]
        spec.model._default_manager.bulk_create(fresh, batch_size=2000)
        if spec.coarse is not None:
            coarse_model, derive = spec.coarse
            coarse_model._default_manager.filter(day__in=wanted).delete()
            coarse_model._default_manager.bulk_create(derive(fresh), batch_size=2000)
    return len(fresh)


def process_dirty(*, limit: int | None = None) -> int:
    """Recompute dirty days, a batch per transaction; returns the days recomputed. Days another
    worker holds are skipped (it recomputes them)."""
    done = 0
    while limit is None or done < limit:
        with transaction.atomic():
            claimed = list(
                DirtyDay.objects.select_for_update(skip_locked=True).order_by("source", "day")[
                    :BATCH
                ]
            )
            if not claimed:
                break
            for source in {mark.source for mark in claimed}:
                rebuild_days(source, [m.day for m in claimed if m.source == source])
            DirtyDay.objects.filter(pk__in=[m.pk for m in claimed]).delete()
        done += len(claimed)
    return done


def refresh(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """One worker run: scan every source's changes, then recompute the dirty days."""
    marked = {source: scan_changes(source, now=now) for source in _sources()}
    return {"marked": marked, "recomputed": process_dirty()}


def rebuild_all() -> dict[str, Any]:
    """From scratch (after raw rows were deleted, which no watermark sees): empty the rollups,
    forget the watermarks, and rebuild every day that has rows."""
    with transaction.atomic():
        for spec in _sources().values():
            spec.model._default_manager.all().delete()
            if spec.coarse is not None:
                spec.coarse[0]._default_manager.all().delete()
        RollupWatermark.objects.all().delete()
    return refresh()
