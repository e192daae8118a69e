"""The training catalogue: courses, sessions, attendance, one's record, the skills matrix, the
climate page's small-group rule, and the API's 422s."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kliento.core import roles
from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.search import search
from kliento.surveys.models import StaffAnswer, Survey
from kliento.team import selectors
from kliento.team.models import Attendance
from kliento.team.services import training
from tests.api_support import api_as
from tests.factories import UserFactory
from tests.team_support import profile

pytestmark = pytest.mark.django_db


def test_matrix_shows_courses_attended_and_competencies_they_build(manager):
    p = profile(manager)
    team = OrgUnit.objects.create(name="Front", kind="team")
    anna, bob = (
        UserFactory(first_name="Anna", role=roles.AGENT),
        UserFactory(first_name="Bob", role=roles.AGENT),
    )
    for person in (anna, bob):
        StaffProfile.objects.create(user=person, unit=team)
    care = p.competencies.get(name="Care")
    course = training.save_course(
        actor=manager, title="Empathy", kind="soft_skills", competency_ids=[care.pk]
    )
    session = training.add_session(actor=manager, course=course, starts_at=timezone.now())
    training.record_attendance(actor=manager, session=session, employee=anna, status="attended")
    training.record_attendance(actor=manager, session=session, employee=bob, status="absent")
    matrix = selectors.skills_matrix(team)
    assert [c.title for c in matrix.courses] == ["Empathy"] and matrix.competencies == ["Care"]
    assert [(r.employee, r.courses, r.competencies) for r in matrix.rows] == [
        (anna, [True], [True]),
        (bob, [False], [False]),
    ]
    # Recording again changes the row, never adds one.
    training.record_attendance(actor=manager, session=session, employee=bob, status="attended")
    assert Attendance.objects.count() == 2
    assert list(selectors.training_record(bob).values_list("status", flat=True)) == ["attended"]


def test_courses_are_found_by_everyone_candidates_only_by_hiring_roles(manager, agent):
    training.save_course(actor=manager, title="Listening well", kind="soft_skills")
    hits = search(agent, "Listening", limit=5)
    assert [g.key for g in hits.groups] == ["team.courses"]


def test_pages_for_staff_and_writes_for_training_managers(manager, agent, client):
    client.force_login(agent)
    assert client.get("/team/courses/").status_code == 200
    assert client.post("/team/courses/", {"title": "X", "kind": "product"}).status_code == 403
    assert client.get("/team/skills/").status_code == 403
    client.force_login(manager)
    bad = client.post("/team/courses/", {"title": "", "kind": "cooking"})
    assert bad.status_code == 422 and "is-invalid" in bad.content.decode()
    made = client.post(
        "/team/courses/",
        {"title": "Products", "kind": "product", "materials": "[doc](https://example.com)"},
    )
    assert made.status_code == 302
    page = client.get(made["Location"])
    assert 'href="https://example.com"' in page.content.decode()


def test_climate_hides_teams_under_five_answers(manager, client):
    survey = Survey.objects.create(
        name="Pulse", kind="enps", audience="staff", scale="0-10", code="pulse"
    )
    big = OrgUnit.objects.create(name="Big team", kind="team")
    small = OrgUnit.objects.create(name="Small team", kind="team")
    StaffAnswer.objects.bulk_create(
        [StaffAnswer(survey=survey, unit=big, score=9, period="2026-05") for _ in range(6)]
        + [StaffAnswer(survey=survey, unit=small, score=0, period="2026-05") for _ in range(2)]
    )
    client.force_login(manager)
    html = " ".join(client.get("/team/climate/").content.decode().split())
    assert "Big team" in html and "100.0" in html
    small_row = html[html.index("Small team") :][:200]
    assert "hidden (fewer than five)" in small_row and "-100" not in small_row


def test_api_courses_sessions_attendance(manager, agent):
    api = api_as(manager)
    assert api.post("/team/courses", {"title": "X", "kind": "cooking"}).status_code == 422
    assert (
        api.post(
            "/team/courses", {"title": "X", "kind": "product", "competency_ids": [999999]}
        ).status_code
        == 422
    )
    course = api.post("/team/courses", {"title": "Products", "kind": "product"})
    assert course.status_code == 201
    cid = course.json()["id"]
    assert api.post("/team/courses", {"title": "products", "kind": "process"}).status_code == 422
    assert api.post(f"/team/courses/{cid}/sessions", {"starts_at": "tomorrow"}).status_code == 422
    assert (
        api.post(
            f"/team/courses/{cid}/sessions",
            {"starts_at": "2026-06-01T10:00:00Z", "trainer_id": 999999},
        ).status_code
        == 422
    )
    session = api.post(f"/team/courses/{cid}/sessions", {"starts_at": "2026-06-01T10:00:00Z"})
    assert session.status_code == 201
    sid = session.json()["id"]
    assert (
        api.post(
            f"/team/sessions/{sid}/attendance", {"employee_id": agent.pk, "status": "asleep"}
        ).status_code
        == 422
    )
    assert (
        api.post(
            f"/team/sessions/{sid}/attendance", {"employee_id": agent.pk, "status": "attended"}
        ).status_code
        == 200
    )
    listed = api_as(agent).get(f"/team/sessions/{sid}/attendance")
    assert listed.status_code == 200 and listed.json()[0]["status"] == "attended"
    assert (
        api_as(agent)
        .post(f"/team/sessions/{sid}/attendance", {"employee_id": agent.pk, "status": "attended"})
        .status_code
        == 403
    )
