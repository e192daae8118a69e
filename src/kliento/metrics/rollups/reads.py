"""Metrics read from the daily rollups: the same formulas as the registry's (survey_metrics'
`*_of` functions take the score counts), fed by SUMs over rollup rows instead of the answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.db.models import Model, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from kliento.metrics import survey_metrics
from kliento.metrics.registry import ChurnRule, MetricResult, Period, Scope
from kliento.metrics.rollup_models import (
    CaseDay,
    CaseTeamDay,
    PurchaseDay,
    SurveyDay,
    SurveyTeamDay,
)
from kliento.surveys import selectors as surveys

SCORES = ("nps", "csat", "ces")
_OF = {"nps": survey_metrics.nps_of, "csat": survey_metrics.csat_of, "ces": survey_metrics.ces_of}


@dataclass(frozen=True)
class Cut:
    """Which rows a dashboard figure counts. `team_ids` None: every team (a department passes
    itself and its teams); the other fields None: not narrowed."""

    team_ids: tuple[int, ...] | None = None
    agent_id: int | None = None
    channel: str | None = None
    stage_id: int | None = None
    touchpoint_id: int | None = None
    segment_id: int | None = None
    survey_id: int | None = None

    def q(self, *, survey: bool = True) -> Q:
        found = Q()
        if self.team_ids is not None:
            found &= Q(team_id__in=self.team_ids)
        for name in ("agent_id", "channel", "stage_id", "touchpoint_id", "segment_id"):
            value = getattr(self, name)
            if value is not None:
                found &= Q(**{name: value})
        if survey and self.survey_id is not None:
            found &= Q(survey_id=self.survey_id)
        return found

    def by_team_only(self) -> bool:
        """Whether the coarser per-team rollup holds every dimension this cut narrows by."""
        names = ("agent_id", "channel", "stage_id", "touchpoint_id", "segment_id")
        return all(getattr(self, name) is None for name in names)

    def params(self) -> dict[str, Any]:
        """As query parameters of the drill-down and export links."""
        out: dict[str, Any] = {}
        for name in ("agent_id", "channel", "stage_id", "touchpoint_id", "segment_id"):
            if getattr(self, name) is not None:
                out[name] = getattr(self, name)
        return out


def _survey_rows(period: Period, cut: Cut) -> QuerySet[Any]:
    """The rollup rows of the period and cut: the per-team rollup when the cut narrows by
    nothing finer than teams (far fewer rows, the same sums), else the full one."""
    model: type[Model] = SurveyTeamDay if cut.by_team_only() else SurveyDay
    return model._default_manager.filter(cut.q(), day__gte=period.start, day__lte=period.end)


def _surveys(kind: str, period: Period, cut: Cut) -> QuerySet[Any]:
    return _survey_rows(period, cut).filter(kind=kind)


def _groups(rows: Iterable[Any], kind: str) -> list[surveys.ScoreGroup]:
    return surveys.score_groups(
        kind, ((r["scale"], r["direction"], r["score"], r["total"]) for r in rows)
    )


def score(key: str, period: Period, cut: Cut) -> MetricResult:
    """NPS, CSAT or CES over the period and cut, as `registry.compute` gives it."""
    rows = (
        _surveys(key, period, cut)
        .values("scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    scope = Scope(ChurnRule(), cut.survey_id)
    return _OF[key](_groups(rows, key), period, scope)


def _bucket(unit: str) -> Any:
    return TruncMonth("day") if unit == "month" else TruncWeek("day")


def scores(period: Period, cut: Cut) -> dict[str, MetricResult]:
    """NPS, CSAT and CES at once: one query grouped by kind and score."""
    rows = (
        _survey_rows(period, cut)
        .filter(kind__in=SCORES)
        .values("kind", "scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    by_kind: dict[str, list[Any]] = {key: [] for key in SCORES}
    for row in rows:
        by_kind[row["kind"]].append(row)
    scope = Scope(ChurnRule(), cut.survey_id)
    return {key: _OF[key](_groups(found, key), period, scope) for key, found in by_kind.items()}


def scores_by_team(
    period: Period, cut: Cut, teams: Iterable[int | None] = ()
) -> dict[int | None, dict[str, MetricResult]]:
    """NPS, CSAT and CES per team the answers were about (None: no team), in one query; a team
    without answers is absent unless listed in `teams` (then its figures are of no answers)."""
    rows = (
        _survey_rows(period, cut)
        .filter(kind__in=SCORES)
        .values("team_id", "kind", "scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    found: dict[int | None, dict[str, list[Any]]] = {t: {k: [] for k in SCORES} for t in teams}
    for row in rows:
        found.setdefault(row["team_id"], {k: [] for k in SCORES})[row["kind"]].append(row)
    scope = Scope(ChurnRule(), cut.survey_id)
    return {
        team: {key: _OF[key](_groups(kinds[key], key), period, scope) for key in SCORES}
        for team, kinds in found.items()
    }


@dataclass(frozen=True)
class TeamScores:
    """The score counts of a period and cut per team, kind and score, read in one query: a
    page's own figures, its per-team table, its score per team and its distributions all
    come from these rows (each through the same formulas as the functions above), instead of
    a scan of the rollup per figure set."""

    period: Period
    cut: Cut
    rows: list[dict[str, Any]]

    def _results(self, rows: Iterable[dict[str, Any]], keys: Iterable[str] = SCORES) -> Any:
        by_kind: dict[str, list[Any]] = {key: [] for key in keys}
        for row in rows:
            if row["kind"] in by_kind:
                by_kind[row["kind"]].append(row)
        scope = Scope(ChurnRule(), self.cut.survey_id)
        return {
            key: _OF[key](_groups(found, key), self.period, scope) for key, found in by_kind.items()
        }

    def scores(self) -> dict[str, MetricResult]:
        """As `scores(period, cut)`."""
        return self._results(self.rows)

    def by_team(self, teams: Iterable[int]) -> dict[int | None, dict[str, MetricResult]]:
        """As `scores_by_team` for a cut narrowed to these teams: each listed team, with
        figures of no answers when it has none."""
        found: dict[int | None, list[Any]] = {team: [] for team in teams}
        for row in self.rows:
            if row["team_id"] in found:
                found[row["team_id"]].append(row)
        return {team: self._results(rows) for team, rows in found.items()}

    def score_by_team(self, key: str) -> dict[int | None, MetricResult]:
        """As `score_by_team`: the teams with answers of this kind only."""
        found: dict[int | None, list[Any]] = {}
        for row in self.rows:
            if row["kind"] == key:
                found.setdefault(row["team_id"], []).append(row)
        return {team: self._results(rows, (key,))[key] for team, rows in found.items()}

    def distribution(self, key: str) -> dict[str, dict[int, int]]:
        """As `distribution`."""
        rows = [row for row in self.rows if row["kind"] == key]
        return {g.scale: dict(sorted(g.counts.items())) for g in _groups(rows, key)}


def team_scores(period: Period, cut: Cut) -> TeamScores:
    rows = (
        _survey_rows(period, cut)
        .filter(kind__in=SCORES)
        .values("team_id", "kind", "scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return TeamScores(period, cut, list(rows))


def score_trend(key: str, period: Period, cut: Cut, unit: str = "week") -> list[MetricResult]:
    """The score per week (from Monday) or month, each bucket clipped to the period."""
    return score_trends((key,), period, cut, unit)[key]


def score_trends(
    keys: Iterable[str], period: Period, cut: Cut, unit: str = "week"
) -> dict[str, list[MetricResult]]:
    """`score_trend` of several scores, in one query."""
    wanted = tuple(keys)
    rows = (
        _survey_rows(period, cut)
        .filter(kind__in=wanted)
        .annotate(bucket=_bucket(unit))
        .values("bucket", "kind", "scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by("bucket")
    )
    buckets: dict[str, dict[dt.date, list[Any]]] = {key: {} for key in wanted}
    for row in rows:
        start = row["bucket"]
        start = start.date() if isinstance(start, dt.datetime) else start
        buckets[row["kind"]].setdefault(start, []).append(row)
    scope = Scope(ChurnRule(), cut.survey_id)
    out: dict[str, list[MetricResult]] = {key: [] for key in wanted}
    for key, found_buckets in buckets.items():
        for start, found in sorted(found_buckets.items()):
            end = _bucket_end(start, unit)
            clipped = Period(max(start, period.start), min(end, period.end))
            out[key].append(_OF[key](_groups(found, key), clipped, scope))
    return out


def _bucket_end(start: dt.date, unit: str) -> dt.date:
    if unit == "month":
        following = (start.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        return following - dt.timedelta(days=1)
    return start + dt.timedelta(days=6)


def score_by_team(key: str, period: Period, cut: Cut) -> dict[int | None, MetricResult]:
    """The score per team the answers were about (None: no team)."""
    rows = (
        _surveys(key, period, cut)
        .values("team_id", "scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    by_team: dict[int | None, list[Any]] = {}
    for row in rows:
        by_team.setdefault(row["team_id"], []).append(row)
    scope = Scope(ChurnRule(), cut.survey_id)
    return {team: _OF[key](_groups(found, key), period, scope) for team, found in by_team.items()}


def distribution(key: str, period: Period, cut: Cut) -> dict[str, dict[int, int]]:
    """How many answers gave each score, per scale."""
    rows = (
        _surveys(key, period, cut)
        .values("scale", "direction", "score")
        .annotate(total=Sum("n"))
        .order_by()
    )
    return {g.scale: dict(sorted(g.counts.items())) for g in _groups(rows, key)}


@dataclass(frozen=True)
class CaseFigures:
    opened: int
    resolved: int
    responded: int
    response_seconds: float

    @property
    def mean_first_response_hours(self) -> float | None:
        if not self.responded:
            return None
        return round(self.response_seconds / self.responded / 3600, 2)


_CASE_SUMS = {
    "opened": Sum("opened"),
    "resolved": Sum("resolved"),
    "responded": Sum("responded"),
    "seconds": Sum("response_seconds"),
}


def _case_rows(period: Period, cut: Cut) -> QuerySet[Any]:
    """As `_survey_rows`: the per-team case rollup unless the cut narrows by something finer."""
    model: type[Model] = CaseTeamDay if cut.by_team_only() else CaseDay
    return model._default_manager.filter(
        cut.q(survey=False), day__gte=period.start, day__lte=period.end
    )


def _case_figures(totals: dict[str, Any]) -> CaseFigures:
    return CaseFigures(
        opened=totals["opened"] or 0,
        resolved=totals["resolved"] or 0,
        responded=totals["responded"] or 0,
        response_seconds=totals["seconds"] or 0.0,
    )


def cases_by_team(
    period: Period, cut: Cut, teams: Iterable[int | None] = ()
) -> dict[int | None, CaseFigures]:
    """Case figures per team (None: no team), in one query; a team without cases is absent
    unless listed in `teams` (then its figures are zeros)."""
    rows = _case_rows(period, cut).values("team_id").annotate(**_CASE_SUMS).order_by()
    found = {team: _case_figures(dict.fromkeys(_CASE_SUMS)) for team in teams}
    found.update((row["team_id"], _case_figures(dict(row))) for row in rows)
    return found


def cases(period: Period, cut: Cut) -> CaseFigures:
    totals = _case_rows(period, cut).aggregate(**_CASE_SUMS)
    return _case_figures(totals)


@dataclass(frozen=True)
class PurchaseFigures:
    currency: str
    n: int
    revenue: Decimal
    amount_sq: float

    @property
    def average_check(self) -> Decimal | None:
        return (self.revenue / self.n).quantize(Decimal("0.01")) if self.n else None


def purchases(period: Period, cut: Cut, currency: str) -> PurchaseFigures:
    """Purchases in one currency (sums of two currencies mean nothing); only the client segment
    narrows them: a purchase has no team, employee or contact channel."""
    narrowed = replace(
        cut, team_ids=None, agent_id=None, channel=None, stage_id=None, touchpoint_id=None
    )
    totals = PurchaseDay.objects.filter(
        narrowed.q(survey=False), currency=currency, day__gte=period.start, day__lte=period.end
    ).aggregate(n=Sum("n"), amount=Sum("amount"), sq=Sum("amount_sq"))
    return PurchaseFigures(
        currency=currency,
        n=totals["n"] or 0,
        revenue=totals["amount"] or Decimal(0),
        amount_sq=totals["sq"] or 0.0,
    )
