"""Scales, how a score is read (promoter, dissatisfied, high effort) and the results with their
95% intervals. Pure functions: no database, so each formula is tested on hand-computed numbers.

Formulas (z = 1.96):

- NPS = 100·(p - d), p and d the shares of promoters (9-10) and detractors (0-6). Each answer
  is +1, 0 or -1; the variance of that per answer is (p + d) - (p - d)², so the interval is
  NPS ± z·100·√(((p + d) - (p - d)²) / n).
- CSAT: % satisfied (4-5 on both the 1-5 and the 0-5 scale) with the Wilson score interval
  (it stays inside 0-100 % for small n or shares near the ends, where p ± z√(p(1-p)/n) does not).
- CES: % low effort (the easy end: 4-5 of 1-5, 5-7 of 1-7, mirrored when low means easy) with
  the Wilson interval, and the mean with mean ± z·s/√n (s the sample standard deviation).
- Every result carries n; below FEW answers it says the figure is uncertain.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

Z = 1.96
FEW = 30

# The scales a survey's kind allows, the first being its default.
SCALES: dict[str, tuple[str, ...]] = {
    "nps": ("0-10",),
    "csat": ("1-5", "0-5"),
    "ces": ("1-5", "1-7"),
    "custom": ("1-5", "0-5", "1-7", "0-10"),
    "enps": ("0-10",),
    "climate": ("1-5",),
}
STAFF_KINDS = frozenset({"enps", "climate"})


def bounds(scale: str) -> tuple[int, int]:
    low, high = scale.split("-")
    return int(low), int(high)


@dataclass(frozen=True)
class Reading:
    """How one score reads on its survey: the category and whether it needs a follow-up."""

    category: str  # promoter/passive/detractor, satisfied/neutral/dissatisfied, low/…/high
    poor: bool  # opens a follow-up (the closed loop)


def read_score(kind: str, scale: str, direction: str, score: int) -> Reading:
    low, high = bounds(scale)
    if not low <= score <= high:
        raise ValueError(f"{score} is off the {scale} scale")
    if kind == "enps":
        # Scored like NPS; a staff answer opens no follow-up (it is anonymous, or about a team).
        return Reading(read_score("nps", scale, direction, score).category, False)
    if kind == "climate":
        return Reading(
            "favourable" if score >= 4 else "neutral" if score == 3 else "unfavourable", False
        )
    if kind == "nps":
        if score >= 9:
            return Reading("promoter", False)
        if score >= 7:
            return Reading("passive", False)
        return Reading("detractor", True)
    if kind == "csat":
        if score >= 4:
            return Reading("satisfied", False)
        if score == 3:
            return Reading("neutral", False)
        return Reading("dissatisfied", True)  # 1-2, and 0 on the 0-5 scale
    if kind == "ces":
        # Position from the easy end: 0 = easiest.
        from_easy = high - score if direction != "low_easy" else score - low
        easy_band, hard_band = (2, 2) if high - low == 4 else (3, 3)
        if from_easy < easy_band:
            return Reading("low_effort", False)
        if from_easy > (high - low) - hard_band:
            return Reading("high_effort", True)
        return Reading("neutral", False)
    return Reading("", False)


@dataclass(frozen=True)
class Estimate:
    value: float
    low: float
    high: float
    n: int

    @property
    def few(self) -> bool:
        return self.n < FEW


def wilson(successes: int, n: int) -> Estimate:
    """A share in per cent with its Wilson 95% interval."""
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, 0)
    p = successes / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    return Estimate(100 * p, 100 * max(0.0, centre - half), 100 * min(1.0, centre + half), n)


def mean_interval(scores: list[int]) -> Estimate:
    n = len(scores)
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, 0)
    mean = sum(scores) / n
    if n == 1:
        return Estimate(mean, mean, mean, 1)
    variance = sum((s - mean) ** 2 for s in scores) / (n - 1)
    half = Z * math.sqrt(variance / n)
    return Estimate(mean, mean - half, mean + half, n)


def nps(promoters: int, detractors: int, n: int) -> Estimate:
    if n == 0:
        return Estimate(0.0, 0.0, 0.0, 0)
    p, d = promoters / n, detractors / n
    score = 100 * (p - d)
    half = Z * 100 * math.sqrt(max(0.0, (p + d) - (p - d) ** 2) / n)
    return Estimate(score, max(-100.0, score - half), min(100.0, score + half), n)


@dataclass(frozen=True)
class Results:
    kind: str
    scale: str
    n: int
    distribution: dict[int, int]  # every point of the scale, zero where nobody chose it
    categories: dict[str, int]
    headline: Estimate | None  # NPS, % satisfied, % low effort; None for custom
    mean: Estimate


def results(kind: str, scale: str, direction: str, scores: Iterable[int]) -> Results:
    values = list(scores)
    low, high = bounds(scale)
    counts = Counter(values)
    categories: Counter[str] = Counter()
    for score, count in counts.items():
        categories[read_score(kind, scale, direction, score).category] += count
    n = len(values)
    headline: Estimate | None = None
    if kind in ("nps", "enps"):
        headline = nps(categories["promoter"], categories["detractor"], n)
    elif kind == "climate":
        headline = wilson(categories["favourable"], n)
    elif kind == "csat":
        headline = wilson(categories["satisfied"], n)
    elif kind == "ces":
        headline = wilson(categories["low_effort"], n)
    return Results(
        kind=kind,
        scale=scale,
        n=n,
        distribution={point: counts.get(point, 0) for point in range(low, high + 1)},
        categories=dict(categories),
        headline=headline,
        mean=mean_interval(values),
    )
