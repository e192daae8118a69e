"""The touchpoints API: the one owner, who may change what, bad input, impressions and trend."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.core.models import AuditEntry
from kliento.journeys.models import Journey, Stage
from kliento.touchpoints import services
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint
from tests.api_support import api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", role=roles.AGENT)


@pytest.fixture
def touchpoint(owner):
    return services.create_touchpoint(
        actor=None, name="Front desk", kind="business", category="office", owner=owner
    )


def _new(**change):
    return {"name": "Website", "kind": "business", "category": "website", **change}


def _locs(response):
    return [tuple(item["loc"]) for item in response.json()["detail"]]


def test_a_manager_adds_a_touchpoint_with_stages(manager, owner):
    journey = Journey.objects.create(name="Main")
    stage = Stage.objects.create(journey=journey, position=1, name="Trial", owner=owner)
    response = api_as(manager).post(
        "/touchpoints",
        _new(owner_id=owner.pk, stage_ids=[stage.pk], channel="web_form", regulation="**Fast**"),
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["owner"]["id"] == owner.pk
    assert [s["id"] for s in body["stages"]] == [stage.pk]
    assert body["regulation"] == "**Fast**"


def test_the_owner_is_required(manager):
    response = api_as(manager).post("/touchpoints", _new())
    assert response.status_code == 422
    assert ("body", "payload", "owner_id") in _locs(response)
    assert not Touchpoint.objects.exists()


def test_two_owners_are_refused(manager, owner):
    response = api_as(manager).post("/touchpoints", _new(owner_id=[owner.pk, manager.pk]))
    assert response.status_code == 422
    assert ("body", "payload", "owner_id") in _locs(response)
    assert not Touchpoint.objects.exists()


def test_patching_the_owner_away_is_refused(manager, touchpoint, owner):
    response = api_as(manager).patch(f"/touchpoints/{touchpoint.pk}", {"owner_id": None})
    assert response.status_code == 422
    assert _locs(response) == [("body", "payload", "owner_id")]
    touchpoint.refresh_from_db()
    assert touchpoint.owner == owner


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (_new(owner_id=999_999), "owner_id"),
        (_new(stage_ids=[999_999]), "stage_ids"),
        (_new(category="smile"), "category"),
        (_new(kind="robot"), "kind"),
        (_new(channel="pigeon"), "channel"),
        (_new(name="x" * 121), "name"),
        (_new(regulation="x" * 20_001), "regulation"),
        (_new(name="Nul\x00"), "name"),
    ],
)
def test_bad_touchpoints_are_refused_at_their_field(manager, owner, payload, field):
    payload.setdefault("owner_id", owner.pk)
    response = api_as(manager).post("/touchpoints", payload)
    assert response.status_code == 422, response.content
    # Text no database stores is refused by the API's parser, at its place in the JSON body
    # (core/api_parser.py); everything else by the schema, under the body parameter's name.
    assert {("body", "payload", field), ("body", field)} & set(_locs(response))
    assert not Touchpoint.objects.exists()


def test_a_new_owner_through_the_api_is_audited(manager, touchpoint):
    successor = UserFactory(username="successor", role=roles.STAGE_OWNER)
    response = api_as(manager).patch(
        f"/touchpoints/{touchpoint.pk}", {"owner_id": successor.pk, "kpi": "Greeting score"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["owner"]["id"] == successor.pk
    assert response.json()["kpi"] == "Greeting score"
    assert AuditEntry.objects.filter(action=services.OWNER_CHANGED).count() == 1


def test_agents_and_auditors_do_not_edit_the_registry(agent, auditor, touchpoint, owner):
    for user in (agent, auditor, owner):
        api = api_as(user)
        assert api.post("/touchpoints", _new(owner_id=owner.pk)).status_code == 403
        assert api.patch(f"/touchpoints/{touchpoint.pk}", {"name": "Mine"}).status_code == 403
    assert Touchpoint.objects.get().name == "Front desk"


def test_the_owner_writes_the_regulation_and_parameters(owner, touchpoint):
    api = api_as(owner)
    response = api.put(f"/touchpoints/{touchpoint.pk}/regulation", {"regulation": "# Rules"})
    assert response.status_code == 200
    assert response.json()["regulation"] == "# Rules"
    created = api.post(
        f"/touchpoints/{touchpoint.pk}/parameters",
        {"name": "Wait", "measurement": "Stopwatch", "target": "2 min"},
    )
    assert created.status_code == 201
    pid = created.json()["id"]
    changed = api.put(
        f"/touchpoint-parameters/{pid}", {"name": "Wait", "measurement": "Clock", "target": "1"}
    )
    assert changed.json()["measurement"] == "Clock"
    assert api.get(f"/touchpoints/{touchpoint.pk}/parameters").json()[0]["target"] == "1"
    assert api.delete(f"/touchpoint-parameters/{pid}").status_code == 204
    assert not QualityParameter.objects.exists()


def test_non_owners_cannot_write_the_regulation_or_parameters(agent, auditor, touchpoint):
    parameter = QualityParameter.objects.create(
        touchpoint=touchpoint, name="Wait", measurement="m", target="t"
    )
    for user in (agent, auditor):
        api = api_as(user)
        put = api.put(f"/touchpoints/{touchpoint.pk}/regulation", {"regulation": "mine"})
        assert put.status_code == 403
        add = api.post(
            f"/touchpoints/{touchpoint.pk}/parameters",
            {"name": "n", "measurement": "m", "target": "t"},
        )
        assert add.status_code == 403
        assert api.delete(f"/touchpoint-parameters/{parameter.pk}").status_code == 403
    assert QualityParameter.objects.count() == 1
    touchpoint.refresh_from_db()
    assert touchpoint.regulation == ""


def test_an_outsider_reads_nothing(outsider, touchpoint):
    api = api_as(outsider)
    assert api.get("/touchpoints").status_code == 403
    assert api.get(f"/touchpoints/{touchpoint.pk}").status_code == 403


def test_list_filters(auditor, owner, manager, touchpoint):
    services.create_touchpoint(
        actor=None, name="Smile", kind="employee", category="smile", owner=manager
    )
    api = api_as(auditor)

    def names(**params):
        response = api.get("/touchpoints", params)
        assert response.status_code == 200, response.content
        return [t["name"] for t in response.json()["items"]]

    assert names() == ["Front desk", "Smile"]
    assert names(kind="employee") == ["Smile"]
    assert names(owner_id=owner.pk) == ["Front desk"]
    assert names(q="smi") == ["Smile"]
    assert api.get("/touchpoints", {"kind": "robot"}).status_code == 422


def test_an_agent_records_impressions_and_an_auditor_reads_them(
    agent, auditor, touchpoint, client_card
):
    api = api_as(agent)
    response = api.post(
        f"/touchpoints/{touchpoint.pk}/impressions",
        {"client_id": client_card.pk, "sentiment": "positive", "text": "Kind welcome"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["recorded_by"]["id"] == agent.pk
    survey = {
        "client_id": client_card.pk,
        "sentiment": "negative",
        "source": "survey",
        "source_ref": "s-1",
    }
    assert api.post(f"/touchpoints/{touchpoint.pk}/impressions", survey).status_code == 201
    again = api.post(f"/touchpoints/{touchpoint.pk}/impressions", survey)
    assert again.status_code == 200  # the same survey answer: the impression already there
    assert Impression.objects.count() == 2

    reader = api_as(auditor)
    listed = reader.get(f"/touchpoints/{touchpoint.pk}/impressions").json()["items"]
    assert {i["sentiment"] for i in listed} == {"positive", "negative"}
    assert len(reader.get(f"/clients/{client_card.pk}/impressions").json()["items"]) == 2
    trend = reader.get(f"/touchpoints/{touchpoint.pk}/impressions/trend", {"period": "month"})
    body = trend.json()
    assert body["window"] == {"positive": 1, "neutral": 0, "negative": 1, "total": 2, "net": 0}
    assert len(body["periods"]) == 12
    denied = reader.post(
        f"/touchpoints/{touchpoint.pk}/impressions",
        {"client_id": client_card.pk, "sentiment": "positive"},
    )
    assert denied.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sentiment": "ecstatic"}, "sentiment"),
        ({"text": "x" * 2001}, "text"),
        ({"client_id": 999_999}, "client_id"),
        ({"client_id": "1"}, "client_id"),
        ({"source": "gossip"}, "source"),
    ],
)
def test_bad_impressions_are_refused(agent, touchpoint, client_card, change, field):
    payload = {"client_id": client_card.pk, "sentiment": "positive", **change}
    response = api_as(agent).post(f"/touchpoints/{touchpoint.pk}/impressions", payload)
    assert response.status_code == 422, response.content
    assert ("body", "payload", field) in _locs(response)
    assert not Impression.objects.exists()


def test_an_unknown_touchpoint_is_a_404(agent, client_card):
    api = api_as(agent)
    assert api.get("/touchpoints/999999").status_code == 404
    response = api.post(
        "/touchpoints/999999/impressions", {"client_id": client_card.pk, "sentiment": "positive"}
    )
    assert response.status_code == 404


def test_a_stage_owner_records_an_impression(touchpoint, client_card):
    stage_owner = UserFactory(username="stage-owner", role=roles.STAGE_OWNER)
    response = api_as(stage_owner).post(
        f"/touchpoints/{touchpoint.pk}/impressions",
        {"client_id": client_card.pk, "sentiment": "neutral", "source": "review"},
    )
    assert response.status_code == 201, response.content
    assert Impression.objects.get().source == "review"
