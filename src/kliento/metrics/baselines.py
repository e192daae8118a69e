"""Reading a saved baseline back and comparing a later period (or another slice) with it.

Which test each metric gets (kliento.metrics.compare):
- NPS and eNPS: the difference of two NPS with their multinomial variances (z);
- CSAT and CES: % satisfied / % low effort, two-proportion z test; their mean score by Welch's
  t when both periods have one on the same scale;
- churn and the desk's shares (first responses within SLA, reopen rate, first-contact
  resolution): two-proportion z test on the counts behind them (lost of the cohort, within of n,
  reopened and one-reply of resolved), the difference in percentage points;
- every other metric (counts, money, times, lifetimes): the difference only. They have no
  sampling model here, so no interval is claimed.

The answers (or clients, or cases) each period needs to detect a change: for the change seen,
and, given `detect` (in the test's unit: NPS points, percentage points), for that change.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from kliento.metrics import compare, registry, survey_metrics
from kliento.metrics.models import BaselineFigure, MetricBaseline
from kliento.metrics.slices import Slice

# For shares: which inputs hold (successes, n), read from a result.
SHARES: dict[str, tuple[str, str]] = {
    "first_response_sla": ("within", "n"),
    "reopen_rate": ("reopened", "resolved"),
    "first_contact_resolution": ("one_reply", "resolved"),
}
SURVEY_KEYS = ("nps", "enps", "csat", "ces")


def period_of(baseline: MetricBaseline) -> registry.Period:
    return registry.Period(baseline.period_start, baseline.period_end)


def rule_of(baseline: MetricBaseline) -> registry.ChurnRule:
    return registry.ChurnRule(baseline.inactive_days)


def result_of(figure: BaselineFigure, period: registry.Period) -> registry.MetricResult:
    """The stored figure as the MetricResult it was."""
    result = registry.MetricResult(
        figure.metric,
        period,
        _rule_key(figure),
        dict(figure.inputs),
        figure.value,
        dict(figure.extra),
        {k: float(v) for k, v in figure.exact.items()},
    )
    result.slice = Slice.parse(figure.slice)
    return result


def _rule_key(figure: BaselineFigure) -> str | None:
    try:
        uses_rule = registry.metric(figure.metric).uses_rule
    except KeyError:  # a metric of an app no longer installed
        return None
    return figure.baseline.rule if uses_rule else None


def _counts(key: str, result: registry.MetricResult) -> tuple[int, int] | None:
    """(successes, n) behind a share metric; None when the period has nothing."""
    if key == "churn":
        n = int(result.inputs.get("n_start") or 0)
        lost = n - int(result.inputs.get("n_retained") or 0)
        return (lost, n) if n else None
    names = SHARES.get(key)
    if names is None:
        return None
    n = int(result.inputs.get(names[1]) or 0)
    return (int(result.inputs.get(names[0]) or 0), n) if n else None


def _difference(before: Any, after: Any) -> float | None:
    """later minus baseline of two plain values (numbers, money strings); None otherwise."""
    try:
        return float(Decimal(str(after)) - Decimal(str(before)))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _needed_for(key: str, before: registry.MetricResult, detect: float) -> int | None:
    """Per period, to detect a change of `detect` from the baseline's level."""
    if not detect:
        return None
    if key in ("nps", "enps"):
        n = int(before.extra.get("n") or 0)
        if not n or before.extra.get("hidden"):
            return None
        promoters = int(before.extra.get("promoters") or 0) / n
        detractors = int(before.extra.get("detractors") or 0) / n
        return compare.n_for_nps(promoters, detractors, detect)
    if key in ("csat", "ces"):
        n = int(before.extra.get("n") or 0)
        share = survey_metrics.SHARE_OF[key]
        p1 = int(before.extra.get(share) or 0) / n if n else None
    else:
        counts = _counts(key, before)
        p1 = counts[0] / counts[1] if counts else None
    if p1 is None:
        return None
    p2 = p1 + detect / 100
    if not 0 <= p2 <= 1:
        return None
    return compare.n_for_shares(p1, p2)


def _finite(found: dict[str, Any]) -> dict[str, Any]:
    """JSON has no infinity: a z of ±inf (two unanimous periods that differ) is written null
    (its p-value, 0, says what it means)."""
    return {
        k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in found.items()
    }


def compare_results(
    key: str,
    before: registry.MetricResult,
    after: registry.MetricResult,
    detect: float | None = None,
) -> dict[str, Any]:
    """One metric: the baseline's and the later figure, the plain difference of their values,
    the test where the metric has one, and the sample sizes."""
    out: dict[str, Any] = {
        "metric": key,
        "baseline": before.as_dict(),
        "later": after.as_dict(),
        "difference": _difference(before.value, after.value),
        "test": None,
        "n_needed_per_period": None,
    }
    if key in SURVEY_KEYS:
        found = survey_metrics.comparison(key, before, after)
        if found is not None:
            out["n_needed_per_period"] = found.pop("n_needed_per_period", None)
            out["test"] = _finite(found)
    else:
        first, second = _counts(key, before), _counts(key, after)
        if first is not None and second is not None:
            result = compare.compare_shares(first, second)
            if result is not None:
                out["test"] = _finite({**result.as_dict(), "unit": "percentage points"})
                if result.difference:
                    p1 = first[0] / first[1]
                    target = p1 + result.difference / 100
                    if 0 <= target <= 1 and target != p1:
                        out["n_needed_per_period"] = compare.n_for_shares(p1, target)
    if detect is not None:
        out["detect"] = detect
        out["n_needed_to_detect"] = _needed_for(key, before, detect)
    return out


def compare_baseline(
    baseline: MetricBaseline,
    *,
    start: dt.date,
    end: dt.date,
    against: Slice | None = None,
    detect: float | None = None,
    keys: set[str] | None = None,
) -> list[dict[str, Any]]:
    """Each figure of the baseline against the same metric over start…end, for the figure's
    own slice, or for `against` (a pilot's baseline against the rest of the clients: pass
    `nonpilot:<id>` with the baseline's own period). `keys`: only these metrics (the ones the
    viewer may see). ValueError for a reversed period; a figure whose metric cannot be cut by
    `against` is reported with "error" instead of a comparison."""
    later_period = registry.Period(start, end)
    period = period_of(baseline)
    rule = rule_of(baseline)
    rows = []
    for figure in baseline.figures.all():
        if keys is not None and figure.metric not in keys:
            continue
        before = result_of(figure, period)
        where = against or before.slice
        known = {d.key for d in registry.metrics()}
        if figure.metric not in known or not registry.supports(figure.metric, where):
            rows.append(
                {"metric": figure.metric, "slice": figure.slice, "error": "unsupported_slice"}
            )
            continue
        after = registry.compute(figure.metric, later_period, rule, slice=where)
        rows.append(
            {"slice": figure.slice, "against": str(where)}
            | compare_results(figure.metric, before, after, detect)
        )
    return rows
