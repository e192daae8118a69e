"""The self-assessment gap (seed 004 #9: companies think their service is better than their
clients do): staff's belief of how clients rate each area of the service, beside what the
clients answered to the survey's questions tagged with that area, per area and per team.

For each area (and each team within it): the staff's mean belief and the clients' mean score,
each with n and a 95% interval (Student's t), and the gap = staff - clients with its interval
and p-value by Welch's t-test (kliento.metrics.compare.compare_means). Both sides are on the
client survey's scale, so the gap is in points of that scale.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core.models import OrgUnit
from kliento.core.types import Actor
from kliento.metrics.compare import compare_means
from kliento.metrics.models import AREAS, SelfAssessmentRound, SelfRating
from kliento.metrics.stats import mean_t
from kliento.surveys import selectors as surveys

AREA_KEYS = [key for key, _label in AREAS]
COMPANY = None  # the team key of the whole company's row


@dataclass
class Side:
    n: int
    mean: float | None
    sd: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass
class GapRow:
    area: str
    team_id: int | None  # None: every team together
    team: str
    staff: Side
    clients: Side
    comparison: dict[str, Any] | None  # staff - clients (Welch); None below two on a side


@dataclass
class GapReport:
    round: SelfAssessmentRound
    scale: tuple[int, int] | None
    rows: list[GapRow] = field(default_factory=list)


def _side(scores: list[int]) -> Side:
    n = len(scores)
    if not n:
        return Side(0, None, None, None, None)
    mean = sum(scores) / n
    sd = math.sqrt(sum((s - mean) ** 2 for s in scores) / (n - 1)) if n > 1 else None
    counts: dict[int, int] = defaultdict(int)
    for s in scores:
        counts[s] += 1
    estimate = mean_t(dict(counts))
    low = estimate.low if estimate is not None else None
    high = estimate.high if estimate is not None else None
    r = _round
    return Side(n, r(mean), r(sd), r(low), r(high))


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _compare(staff: list[int], clients: list[int]) -> dict[str, Any] | None:
    if len(staff) < 2 or len(clients) < 2:
        return None

    def moments(xs: list[int]) -> tuple[float, float, int]:
        m = sum(xs) / len(xs)
        return m, math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1)), len(xs)

    # compare_means gives "later - baseline": the clients are the baseline, staff the belief.
    result = compare_means(moments(clients), moments(staff))
    return None if result is None else result.as_dict()


def gap_report(assessment: SelfAssessmentRound) -> GapReport:
    staff: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for area, rater_team, score in SelfRating.objects.filter(round=assessment).values_list(
        "area", "team_id", "score"
    ):
        staff[(area, rater_team)].append(score)
        staff[(area, COMPANY)].append(score)
    clients: dict[tuple[str, int | None], list[int]] = defaultdict(list)
    for answer in surveys.area_answers(
        survey_id=assessment.survey_id, since=assessment.start, until=assessment.end
    ):
        clients[(answer.area, answer.team_id)].append(answer.score)
        clients[(answer.area, COMPANY)].append(answer.score)

    team_ids = {team for _area, team in (*staff, *clients) if team is not None}
    names = dict(OrgUnit.objects.filter(pk__in=team_ids).values_list("pk", "name"))
    report = GapReport(assessment, surveys.survey_scale(assessment.survey_id))
    for area in AREA_KEYS:
        teams = sorted(
            {t for a, t in (*staff, *clients) if a == area and t is not None},
            key=lambda t: names.get(t, ""),
        )
        keys: list[int | None] = [COMPANY, *teams]
        for team_id in keys:
            ours, theirs = staff.get((area, team_id), []), clients.get((area, team_id), [])
            if team_id is not COMPANY and not (ours and theirs):
                continue  # a team only one side speaks for has no gap to show
            report.rows.append(
                GapRow(
                    area=area,
                    team_id=team_id,
                    team=_("All teams") if team_id is None else names.get(team_id, ""),
                    staff=_side(ours),
                    clients=_side(theirs),
                    comparison=_compare(ours, theirs),
                )
            )
    return report


# --------------------------------------------------------------------------- writes


@transaction.atomic
def open_round(
    *, actor: Actor, name: str, survey_id: int, start: dt.date, end: dt.date
) -> SelfAssessmentRound:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [_("Give the round a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    allowed = set(surveys.client_surveys_with_areas().values_list("pk", flat=True))
    if survey_id not in allowed:
        errors["survey"] = [_("Choose a client survey with questions tagged by area.")]
    if start and end and end < start:
        errors["end"] = [_("The period must not end before it starts.")]
    if errors:
        raise ValidationError(errors)
    return SelfAssessmentRound.objects.create(
        name=name,
        survey_id=survey_id,
        start=start,
        end=end,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


@transaction.atomic
def rate(
    *,
    actor: Any,
    assessment: SelfAssessmentRound,
    scores: dict[str, int | None],
    team_id: int | None,
) -> int:
    """Record (or replace) the actor's belief per area; an area left empty is not rated.
    Scores outside the survey's scale are refused, all at once; returns how many were kept."""
    scale = surveys.survey_scale(assessment.survey_id)
    errors: dict[str, list[str]] = {}
    for area, given_score in scores.items():
        if area not in AREA_KEYS:
            errors[area] = [_("Unknown area of service.")]
        elif given_score is not None and (
            scale is None
            or isinstance(given_score, bool)
            or not scale[0] <= given_score <= scale[1]
        ):
            low, high = scale or (0, 0)
            errors[area] = [
                _("Give a score from %(low)d to %(high)d.") % {"low": low, "high": high}
            ]
    given = {a: s for a, s in scores.items() if s is not None}
    if not errors and not given:
        errors["__all__"] = [_("Rate at least one area.")]
    if errors:
        raise ValidationError(errors)
    for area, score in given.items():
        SelfRating.objects.update_or_create(
            round=assessment,
            rater=actor,
            area=area,
            defaults={"score": score, "team_id": team_id},
        )
    return len(given)
