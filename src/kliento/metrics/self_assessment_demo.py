"""Demo: a self-assessment round on the "Service by area" survey (kliento.surveys' demo) in
which staff believe clients rate speed far higher than they do, the gap seed 004 #9 warns of."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions
from kliento.metrics import self_assessment
from kliento.metrics.models import SelfAssessmentRound
from kliento.surveys import selectors as surveys

# Staff beliefs per area (1-5): speed is overrated; the rest close to what clients say.
BELIEFS = {
    "speed": [0, 0, 5, 45, 50],
    "politeness": [0, 2, 10, 40, 48],
    "competence": [0, 5, 30, 55, 10],
    "overall": [0, 3, 20, 52, 25],
}


def load(options: DemoOptions) -> None:
    if SelfAssessmentRound.objects.exists():
        return
    survey = surveys.client_surveys_with_areas().filter(name="Service by area").first()
    staff = list(clients.staff())
    if survey is None or not staff:
        return
    rng = random.Random(34)
    today = timezone.localdate()
    with transaction.atomic():
        assessment = self_assessment.open_round(
            actor=None,
            name="Spring self-assessment",
            survey_id=survey.pk,
            start=today - dt.timedelta(days=90),
            end=today,
        )
        for person in staff:
            profile = getattr(person, "staff_profile", None)
            self_assessment.rate(
                actor=person,
                assessment=assessment,
                scores={
                    area: rng.choices([1, 2, 3, 4, 5], weights)[0]
                    for area, weights in BELIEFS.items()
                },
                team_id=getattr(profile, "unit_id", None),
            )
    options.report(f"Self-assessment: one round, {len(staff)} staff ratings per area.")
