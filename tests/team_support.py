"""Fixtures of the team app's tests: a profile with competencies, an onboarding plan, CSAT
answers about an employee on given days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kliento.surveys.models import Response, Survey
from kliento.team.models import IdealProfile
from kliento.team.services import onboarding, profiles

COMPETENCIES = [
    # name, group, attitude
    ("Care", "must", True),
    ("Honesty", "must", True),
    ("Writing", "must", False),
    ("Product", "learnable", False),
    ("Languages", "nice", False),
]


def profile(by: Any, role: str = "agent") -> IdealProfile:
    p = profiles.save_profile(actor=by, role=role, summary="Kind and calm.")
    for i, (name, group, attitude) in enumerate(COMPETENCIES):
        profiles.save_competency(
            actor=by,
            profile=p,
            name=name,
            group=group,
            is_attitude=attitude,
            description="",
            assessed_by="interview",
            assessment="Tell us about…",
            position=i,
        )
    return p


def plan(by: Any, *, with_standards: bool = False) -> Any:
    p = onboarding.save_plan(actor=by, role="agent", title="First month")
    if with_standards:
        onboarding.add_plan_checkpoint(
            plan=p, title="Read the standards", kind="standards", due_day=3
        )
    onboarding.add_plan_checkpoint(plan=p, title="Shadow a colleague", kind="shadow", due_day=7)
    onboarding.add_plan_checkpoint(plan=p, title="First audit", kind="audit", due_day=30)
    return p


def csat_survey() -> Survey:
    return Survey.objects.get_or_create(
        code="team-csat", defaults={"name": "CSAT", "kind": "csat", "scale": "1-5"}
    )[0]


def csat(agent: Any, day: dt.date, scores: list[int]) -> None:
    """CSAT answers about `agent`'s work given on `day`."""
    survey = csat_survey()
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Response.objects.bulk_create(
        Response(survey=survey, agent=agent, channel="email", score=s, submitted_at=moment)
        for s in scores
    )
