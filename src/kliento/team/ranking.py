"""The ranking of candidates against a role profile: attitude first (see docs/decisions,
ranking formula).

Per competency, the mean of the interviewers' scores (1-5). The weighted score is the mean of
those, weighted 3 for an attitude or value, 2 for a must-have, 1 for what can be learned and 0.5
for a nice-to-have, over the competencies scored so far. Candidates whose attitude mean reaches
ATTITUDE_BAR rank above all who do not (skills can be taught, attitude hardly); within each part
by the weighted score, then by the attitude mean. Candidates with no score rank last."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean
from typing import Any

ATTITUDE_WEIGHT = 3.0
GROUP_WEIGHTS = {"must": 2.0, "learnable": 1.0, "nice": 0.5}
ATTITUDE_BAR = 3.0


@dataclass(frozen=True)
class Ranked:
    candidate: Any
    attitude: float | None
    weighted: float | None
    passes_attitude: bool
    scored: int  # competencies with at least one score
    total: int
    rank: int = 0


def weight(competency: Any) -> float:
    return ATTITUDE_WEIGHT if competency.is_attitude else GROUP_WEIGHTS[competency.group]


def assess(candidate: Any, competencies: list[Any], scores: Iterable[Any]) -> Ranked:
    """`scores`: the candidate's CandidateScore rows (any interviewers)."""
    by_competency: dict[int, list[int]] = {}
    for row in scores:
        by_competency.setdefault(row.competency_id, []).append(row.score)
    means = {c.pk: mean(by_competency[c.pk]) for c in competencies if c.pk in by_competency}
    attitude_means = [means[c.pk] for c in competencies if c.is_attitude and c.pk in means]
    attitude = mean(attitude_means) if attitude_means else None
    weights = {c.pk: weight(c) for c in competencies if c.pk in means}
    total_weight = sum(weights.values())
    weighted = sum(means[pk] * w for pk, w in weights.items()) / total_weight if weights else None
    return Ranked(
        candidate=candidate,
        attitude=None if attitude is None else round(attitude, 2),
        weighted=None if weighted is None else round(weighted, 2),
        passes_attitude=attitude is not None and attitude >= ATTITUDE_BAR,
        scored=len(means),
        total=len(competencies),
    )


def rank(assessed: list[Ranked]) -> list[Ranked]:
    ordered = sorted(
        assessed,
        key=lambda r: (
            r.weighted is None,
            not r.passes_attitude,
            -(r.weighted or 0.0),
            -(r.attitude or 0.0),
            r.candidate.pk,
        ),
    )
    return [
        Ranked(r.candidate, r.attitude, r.weighted, r.passes_attitude, r.scored, r.total, i)
        for i, r in enumerate(ordered, start=1)
    ]
