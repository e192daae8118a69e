"""The journeys API: single owner, moves that follow the journey, figures, permissions."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.journeys import services
from kliento.journeys.models import Journey, MoveRule, Stage, StageMove
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, UserFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db


def test_create_a_journey_with_one_owner_per_stage(manager):
    owner = UserFactory(role=roles.STAGE_OWNER)
    api = api_as(manager)
    body = {
        "name": "B2B",
        "stages": [
            {"name": "Lead", "owner_id": owner.pk, "rules": "**Call** first", "target_days": 7},
            {"name": "Deal", "owner_id": owner.pk},
            {"name": "Lost", "owner_id": owner.pk, "is_exit": True},
        ],
    }
    response = api.post("/journeys", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert [s["name"] for s in data["stages"]] == ["Lead", "Deal", "Lost"]
    assert data["stages"][0]["owner_id"] == owner.pk


@pytest.mark.parametrize(
    "owner", [{}, {"owner_ids": []}, {"owner_ids": "two"}, {"owner_id": 999_999}]
)
def test_a_stage_without_exactly_one_owner_is_a_422(manager, owner):
    journey, _stages = make_journey()
    other = UserFactory(role=roles.AGENT)
    if owner.get("owner_ids") == "two":
        owner = {"owner_ids": [manager.pk, other.pk]}
    response = api_as(manager).post(f"/journeys/{journey.pk}/stages", {"name": "New", **owner})
    assert ("body", "payload", "owner") in error_locs(response)
    assert not Stage.objects.filter(name="New").exists()


def test_patch_changes_the_owner_and_refuses_two(manager):
    _journey, stages = make_journey()
    new_owner = UserFactory(role=roles.STAGE_OWNER)
    api = api_as(manager)
    url = f"/stages/{stages['Purchase'].pk}"
    assert api.patch(url, {"owner_id": new_owner.pk}).json()["owner_id"] == new_owner.pk
    response = api.patch(url, {"owner_ids": [manager.pk, new_owner.pk]})
    assert ("body", "payload", "owner") in error_locs(response)
    assert api.patch(url, {"target_days": 5}).json()["owner_id"] == new_owner.pk


def test_empty_and_cyclic_journeys_are_422(manager):
    api = api_as(manager)
    assert ("body", "payload", "stages") in error_locs(
        api.post("/journeys", {"name": "E", "stages": []})
    )
    stage = {"name": "A", "owner_id": manager.pk}
    response = api.post("/journeys", {"name": "C", "stages": [stage, stage]})
    assert response.json()["detail"][0]["type"] == "cyclic"
    assert not Journey.objects.exists()


def test_moves_through_the_api(manager):
    journey, stages = make_journey()
    _other, other_stages = make_journey("B2B")
    client = ClientFactory()
    api = api_as(manager)
    url = f"/clients/{client.pk}/journey-moves"
    assert api.post(url, {"to_stage_id": stages["Awareness"].pk}).status_code == 201
    # Not the next stage, without force; with force but no reason; another journey; unknown.
    assert ("body", "payload", "to_stage_id") in error_locs(
        api.post(url, {"to_stage_id": stages["Repeat"].pk})
    )
    assert ("body", "payload", "reason") in error_locs(
        api.post(url, {"to_stage_id": stages["Repeat"].pk, "force": True})
    )
    assert ("body", "payload", "to_stage_id") in error_locs(
        api.post(url, {"to_stage_id": other_stages["Purchase"].pk, "journey_id": journey.pk})
    )
    assert ("body", "payload", "to_stage_id") in error_locs(api.post(url, {"to_stage_id": 999_999}))
    assert api.post(url, {"to_stage_id": "x"}).status_code == 422
    forced = api.post(url, {"to_stage_id": stages["Repeat"].pk, "force": True, "reason": "VIP"})
    assert forced.status_code == 201 and forced.json()["forced"] is True
    history = api.get(url).json()["items"]
    assert [m["to_stage_id"] for m in history] == [stages["Repeat"].pk, stages["Awareness"].pk]
    assert (
        api.post(
            "/clients/999999/journey-moves", {"to_stage_id": stages["Awareness"].pk}
        ).status_code
        == 404
    )


def test_who_may_do_what_in_the_api(manager, agent, auditor, outsider):
    journey, stages = make_journey()
    mine, theirs = ClientFactory(account_manager=agent), ClientFactory()
    for client in (mine, theirs):
        services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])

    def move(user, client):
        return (
            api_as(user)
            .post(f"/clients/{client.pk}/journey-moves", {"to_stage_id": stages["Purchase"].pk})
            .status_code
        )

    assert move(agent, theirs) == 403
    assert move(auditor, mine) == 403
    assert move(outsider, mine) == 403
    assert move(agent, mine) == 201
    owner = Stage.objects.get(pk=stages["Awareness"].pk).owner
    assert move(owner, theirs) == 201
    assert api_as(auditor).get(f"/journeys/{journey.pk}/stats").status_code == 200
    assert api_as(outsider).get(f"/journeys/{journey.pk}/stats").status_code == 403
    rule = {
        "name": "R",
        "condition": "purchases",
        "from_stage_ids": [stages["Awareness"].pk],
        "to_stage_id": stages["Purchase"].pk,
    }
    assert api_as(agent).post(f"/journeys/{journey.pk}/rules", rule).status_code == 403
    assert api_as(auditor).post("/journeys", {"name": "X", "stages": []}).status_code == 403
    assert api_as(manager).post(f"/journeys/{journey.pk}/rules", rule).status_code == 201
    assert MoveRule.objects.count() == 1
    assert StageMove.objects.count() == 4


def test_stats_and_rules_errors(manager):
    journey, stages = make_journey(targets={"Awareness": 10})
    client = ClientFactory()
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    data = api_as(manager).get(f"/journeys/{journey.pk}/stats", {"days": 30}).json()
    aware = data["stages"][0]
    assert (aware["name"], aware["count"], aware["over_target"]) == ("Awareness", 1, 0)
    assert data["conversion"][0]["entered"] == 1
    bad = {
        "name": "R",
        "condition": "purchases",
        "from_stage_ids": [stages["Purchase"].pk],
        "to_stage_id": stages["Purchase"].pk,
    }
    locs = error_locs(api_as(manager).post(f"/journeys/{journey.pk}/rules", bad))
    assert ("body", "payload", "from_stage_ids") in locs
    assert api_as(manager).get("/journeys/999999/stats").status_code == 404
