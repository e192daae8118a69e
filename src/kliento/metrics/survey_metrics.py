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

from kliento.metrics import compare, slicing, stats
from kliento.metrics.registry import (
    SURVEYS,
    MetricDefinition,
    MetricResult,
    Period,
    Scope,
    Value,
    register_metric,
)
from kliento.metrics.slices import ANSWER_SLICES, STAFF_ANSWER_SLICES
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
    if kind == "enps":
        return surveys.staff_score_counts(
            kind=kind,
            since=period.start,
            until=period.end,
            survey_id=scope.survey_id,
            unit_ids=slicing.staff_units(scope.slice),
        )
    return surveys.score_counts(
        kind=kind,
        since=period.start,
        until=period.end,
        survey_id=scope.survey_id,
        where=slicing.answer_filter(scope.slice),
    )


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
    return nps_of(_groups("nps", period, scope), period, scope)


def nps_of(groups: list[surveys.ScoreGroup], period: Period, scope: Scope) -> MetricResult:
    """NPS of score counts read elsewhere (the dashboards' daily rollups): one formula."""
    counts, n = _nps_counts(groups)
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


def _mean(groups: list[surveys.ScoreGroup]) -> stats.Estimate | None:
    """The mean score with its t interval, when the period's answers share one scale."""
    return stats.mean_t(groups[0].counts) if len(groups) == 1 else None


def _mean_extra(
    groups: list[surveys.ScoreGroup], estimate: stats.Estimate | None
) -> dict[str, Any]:
    return {
        "scale": groups[0].scale if len(groups) == 1 else None,
        "mean": _r(estimate.value) if estimate else None,
        "sd": _r(estimate.sd) if estimate else None,
        "mean_ci_low": _r(estimate.low) if estimate else None,
        "mean_ci_high": _r(estimate.high) if estimate else None,
    }


def _with_mean(result: MetricResult, estimate: stats.Estimate | None) -> MetricResult:
    if estimate is not None and estimate.sd is not None:
        result.exact.update(mean=estimate.value, sd=estimate.sd)
    return result


def csat(period: Period, scope: Scope) -> MetricResult:
    return csat_of(_groups("csat", period, scope), period, scope)


def csat_of(groups: list[surveys.ScoreGroup], period: Period, scope: Scope) -> MetricResult:
    counts = _category_counts(groups, ("satisfied", "neutral", "dissatisfied"))
    n = sum(counts.values())
    estimate = stats.wilson(counts["satisfied"], n)
    mean = _mean(groups)
    return _with_mean(
        _result("csat", period, scope, estimate, n, counts, _mean_extra(groups, mean)), mean
    )


def ces(period: Period, scope: Scope) -> MetricResult:
    return ces_of(_groups("ces", period, scope), period, scope)


def ces_of(groups: list[surveys.ScoreGroup], period: Period, scope: Scope) -> MetricResult:
    counts = _category_counts(groups, ("low_effort", "neutral", "high_effort"))
    n = sum(counts.values())
    estimate = stats.wilson(counts["low_effort"], n)
    # Which end of the scale is easy, for reading the mean (None when surveys differ).
    directions = {g.direction or "high_easy" for g in groups}
    direction = directions.pop() if len(directions) == 1 else None
    mean = _mean(groups)
    more = {**_mean_extra(groups, mean), "direction": direction}
    return _with_mean(_result("ces", period, scope, estimate, n, counts, more), mean)


# What each metric's headline counts, for comparing two periods: (successes key) for shares.
SHARE_OF = {"csat": "satisfied", "ces": "low_effort"}


def _num(values: dict[str, Value], name: str) -> float:
    value = values.get(name)
    if not isinstance(value, int | float):
        raise TypeError(f"{name} is not a number: {value!r}")
    return float(value)


def _count(values: dict[str, Value], name: str) -> int:
    return int(_num(values, name))


def comparison(key: str, baseline: MetricResult, later: MetricResult) -> dict[str, Any] | None:
    """The later period against the baseline: the headline's difference with its interval and
    test, the mean's (Welch) where both periods have one on the same scale, and the answers
    each period would need to detect a change as large as the one seen (80% power). None when
    a period has no answers (or, for eNPS, too few to show)."""
    b, c = baseline.extra, later.extra
    if not b.get("n") or not c.get("n") or b.get("hidden") or c.get("hidden"):
        return None
    found: compare.Comparison | None
    needed: int | None = None
    if key in ("nps", "enps"):
        before = (_count(b, "promoters"), _count(b, "detractors"), _count(b, "n"))
        after = (_count(c, "promoters"), _count(c, "detractors"), _count(c, "n"))
        found = compare.compare_nps(before, after)
        if found is not None and found.difference:
            # Under "no change" both periods share one distribution: the pooled shares.
            total = before[2] + after[2]
            needed = compare.n_for_nps(
                (before[0] + after[0]) / total, (before[1] + after[1]) / total, found.difference
            )
    else:
        share = SHARE_OF[key]
        found = compare.compare_shares(
            (_count(b, share), _count(b, "n")), (_count(c, share), _count(c, "n"))
        )
        if found is not None and found.difference:
            first = _count(b, share) / _count(b, "n")
            needed = compare.n_for_shares(first, first + found.difference / 100)
    if found is None:
        return None
    out: dict[str, Any] = {**found.as_dict(), "n_needed_per_period": needed}
    bx, cx = baseline.exact, later.exact
    if "sd" in bx and "sd" in cx and b.get("scale") == c.get("scale"):
        means = compare.compare_means(
            (bx["mean"], bx["sd"], _count(b, "n")), (cx["mean"], cx["sd"], _count(c, "n"))
        )
        out["mean"] = means.as_dict() if means else None
    return out


def register() -> None:
    n_input = ("n", _("answers with a score in the period"))
    common = (("survey", _("the one survey counted (empty: all of this kind)")), n_input)
    min_n = ("min_n", _("answers below which the figure is indicative"))
    for definition in (
        MetricDefinition(
            key="nps",
            name=_("NPS"),
            formula=_(  # xgettext:no-python-format
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
            slices=ANSWER_SLICES,
            compute=nps,
            group=SURVEYS,
            by_survey=True,
        ),
        MetricDefinition(
            key="csat",
            name=_("CSAT"),
            formula=_(  # xgettext:no-python-format
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
            # xgettext:no-python-format
            unit=_("% satisfied"),
            slices=ANSWER_SLICES,
            compute=csat,
            group=SURVEYS,
            by_survey=True,
        ),
        MetricDefinition(
            key="ces",
            name=_("CES"),
            formula=_(  # xgettext:no-python-format
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
            # xgettext:no-python-format
            unit=_("% low effort"),
            slices=ANSWER_SLICES,
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
            slices=STAFF_ANSWER_SLICES,
            compute=enps,
            group=SURVEYS,
            by_survey=True,
        ),
    ):
        register_metric(definition)
