"""Survey metrics: CSAT, CES and NPS from the clients' answers, eNPS from staff surveys.

Each is read the way the survey's own pages read a score (kliento.surveys.scoring: who is a
promoter, what is satisfied, which end of a CES scale is easy), counted over the period for
the whole company or one survey, and given with n and a 95% interval (kliento.metrics.stats).
Below KLIENTO_METRICS_MIN_N answers a figure is marked `indicative`; a period without answers
has no value (None), never an error. The headline of CSAT and CES is the share (% satisfied,
% low effort), as on the survey pages; their mean score comes beside it when every answer in
the period was on one scale (means of a 1-5 and a 1-7 scale cannot be pooled).

eNPS comes from staff answers, which keep only their month: the period counts in whole months,
and below the surveys' anonymity threshold (five answers) nothing but n is shown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kliento.metrics import stats
from kliento.metrics.registry import (
    SURVEYS,
    MetricDefinition,
    MetricResult,
    Period,
    Scope,
    register_metric,
)
from kliento.surveys import selectors as surveys

DIGITS = 2


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _min_n() -> int:
    return int(getattr(settings, "KLIENTO_METRICS_MIN_N", 30))


def _groups(kind: str, period: Period, scope: Scope) -> list[surveys.ScoreGroup]:
    if scope.survey_id is not None:
        found = surveys.survey_kind(scope.survey_id)
        if found is None:
            raise ValueError(f"No survey {scope.survey_id}")
        if found != kind:
            raise ValueError(f"Survey {scope.survey_id} is a {found} survey, not {kind}")
    read = surveys.staff_score_counts if kind == "enps" else surveys.score_counts
    return read(kind=kind, since=period.start, until=period.end, survey_id=scope.survey_id)


def _category_counts(groups: list[surveys.ScoreGroup], names: tuple[str, ...]) -> dict[str, int]:
    return {name: sum(g.categories.get(name, 0) for g in groups) for name in names}


def _interval(estimate: stats.Estimate | None, n: int) -> dict[str, Any]:
    return {
        "n": n,
        "ci_low": _r(estimate.low) if estimate else None,
        "ci_high": _r(estimate.high) if estimate else None,
        "indicative": 0 < n < _min_n(),
    }


def _result(
    key: str,
    period: Period,
    scope: Scope,
    estimate: stats.Estimate | None,
    n: int,
    counts: dict[str, int],
    more: dict[str, Any] | None = None,
) -> MetricResult:
    inputs: dict[str, Any] = {"survey": scope.survey_id, "n": n, **counts, "min_n": _min_n()}
    extra: dict[str, Any] = {**_interval(estimate, n), **counts, **(more or {})}
    return MetricResult(key, period, None, inputs, _r(estimate.value) if estimate else None, extra)


NPS_CATEGORIES = ("promoters", "passives", "detractors")


def _nps_counts(groups: list[surveys.ScoreGroup]) -> tuple[dict[str, int], int]:
    singular = _category_counts(groups, ("promoter", "passive", "detractor"))
    counts = dict(zip(NPS_CATEGORIES, singular.values(), strict=True))
    return counts, sum(counts.values())


def nps(period: Period, scope: Scope) -> MetricResult:
    counts, n = _nps_counts(_groups("nps", period, scope))
    estimate = stats.nps(counts["promoters"], counts["detractors"], n)
    return _result("nps", period, scope, estimate, n, counts)


def enps(period: Period, scope: Scope) -> MetricResult:
    counts, n = _nps_counts(_groups("enps", period, scope))
    if 0 < n < surveys.MIN_GROUP:
        # Fewer answers than the anonymity threshold: the counts would tell who said what.
        hidden = dict.fromkeys(NPS_CATEGORIES)
        return MetricResult(
            "enps",
            period,
            None,
            {"survey": scope.survey_id, "n": n, "min_n": _min_n()},
            None,
            {**_interval(None, n), **hidden, "hidden": True},
        )
    estimate = stats.nps(counts["promoters"], counts["detractors"], n)
    return _result("enps", period, scope, estimate, n, counts, {"hidden": False})


def _mean(groups: list[surveys.ScoreGroup]) -> dict[str, Any]:
    """The mean score with its t interval, on the one scale of the period's answers."""
    single = len(groups) == 1
    estimate = stats.mean_t(groups[0].counts) if single else None
    return {
        "scale": groups[0].scale if single else None,
        "mean": _r(estimate.value) if estimate else None,
        "mean_ci_low": _r(estimate.low) if estimate else None,
        "mean_ci_high": _r(estimate.high) if estimate else None,
    }


def csat(period: Period, scope: Scope) -> MetricResult:
    groups = _groups("csat", period, scope)
    counts = _category_counts(groups, ("satisfied", "neutral", "dissatisfied"))
    n = sum(counts.values())
    estimate = stats.wilson(counts["satisfied"], n)
    return _result("csat", period, scope, estimate, n, counts, _mean(groups))


def ces(period: Period, scope: Scope) -> MetricResult:
    groups = _groups("ces", period, scope)
    counts = _category_counts(groups, ("low_effort", "neutral", "high_effort"))
    n = sum(counts.values())
    estimate = stats.wilson(counts["low_effort"], n)
    # Which end of the scale is easy, for reading the mean (None when surveys differ).
    directions = {g.direction or "high_easy" for g in groups}
    direction = directions.pop() if len(directions) == 1 else None
    more = {**_mean(groups), "direction": direction}
    return _result("ces", period, scope, estimate, n, counts, more)


def register() -> None:
    n_input = ("n", _("answers with a score in the period"))
    common = (("survey", _("the one survey counted (empty: all of this kind)")), n_input)
    min_n = ("min_n", _("answers below which the figure is indicative"))
    for definition in (
        MetricDefinition(
            key="nps",
            name=_("NPS"),
            formula=_(
                "100 × (promoters − detractors) / n; 95% interval "
                "± 1.96 × 100 × √((p_P + p_D − (p_P − p_D)²) / n)"
            ),
            inputs=(
                *common,
                ("promoters", _("answers 9–10")),
                ("passives", _("answers 7–8")),
                ("detractors", _("answers 0–6")),
                min_n,
            ),
            unit=_("points"),
            compute=nps,
            group=SURVEYS,
            by_survey=True,
        ),
        MetricDefinition(
            key="csat",
            name=_("CSAT"),
            formula=_(
                "100 × satisfied / n (4–5 on a 1-5 or 0-5 scale), Wilson 95% interval; "
                "mean score with a t interval when all answers share one scale"
            ),
            inputs=(
                *common,
                ("satisfied", _("answers 4–5")),
                ("neutral", _("answers 3")),
                ("dissatisfied", _("answers below 3")),
                min_n,
            ),
            unit=_("% satisfied"),
            compute=csat,
            group=SURVEYS,
            by_survey=True,
        ),
        MetricDefinition(
            key="ces",
            name=_("CES"),
            formula=_(
                "100 × low effort / n (the two easy points of 1-5, the three of 1-7, from the "
                "end the survey calls easy), Wilson 95% interval; mean score with a t interval"
            ),
            inputs=(
                *common,
                ("low_effort", _("answers at the easy end")),
                ("neutral", _("answers in the middle")),
                ("high_effort", _("answers at the hard end")),
                min_n,
            ),
            unit=_("% low effort"),
            compute=ces,
            group=SURVEYS,
            by_survey=True,
        ),
        MetricDefinition(
            key="enps",
            name=_("eNPS"),
            formula=_(
                "NPS of the staff surveys' answers in the period's months; hidden below five "
                "answers (anonymity)"
            ),
            inputs=(
                *common,
                ("promoters", _("answers 9–10")),
                ("passives", _("answers 7–8")),
                ("detractors", _("answers 0–6")),
                min_n,
            ),
            unit=_("points"),
            compute=enps,
            group=SURVEYS,
            by_survey=True,
        ),
    ):
        register_metric(definition)
