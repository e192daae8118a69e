"""Comparing a later period with a baseline: the difference, its 95% interval, whether it is
significant, and the sample size needed to detect a change. Pure functions, tested against
scipy.stats and independent computations.

- Two NPS (points): each NPS has variance 100²·(p_P + p_D - (p_P - p_D)²)/n (multinomial);
  the difference's standard error is the root of their sum; z test, normal interval.
- Two shares (% satisfied, % low effort): the two-proportion z test, with the pooled share
  for the test (under "no change" both periods share one rate) and the unpooled standard error
  for the interval (which must not assume what it measures).
- Two means: Welch's t test (unequal variances), Welch-Satterthwaite degrees of freedom.
- Sample size per period, two-sided at `alpha` with `power`: for shares
  n = (z_a·√(2·p̄(1-p̄)) + z_b·√(p₁(1-p₁) + p₂(1-p₂)))² / (p₁-p₂)²; for means
  n = 2·((z_a + z_b)·sd/δ)²; for NPS n = (z_a + z_b)²·2·var/δ², var of one answer's ±1/0
  score; z_a the normal quantile at 1 - alpha/2, z_b at the power.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as scipy_stats

from kliento.metrics.stats import CONFIDENCE, nps_variance

ALPHA = 1 - CONFIDENCE
POWER = 0.8


@dataclass(frozen=True)
class Comparison:
    difference: float  # later minus baseline, in the metric's unit (points, %, score)
    low: float
    high: float
    statistic: float  # z, or Welch's t
    p_value: float
    df: float | None = None  # Welch's degrees of freedom; None for z tests

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    def as_dict(self, digits: int = 4) -> dict[str, float | bool | None]:
        return {
            "difference": round(self.difference, digits),
            "ci_low": round(self.low, digits),
            "ci_high": round(self.high, digits),
            "statistic": round(self.statistic, digits),
            "p_value": round(self.p_value, 6),
            "df": None if self.df is None else round(self.df, digits),
            "significant": self.significant,
        }


def _z_comparison(difference: float, se_test: float, se_interval: float) -> Comparison:
    z = scipy_stats.norm.ppf(1 - ALPHA / 2)
    if se_test == 0:
        # Both periods unanimous: any difference is certain, none is no change.
        statistic = 0.0 if difference == 0 else math.copysign(math.inf, difference)
        p_value = 1.0 if difference == 0 else 0.0
    else:
        statistic = difference / se_test
        p_value = float(2 * scipy_stats.norm.sf(abs(statistic)))
    return Comparison(
        difference, difference - z * se_interval, difference + z * se_interval, statistic, p_value
    )


def compare_nps(baseline: tuple[int, int, int], later: tuple[int, int, int]) -> Comparison | None:
    """Each as (promoters, detractors, n); None when a period has no answers."""
    (p1, d1, n1), (p2, d2, n2) = baseline, later
    if n1 <= 0 or n2 <= 0:
        return None
    difference = 100 * ((p2 - d2) / n2 - (p1 - d1) / n1)
    se = 100 * math.sqrt(nps_variance(p1, d1, n1) / n1 + nps_variance(p2, d2, n2) / n2)
    return _z_comparison(difference, se, se)


def compare_shares(baseline: tuple[int, int], later: tuple[int, int]) -> Comparison | None:
    """Each as (successes, n); the difference in percentage points."""
    (x1, n1), (x2, n2) = baseline, later
    if n1 <= 0 or n2 <= 0:
        return None
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    se_test = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    se_interval = math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    return _z_comparison(100 * (p2 - p1), 100 * se_test, 100 * se_interval)


def compare_means(
    baseline: tuple[float, float, int], later: tuple[float, float, int]
) -> Comparison | None:
    """Each as (mean, sample standard deviation, n); Welch's t. None below two answers."""
    (m1, s1, n1), (m2, s2, n2) = baseline, later
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = s1 * s1 / n1, s2 * s2 / n2
    difference = m2 - m1
    se = math.sqrt(v1 + v2)
    if se == 0:
        return _z_comparison(difference, 0.0, 0.0)
    df = (v1 + v2) ** 2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    t = difference / se
    half = float(scipy_stats.t.ppf(1 - ALPHA / 2, df)) * se
    p_value = float(2 * scipy_stats.t.sf(abs(t), df))
    return Comparison(difference, difference - half, difference + half, t, p_value, df)


def _z_sum(alpha: float, power: float) -> tuple[float, float]:
    return float(scipy_stats.norm.ppf(1 - alpha / 2)), float(scipy_stats.norm.ppf(power))


def n_for_shares(p1: float, p2: float, *, alpha: float = ALPHA, power: float = POWER) -> int:
    """Answers needed in each period to detect a share moving from p1 to p2 (0-1)."""
    if p1 == p2:
        raise ValueError("the change to detect must not be zero")
    z_a, z_b = _z_sum(alpha, power)
    mean = (p1 + p2) / 2
    root = z_a * math.sqrt(2 * mean * (1 - mean)) + z_b * math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return math.ceil(root**2 / (p1 - p2) ** 2)


def n_for_means(sd: float, change: float, *, alpha: float = ALPHA, power: float = POWER) -> int:
    """Answers needed in each period to detect a mean moving by `change` (sd: of one answer)."""
    if change == 0:
        raise ValueError("the change to detect must not be zero")
    z_a, z_b = _z_sum(alpha, power)
    return math.ceil(2 * ((z_a + z_b) * sd / change) ** 2)


def n_for_nps(
    promoters: float,
    detractors: float,
    change_points: float,
    *,
    alpha: float = ALPHA,
    power: float = POWER,
) -> int:
    """Answers needed in each period to detect an NPS moving by `change_points`, from shares
    of promoters and detractors (0-1) like the baseline's."""
    if change_points == 0:
        raise ValueError("the change to detect must not be zero")
    z_a, z_b = _z_sum(alpha, power)
    variance = max(0.0, promoters + detractors - (promoters - detractors) ** 2)
    return math.ceil((z_a + z_b) ** 2 * 2 * variance / (change_points / 100) ** 2)
