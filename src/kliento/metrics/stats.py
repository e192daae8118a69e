"""Estimates with their 95% intervals, for the survey metrics. Pure functions (no database),
tested on hand-computed values and against scipy.stats.

- A share (% satisfied, % low effort): the Wilson score interval, which stays inside 0-100 %
  and keeps a width for 0 % or 100 % (the Wald p ± z√(p(1-p)/n) collapses there).
- A mean score: mean ± t(n-1)·s/√n, s the sample standard deviation (n - 1 divisor).
- NPS = 100·(p_P - p_D). Each answer scores +1, 0 or -1, so the variance of one answer is
  p_P + p_D - (p_P - p_D)² (multinomial), and NPS ± z·100·√(var/n), cut to -100…100.
  When every answer is the same (all promoters) the variance is 0 and so is the width: the
  `indicative` flag of a small sample is the warning then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats

CONFIDENCE = 0.95


def z_value(confidence: float = CONFIDENCE) -> float:
    return float(stats.norm.ppf(0.5 + confidence / 2))


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float | None  # None: no interval from one answer
    high: float | None
    n: int
    sd: float | None = None  # of one answer, for means from two answers up


def wilson(successes: int, n: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """A share in per cent; None for no answers."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    z = z_value(confidence)
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return Estimate(100 * p, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half), n)


def mean_t(counts: dict[int, int], confidence: float = CONFIDENCE) -> Estimate | None:
    """The mean of scores given as {score: how many}; None for no answers, no interval for one."""
    n = sum(counts.values())
    if n <= 0:
        return None
    mean = sum(score * k for score, k in counts.items()) / n
    if n == 1:
        return Estimate(mean, None, None, 1)
    variance = sum(k * (score - mean) ** 2 for score, k in counts.items()) / (n - 1)
    half = float(stats.t.ppf(0.5 + confidence / 2, n - 1)) * math.sqrt(variance / n)
    return Estimate(mean, mean - half, mean + half, n, math.sqrt(variance))


def nps_variance(promoters: int, detractors: int, n: int) -> float:
    """The variance of one answer's +1/0/-1 score."""
    p, d = promoters / n, detractors / n
    return max(0.0, p + d - (p - d) ** 2)


def nps(promoters: int, detractors: int, n: int, confidence: float = CONFIDENCE) -> Estimate | None:
    """NPS in points (-100…100); None for no answers."""
    if n <= 0:
        return None
    if promoters < 0 or detractors < 0 or promoters + detractors > n:
        raise ValueError("promoters and detractors must add up to at most n")
    score = 100 * (promoters - detractors) / n
    half = z_value(confidence) * 100 * math.sqrt(nps_variance(promoters, detractors, n) / n)
    return Estimate(score, max(-100.0, score - half), min(100.0, score + half), n)
