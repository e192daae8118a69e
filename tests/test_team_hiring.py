"""Hiring: the pipeline, scoring by several interviewers, the attitude-first ranking, erasure of
rejected candidates after the retention period, and that only hiring roles see candidates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kliento.core import roles
from kliento.core.models import AuditEntry
from kliento.core.search import search
from kliento.team import selectors
from kliento.team.models import Candidate, CandidateScore
from kliento.team.services import hiring
from tests.api_support import api_as
from tests.factories import UserFactory
from tests.team_support import profile

pytestmark = pytest.mark.django_db


def _score(candidate, interviewer, scores: dict[str, int]) -> None:
    by_name = {c.name: c for c in candidate.profile.competencies.all()}
    for name, value in scores.items():
        hiring.score_candidate(
            interviewer=interviewer, candidate=candidate, competency=by_name[name], score=value
        )


def test_ranking_puts_attitude_first_and_averages_interviewers(manager):
    p = profile(manager)
    second = UserFactory(role=roles.MANAGER)
    skilled = hiring.create_candidate(actor=manager, profile=p, name="Skilled, cold")
    kind = hiring.create_candidate(actor=manager, profile=p, name="Kind, learning")
    unscored = hiring.create_candidate(actor=manager, profile=p, name="Not yet seen")
    # Perfect skills, attitude 2.5 on average: below the bar of 3.
    _score(skilled, manager, {"Care": 2, "Honesty": 3, "Writing": 5, "Product": 5, "Languages": 5})
    _score(skilled, second, {"Care": 3, "Honesty": 2})
    # Attitude 4.5 (two interviewers disagree: 4 and 5), weaker skills.
    _score(kind, manager, {"Care": 4, "Honesty": 5, "Writing": 3, "Product": 2})
    _score(kind, second, {"Care": 5, "Honesty": 4})

    ranked = selectors.ranking_for(p, [skilled, unscored, kind])

    assert [r.candidate for r in ranked] == [kind, skilled, unscored]
    first = ranked[0]
    assert first.attitude == 4.5 and first.passes_attitude
    # (4.5·3 + 4.5·3 + 3·2 + 2·1) / (3 + 3 + 2 + 1) = 35 / 9
    assert first.weighted == round(35 / 9, 2)
    assert (first.scored, first.total) == (4, 5)
    assert not ranked[1].passes_attitude and ranked[1].attitude == 2.5
    assert ranked[2].weighted is None and ranked[2].rank == 3


def test_a_second_score_by_the_same_interviewer_replaces_the_first(manager):
    p = profile(manager)
    c = hiring.create_candidate(actor=manager, profile=p, name="Ann")
    _score(c, manager, {"Care": 2})
    _score(c, manager, {"Care": 5})
    assert list(CandidateScore.objects.values_list("score", flat=True)) == [5]


def test_scores_out_of_range_or_of_another_profile_are_refused(manager):
    p = profile(manager)
    other = profile(manager, role="manager")
    c = hiring.create_candidate(actor=manager, profile=p, name="Ann")
    with pytest.raises(ValidationError) as exc:
        hiring.score_candidate(
            interviewer=manager, candidate=c, competency=other.competencies.first(), score=6
        )
    assert set(exc.value.message_dict) == {"competency_id", "score"}
    assert not CandidateScore.objects.exists()


def test_the_pipeline_follows_its_table(manager):
    c = hiring.create_candidate(actor=manager, profile=profile(manager), name="Ann")
    with pytest.raises(ValidationError):
        hiring.move_candidate(actor=manager, candidate=c, to="hired")
    for stage in ("interview", "test_task", "offer", "hired"):
        c = hiring.move_candidate(actor=manager, candidate=c, to=stage)
    assert c.stage == "hired"
    with pytest.raises(ValidationError):
        hiring.move_candidate(actor=manager, candidate=c, to="rejected")


def test_rejected_candidates_are_erased_after_the_retention_period_once(manager, settings):
    settings.KLIENTO_CANDIDATE_RETENTION_DAYS = 30
    p = profile(manager)
    old = hiring.create_candidate(
        actor=manager, profile=p, name="Olga Old", email="olga@example.com", notes="Met at a fair"
    )
    recent = hiring.create_candidate(actor=manager, profile=p, name="Rita Recent")
    hired = hiring.create_candidate(actor=manager, profile=p, name="Hanna Hired")
    _score(old, manager, {"Care": 4})
    CandidateScore.objects.update(note="Talked about her family")
    for c in (old, recent):
        hiring.move_candidate(actor=manager, candidate=c, to="rejected")
    Candidate.objects.filter(pk=old.pk).update(rejected_at=timezone.now() - dt.timedelta(days=31))
    Candidate.objects.filter(pk=hired.pk).update(created_at=timezone.now() - dt.timedelta(days=400))

    assert hiring.erase_expired_candidates() == 1
    assert hiring.erase_expired_candidates() == 0  # a second run finds nothing to do

    old.refresh_from_db()
    assert old.erased_at and (old.name, old.email, old.phone, old.notes) == ("", "", "", "")
    score = CandidateScore.objects.get(candidate=old)
    assert score.score == 4 and score.note == ""
    entries = AuditEntry.objects.filter(action=hiring.CANDIDATE_ERASED)
    assert entries.count() == 1
    entry = entries.get()
    assert entry.target_id == str(old.pk) and "Olga" not in entry.target_repr
    assert entry.changes["retention_days"] == 30
    assert Candidate.objects.get(pk=recent.pk).name == "Rita Recent"
    assert Candidate.objects.get(pk=hired.pk).name == "Hanna Hired"


@pytest.mark.parametrize("role", [roles.AGENT, roles.AUDITOR, roles.STAGE_OWNER, None])
def test_candidates_are_only_for_hiring_roles(manager, role, client):
    c = hiring.create_candidate(actor=manager, profile=profile(manager), name="Zofia Secret")
    person = UserFactory(role=role)
    client.force_login(person)
    assert client.get(f"/team/candidates/{c.pk}/").status_code == 403
    assert client.get("/team/candidates/").status_code == 403
    assert selectors.candidates_for(person).count() == 0
    hits = search(person, "Zofia", limit=5)
    assert all(h.title != "Zofia Secret" for g in hits.groups for h in g.hits)
    if role:
        assert api_as(person).get(f"/team/candidates/{c.pk}").status_code == 403


def test_hiring_roles_see_candidates_and_find_them(manager, client):
    c = hiring.create_candidate(actor=manager, profile=profile(manager), name="Zofia Secret")
    client.force_login(manager)
    page = client.get("/team/candidates/")
    assert page.status_code == 200 and "Zofia Secret" in page.content.decode()
    assert client.get(f"/team/candidates/{c.pk}/").status_code == 200
    assert client.get("/team/candidates/999999/").status_code == 404
    hits = search(manager, "Zofia", limit=5)
    assert any(h.title == "Zofia Secret" for g in hits.groups for h in g.hits)


def test_scoring_through_the_page_shows_errors_beside_the_form(manager, client):
    c = hiring.create_candidate(actor=manager, profile=profile(manager), name="Ann")
    care = c.profile.competencies.get(name="Care")
    client.force_login(manager)
    bad = client.post(f"/team/candidates/{c.pk}/score/", {"competency": care.pk, "score": 9})
    assert bad.status_code == 422 and not CandidateScore.objects.exists()
    ok = client.post(f"/team/candidates/{c.pk}/score/", {"competency": care.pk, "score": 4})
    assert ok.status_code == 302 and CandidateScore.objects.get().score == 4


def test_api_422s_and_nothing_half_written(manager):
    api = api_as(manager)
    p = profile(manager)
    assert api.post("/team/candidates", {"profile_id": p.pk, "name": ""}).status_code == 422
    missing = api.post("/team/candidates", {"profile_id": 999999, "name": "Ann"})
    assert missing.status_code == 422 and missing.json()["detail"][0]["loc"][-1] == "profile_id"
    made = api.post("/team/candidates", {"profile_id": p.pk, "name": "Ann", "email": "a@b.c"})
    assert made.status_code == 201
    cid = made.json()["id"]
    assert api.post(f"/team/candidates/{cid}/move", {"stage": "hired"}).status_code == 422
    assert (
        api.post(f"/team/candidates/{cid}/scores", {"competency_id": 1, "score": "5"}).status_code
        == 422
    )
    other = profile(manager, role="manager").competencies.first()
    wrong = api.post(f"/team/candidates/{cid}/scores", {"competency_id": other.pk, "score": 3})
    assert wrong.status_code == 422
    assert Candidate.objects.count() == 1 and not CandidateScore.objects.exists()
    ranking = api.get(f"/team/profiles/{p.pk}/ranking")
    assert ranking.status_code == 200 and ranking.json()[0]["candidate_id"] == cid
    assert api.post("/team/profiles", {"role": "pilot"}).status_code == 422
    bad_group = api.post(
        f"/team/profiles/{p.pk}/competencies",
        {"name": "X", "group": "maybe", "assessed_by": "interview"},
    )
    assert bad_group.status_code == 422
