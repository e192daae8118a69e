"""Sampling cases into the review queue: a random share per agent per week, every complaint,
every case with a dissatisfied CSAT answer; reproducible and never twice."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kliento.quality.models import ReviewAssignment
from kliento.quality.services import reviews
from kliento.quality.tasks_reviews import sample_reviews
from kliento.surveys.models import Response
from kliento.surveys.services import definitions
from tests.quality_reviews_support import WEEK, people, resolved_case

pytestmark = pytest.mark.django_db

Reason = ReviewAssignment.Reason


def picked(reason: str | None = None) -> set[int]:
    found = ReviewAssignment.objects.all()
    if reason:
        found = found.filter(reason=reason)
    return set(found.values_list("case_id", flat=True))


def test_a_share_of_each_agents_resolved_cases_is_drawn_rounding_up():
    p = people()
    olena_cases = [
        resolved_case(p["olena"], day=WEEK + dt.timedelta(days=i % 7)) for i in range(10)
    ]
    jakub_case = resolved_case(p["jakub"])
    resolved_case(p["olena"], day=WEEK + dt.timedelta(days=7))  # next week: not drawn
    resolved_case(p["olena"], day=WEEK - dt.timedelta(days=1))  # the Sunday before

    done = reviews.sample_week(week=WEEK + dt.timedelta(days=3), share=Decimal("0.3"), seed="s")

    assert done.week == WEEK and done.random == 4
    chosen = picked(Reason.RANDOM)
    assert len(chosen & {c.pk for c in olena_cases}) == 3
    assert jakub_case.pk in chosen  # one case, 30 %: rounded up to one
    assert all(a.week == WEEK for a in ReviewAssignment.objects.all())
    agents = {a.case_id: a.agent_id for a in ReviewAssignment.objects.all()}
    assert agents[jakub_case.pk] == p["jakub"].pk


def test_the_draw_is_reproducible_and_a_rerun_adds_nothing():
    p = people()
    for _ in range(12):
        resolved_case(p["olena"])
    reviews.sample_week(week=WEEK, share=Decimal("0.25"), seed="fixed")
    first = picked()
    again = reviews.sample_week(week=WEEK, share=Decimal("0.25"), seed="fixed")
    assert (again.random, again.complaints, again.low_csat) == (0, 0, 0)
    assert picked() == first and len(first) == 3

    ReviewAssignment.objects.all().delete()
    reviews.sample_week(week=WEEK, share=Decimal("0.25"), seed="fixed")
    assert picked() == first  # the same seed draws the same cases


def test_every_complaint_is_queued_whatever_the_share_and_only_once():
    p = people()
    complaints = {resolved_case(p["olena"], kind="complaint").pk for _ in range(3)}
    resolved_case(p["olena"])
    done = reviews.sample_week(week=WEEK, share=Decimal("0"), seed="s")
    assert done.complaints == 3 and done.random == 0
    assert picked(Reason.COMPLAINT) == complaints
    # Drawn again at 100 %: the complaints keep their reason, the other case is added once.
    done = reviews.sample_week(week=WEEK, share=Decimal("1"), seed="s")
    assert done.random == 1 and picked(Reason.COMPLAINT) == complaints
    assert ReviewAssignment.objects.count() == 4


def _csat(score: int, case_id: int, when: dt.datetime) -> None:
    survey = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name=f"After the case {score}-{case_id}",
            kind="csat",
            scale="1-5",
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Satisfied?"})],
        ),
    )
    Response.objects.create(
        survey=survey, channel="email", score=score, case_id=case_id, submitted_at=when
    )


def test_cases_with_a_dissatisfied_csat_answer_are_queued():
    p = people()
    poor = resolved_case(p["olena"], day=WEEK - dt.timedelta(days=20))  # resolved earlier
    happy = resolved_case(p["olena"], day=WEEK - dt.timedelta(days=20))
    in_week = timezone.make_aware(dt.datetime.combine(WEEK + dt.timedelta(days=2), dt.time(9)))
    _csat(2, poor.pk, in_week)
    _csat(5, happy.pk, in_week)
    _csat(1, happy.pk, in_week + dt.timedelta(days=10))  # answered the week after

    done = reviews.sample_week(week=WEEK, share=Decimal("0"), seed="s")

    assert done.low_csat == 1
    assert picked(Reason.LOW_CSAT) == {poor.pk}


def test_a_share_outside_zero_to_one_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        reviews.sample_week(week=WEEK, share=Decimal("1.5"))
    assert "share" in error.value.message_dict


def test_the_periodic_job_samples_the_last_completed_weeks_idempotently(settings):
    settings.KLIENTO_QA_SAMPLE_SHARE = "1"
    p = people()
    last_week = reviews.monday(timezone.localdate()) - dt.timedelta(weeks=1)
    this_week = reviews.monday(timezone.localdate())
    earlier = resolved_case(p["olena"], day=last_week)
    resolved_case(p["olena"], day=this_week)  # the running week is not sampled yet
    assert sample_reviews.call()["random"] == 1
    assert sample_reviews.call() == {"complaints": 0, "low_csat": 0, "random": 0}
    assert picked() == {earlier.pk}
