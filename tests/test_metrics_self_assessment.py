"""The self-assessment gap (seed 004 #9): staff belief per area vs. client answers, per area and
team, with Welch's test checked against scipy's own; permissions; API 422s."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from scipy import stats

from kliento.core import roles
from kliento.metrics import self_assessment
from kliento.metrics.models import SelfRating
from kliento.surveys.models import Response
from kliento.surveys.services import definitions
from tests.api_support import api_as, error_locs
from tests.desk_support import member, team
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2025, 3, 10)
STAFF_SPEED = {"n1": 5, "n2": 4, "s1": 5, "s2": 4}
CLIENT_SPEED = {"North": [2, 3, 4], "South": [3, 3]}


def survey_with_areas():
    return definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="By area",
            kind="csat",
            questions=[
                definitions.QuestionSpec(kind="scale", texts={"en": "Overall?"}, area="overall"),
                definitions.QuestionSpec(kind="scale", texts={"en": "Speed?"}, area="speed"),
            ],
        ),
    )


@pytest.fixture
def world():
    """North's clients rate speed 2, 3, 4; South's 3, 3. Staff believe 5 and 4 in each team:
    staff 4.5 against clients 3.0 company-wide."""
    survey = survey_with_areas()
    overall, speed = survey.questions.order_by("position")
    units = {"North": team("North"), "South": team("South")}
    when = timezone.make_aware(dt.datetime.combine(DAY, dt.time(12)))
    for name, scores in CLIENT_SPEED.items():
        for score in scores:
            Response.objects.create(
                survey=survey,
                client=ClientFactory(),
                team=units[name],
                channel="email",
                score=4,
                answers={str(overall.pk): 4, str(speed.pk): score},
                submitted_at=when,
            )
    assessment = self_assessment.open_round(
        actor=None, name="Spring", survey_id=survey.pk, start=DAY, end=DAY
    )
    people = {}
    for username, belief in STAFF_SPEED.items():
        unit = units["North" if username.startswith("n") else "South"]
        people[username] = member(unit, username)
        self_assessment.rate(
            actor=people[username],
            assessment=assessment,
            scores={"speed": belief},
            team_id=unit.pk,
        )
    return assessment, units, people


def row(report, area, team_name):
    return next(r for r in report.rows if r.area == area and r.team == team_name)


def test_the_gap_per_area_and_team_matches_welch(world):
    assessment, _units, _people = world
    report = self_assessment.gap_report(assessment)
    assert report.scale == (1, 5)
    company = row(report, "speed", "All teams")
    assert (company.staff.n, company.staff.mean, company.clients.n, company.clients.mean) == (
        4,
        4.5,
        5,
        3.0,
    )
    expected = stats.ttest_ind([5, 4, 5, 4], [2, 3, 4, 3, 3], equal_var=False)
    assert company.comparison["difference"] == 1.5
    assert company.comparison["p_value"] == pytest.approx(expected.pvalue, abs=1e-6)
    assert company.comparison["significant"] is True
    north = row(report, "speed", "North")
    assert (north.staff.n, north.clients.n, north.comparison["difference"]) == (2, 3, 1.5)
    north_p = stats.ttest_ind([5, 4], [2, 3, 4], equal_var=False).pvalue
    assert north.comparison["p_value"] == pytest.approx(north_p, abs=1e-6)
    # Overall: clients answered (4 from each), staff gave no belief: no comparison.
    overall = row(report, "overall", "All teams")
    assert (overall.staff.n, overall.clients.n, overall.comparison) == (0, 5, None)
    assert overall.clients.ci_low == overall.clients.ci_high == 4.0


def test_a_second_rating_replaces_the_first(world):
    assessment, units, people = world
    self_assessment.rate(
        actor=people["n1"], assessment=assessment, scores={"speed": 2}, team_id=units["North"].pk
    )
    assert SelfRating.objects.get(rater=people["n1"], area="speed").score == 2
    assert SelfRating.objects.filter(round=assessment).count() == 4


@pytest.mark.parametrize("scores", [{"speed": 6}, {"speed": 0}, {"nonsense": 3}, {"speed": None}])
def test_ratings_outside_the_scale_or_empty_are_refused(world, scores):
    assessment, _units, people = world
    with pytest.raises(ValidationError):
        self_assessment.rate(actor=people["n1"], assessment=assessment, scores=scores, team_id=None)
    assert SelfRating.objects.get(rater=people["n1"]).score == 5


def test_a_round_needs_a_survey_with_areas():
    plain = definitions.create_survey(
        actor=None,
        spec=definitions.SurveySpec(
            name="Plain",
            kind="csat",
            questions=[definitions.QuestionSpec(kind="scale", texts={"en": "Q"})],
        ),
    )
    with pytest.raises(ValidationError) as caught:
        self_assessment.open_round(actor=None, name="X", survey_id=plain.pk, start=DAY, end=DAY)
    assert "survey" in caught.value.message_dict


def test_only_scale_questions_take_an_area():
    bad = definitions.SurveySpec(
        name="Bad",
        kind="custom",
        scale="1-5",
        questions=[
            definitions.QuestionSpec(kind="scale", texts={"en": "Q"}),
            definitions.QuestionSpec(kind="text", texts={"en": "Why?"}, area="speed"),
        ],
    )
    with pytest.raises(ValidationError) as caught:
        definitions.create_survey(actor=None, spec=bad)
    assert "question_2_area" in caught.value.message_dict


def test_pages_staff_rate_managers_read(world, as_manager):
    assessment, _units, people = world
    from django.test import Client as HttpClient

    agent = HttpClient()
    agent.force_login(people["n1"])
    url = reverse("metrics:self_assessment", args=[assessment.pk])
    # Staff 4.5 against clients 3.0 on speed: a significant gap, highlighted.
    report = as_manager.get(url).content.decode()
    assert 'id="gap-report"' in report and "significant" in report
    page = agent.get(url)
    assert page.status_code == 200 and 'id="gap-report"' not in page.content.decode()
    agent.post(url, {"speed": "3", "politeness": "5"})
    assert SelfRating.objects.filter(rater=people["n1"]).count() == 2
    refused = agent.post(url, {"speed": "9"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert agent.post(reverse("metrics:self_assessment_rounds"), {"name": "x"}).status_code == 403
    assert agent.get(reverse("metrics:self_assessment", args=[999999])).status_code == 404


def test_api(world, manager, auditor):
    assessment, _units, people = world
    got = api_as(manager).get(f"/metrics/self-assessment/{assessment.pk}")
    assert got.status_code == 200, got.content
    speed = next(r for r in got.json()["rows"] if r["area"] == "speed" and r["team_id"] is None)
    assert speed["staff"]["mean"] == 4.5 and speed["comparison"]["difference"] == 1.5
    as_agent = api_as(people["s1"])
    assert as_agent.get(f"/metrics/self-assessment/{assessment.pk}").status_code == 403
    url = f"/metrics/self-assessment/{assessment.pk}/ratings"
    assert as_agent.post(url, {"speed": 3}).json() == {"saved": 1}
    assert error_locs(as_agent.post(url, {"speed": 9})) == [("body", "payload", "speed")]
    assert error_locs(as_agent.post(url, {"speed": True}))[0][-1] == "speed"
    assert error_locs(as_agent.post(url, {})) == [("body", "payload")]
    assert as_agent.post("/metrics/self-assessment/999999/ratings", {"speed": 3}).status_code == 404
    assert api_as(auditor).post(url, {"speed": 3}).status_code == 403


def test_roles():
    granted = roles.role_permissions()
    assert "metrics.rate_self_assessment" in granted[roles.AGENT]
    assert "metrics.manage_self_assessment" not in granted[roles.AGENT]
    assert "metrics.rate_self_assessment" not in granted[roles.AUDITOR]
