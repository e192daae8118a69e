"""Who sees which quality evaluation, on the pages and in the API: an agent only the completed
evaluations of their own work; a manager their team's; quality staff all, but never another
reviewer's calibration scores while the session is blind."""

from __future__ import annotations

import pytest
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.quality import selectors
from kliento.quality.services import Answer, calibration, evaluations
from tests.api_support import api_as
from tests.desk_support import member, team
from tests.quality_reviews_support import case_checklist, people, resolved_case
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    p = people()  # olena, jakub and marta (manager) in Front; ewa and anna auditors
    elsewhere = team("Elsewhere")
    p["zofia"] = member(elsewhere, "zofia")
    p["boss"] = member(elsewhere, "boss", "manager")
    _made, version = checklist(by=p["ewa"])
    p["olena_audit"] = evaluate(
        by=p["ewa"], version=version, outcomes=["pass", "pass", "pass"], employee_id=p["olena"].pk
    )
    p["olena_shop"] = evaluate(
        by=p["ewa"],
        version=version,
        outcomes=["pass", "fail", "na"],
        kind="mystery_shop",
        employee_id=p["olena"].pk,
    )
    # A draft in progress about olena: only its author sees it.
    p["olena_draft"] = evaluations.start_evaluation(
        actor=p["ewa"], version=version, kind="audit", employee_id=p["olena"].pk
    )
    p["jakub_audit"] = evaluate(
        by=p["ewa"], version=version, outcomes=["pass", "pass", "na"], employee_id=p["jakub"].pk
    )
    p["zofia_audit"] = evaluate(
        by=p["anna"], version=version, outcomes=["fail", "pass", "na"], employee_id=p["zofia"].pk
    )
    _c, case_version = case_checklist(p["ewa"])
    case = resolved_case(p["olena"])
    session = calibration.create_session(
        actor=p["ewa"],
        title="Blind",
        case_id=case.pk,
        version=case_version,
        reviewer_ids=[p["ewa"].pk, p["anna"].pk],
    )
    items = list(case_version.items.all())
    calibration.submit_score(
        actor=p["anna"],
        session=session,
        answers=[Answer(i.pk, "pass") for i in items],
    )
    p["session"] = session
    p["anna_scoring"] = session.seats.get(reviewer=p["anna"]).evaluation
    return p


def _ids(user) -> set[int]:
    return set(selectors.visible_evaluations(user).values_list("pk", flat=True))


def _page(user, evaluation) -> int:
    http = HttpClient()
    http.force_login(user)
    return http.get(reverse("quality:evaluation", args=[evaluation.pk])).status_code


def _api(user, evaluation) -> int:
    return api_as(user).get(f"/quality/evaluations/{evaluation.pk}").status_code


def _api_list(user) -> set[int]:
    response = api_as(user).get("/quality/evaluations", {"limit": 100})
    assert response.status_code == 200, response.content
    body = response.json()
    rows = body["items"] if isinstance(body, dict) else body
    return {row["id"] for row in rows}


def test_an_agent_sees_only_the_completed_evaluations_of_their_own_work(world):
    olena = world["olena"]
    mine = {world["olena_audit"].pk, world["olena_shop"].pk}
    assert _ids(olena) == mine
    assert _api_list(olena) == mine
    for hidden in ("olena_draft", "jakub_audit", "zofia_audit", "anna_scoring"):
        assert _page(olena, world[hidden]) == 404, hidden
        assert _api(olena, world[hidden]) == 404, hidden
    assert _page(olena, world["olena_audit"]) == 200
    assert _api(olena, world["olena_audit"]) == 200
    # The evaluation list page names neither a colleague's nor the draft.
    http = HttpClient()
    http.force_login(olena)
    page = http.get(reverse("quality:evaluations")).content.decode()
    for hidden in ("olena_draft", "jakub_audit", "zofia_audit"):
        assert reverse("quality:evaluation", args=[world[hidden].pk]) not in page, hidden
    # Nor the calibration of their case: it rates the reviewers, blind while it runs.
    assert api_as(olena).get(f"/quality/calibrations/{world['session'].pk}").status_code in (
        403,
        404,
    )


def test_an_outsider_sees_nothing_of_others(world):
    zofia = world["zofia"]
    assert _ids(zofia) == {world["zofia_audit"].pk}
    for hidden in ("olena_audit", "olena_shop", "jakub_audit", "olena_draft"):
        assert _page(zofia, world[hidden]) == 404, hidden
        assert _api(zofia, world[hidden]) == 404, hidden


def test_a_manager_sees_their_teams_completed_evaluations_only(world):
    marta, boss = world["marta"], world["boss"]
    team_done = {world["olena_audit"].pk, world["olena_shop"].pk, world["jakub_audit"].pk}
    assert _ids(marta) == team_done
    assert _api_list(marta) == team_done
    assert _page(marta, world["jakub_audit"]) == 200
    for hidden in ("zofia_audit", "olena_draft", "anna_scoring"):
        assert _page(marta, world[hidden]) == 404, hidden
        assert _api(marta, world[hidden]) == 404, hidden
    assert _ids(boss) == {world["zofia_audit"].pk}
    assert _api(boss, world["olena_audit"]) == 404


def test_quality_staff_see_all_but_not_anothers_blind_calibration_scores(world):
    ewa, anna = world["ewa"], world["anna"]
    everything = {
        world[k].pk
        for k in ("olena_audit", "olena_shop", "olena_draft", "jakub_audit", "zofia_audit")
    }
    assert everything <= _ids(ewa)
    # ewa has not scored yet: anna's scoring stays hidden from her, by page and by API.
    assert world["anna_scoring"].pk not in _ids(ewa)
    assert _page(ewa, world["anna_scoring"]) == 404
    assert _api(ewa, world["anna_scoring"]) == 404
    assert world["anna_scoring"].pk in _ids(anna)  # one's own scoring
    items = list(world["anna_scoring"].version.items.all())
    calibration.submit_score(
        actor=ewa, session=world["session"], answers=[Answer(i.pk, "fail") for i in items]
    )
    ewas = world["session"].seats.get(reviewer=ewa).evaluation
    # Still open: anna does not see ewa's scoring through the evaluation pages either.
    assert _page(anna, ewas) == 404
    calibration.close_session(actor=ewa, session=world["session"])
    assert _page(ewa, world["anna_scoring"]) == 200
    assert _api(anna, ewas) == 200
    # The agent whose case it was still sees none of it: it rates the reviewers.
    assert _page(world["olena"], ewas) == 404
