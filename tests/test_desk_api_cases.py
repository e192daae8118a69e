"""The cases endpoints: who sees and changes which case, filters, and the 422s of bad input."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.desk.models import Case
from tests.api_support import api_as, error_locs
from tests.desk_support import member, new_case, team
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    """Two teams, an agent in each, and a case of each team."""
    red, blue = team("Red"), team("Blue")
    red_agent = member(red, "red-agent")
    blue_agent = member(blue, "blue-agent")
    red_case = new_case(subject="Red printer jam", team=red)
    blue_case = new_case(subject="Blue invoice", team=blue)
    return {
        "red": red,
        "blue": blue,
        "red_agent": red_agent,
        "blue_agent": blue_agent,
        "red_case": red_case,
        "blue_case": blue_case,
    }


def test_an_agent_lists_only_the_cases_they_may_see(teams):
    body = api_as(teams["red_agent"]).get("/cases").json()
    assert {item["id"] for item in body["items"]} == {teams["red_case"].pk}
    assert body["count"] == 1 and body["page"] == 1


def test_another_teams_case_is_a_404_on_every_endpoint(teams):
    api = api_as(teams["red_agent"])
    pk = teams["blue_case"].pk
    calls = [
        api.get(f"/cases/{pk}"),
        api.patch(f"/cases/{pk}", {"priority": "high"}),
        api.post(f"/cases/{pk}/take"),
        api.post(f"/cases/{pk}/merge", {"survivor_id": teams["red_case"].pk}),
        api.get(f"/cases/{pk}/messages"),
        api.post(f"/cases/{pk}/messages", {"text": "hello"}),
    ]
    assert [r.status_code for r in calls] == [404] * len(calls)
    # And a missing id answers exactly the same.
    assert api.get("/cases/999999").json() == calls[0].json()
    teams["blue_case"].refresh_from_db()
    assert teams["blue_case"].priority == "normal" and teams["blue_case"].assignee_id is None


def test_merging_into_a_hidden_case_reads_as_no_such_case(teams):
    api = api_as(teams["red_agent"])
    response = api.post(
        f"/cases/{teams['red_case'].pk}/merge", {"survivor_id": teams["blue_case"].pk}
    )
    assert error_locs(response) == [("body", "payload", "survivor_id")]


def test_manager_and_auditor_see_every_case(teams, manager, auditor):
    for user in (manager, auditor):
        assert api_as(user).get("/cases").json()["count"] == 2


def test_auditor_reads_but_changes_nothing(teams, auditor):
    api = api_as(auditor)
    pk = teams["red_case"].pk
    assert api.get(f"/cases/{pk}").status_code == 200
    assert api.patch(f"/cases/{pk}", {"priority": "high"}).status_code == 403
    assert api.post(f"/cases/{pk}/take").status_code == 403
    assert (
        api.post("/cases", {"subject": "x", "client_id": 1, "channel": "email"}).status_code == 403
    )
    assert Case.objects.get(pk=pk).priority == "normal"


def test_outsider_is_refused(teams, outsider):
    assert api_as(outsider).get("/cases").status_code == 403


def test_filters_and_search(manager, teams):
    api = api_as(manager)
    teams["blue_case"].priority = "urgent"
    teams["blue_case"].save()
    number = teams["red_case"].number

    def ids(**params):
        return {item["id"] for item in api.get("/cases", params).json()["items"]}

    assert ids(q="printer") == {teams["red_case"].pk}
    assert ids(q=number) == {teams["red_case"].pk}
    assert ids(q=str(teams["red_case"].pk)) == {teams["red_case"].pk}
    assert ids(priority="urgent") == {teams["blue_case"].pk}
    assert ids(team=teams["red"].pk) == {teams["red_case"].pk}
    assert ids(client=teams["blue_case"].client_id) == {teams["blue_case"].pk}
    assert ids(status="new") == {teams["red_case"].pk, teams["blue_case"].pk}
    assert ids(queue="unassigned") == {teams["red_case"].pk, teams["blue_case"].pk}
    assert ids(queue="mine") == set()
    assert ids(channel="phone") == set()
    assert error_locs(api.get("/cases", {"queue": "nope"})) == [("query", "queue")]
    assert api.get("/cases", {"status": "bogus"}).status_code == 422
    assert api.get("/cases", {"page_size": 1000}).status_code == 422
    page = api.get("/cases", {"page_size": 1, "page": 2}).json()
    assert page["count"] == 2 and len(page["items"]) == 1


def test_an_agent_opens_a_case_with_a_first_message(agent):
    client = ClientFactory()
    response = api_as(agent).post(
        "/cases",
        {
            "subject": "Broken kettle",
            "client_id": client.pk,
            "channel": "phone",
            "priority": "high",
            "tags": ["Kitchen"],
            "message": {"text": "It does not boil.", "author_name": "Anna"},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert body["number"] == case.number and body["tags"] == ["kitchen"]
    assert case.priority == "high" and case.channel == "phone"
    assert case.messages.get().body_text == "It does not boil."


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"subject": "x", "client_id": "1", "channel": "email"}, "client_id"),
        ({"subject": "x", "client_id": True, "channel": "email"}, "client_id"),
        ({"subject": "x", "client_id": 999999, "channel": "email"}, "client_id"),
        ({"subject": "x", "client_id": "{client}", "channel": "fax"}, "channel"),
        (
            {"subject": "x", "client_id": "{client}", "channel": "email", "team_id": 99999},
            "team_id",
        ),
        (
            {"subject": "x", "client_id": "{client}", "channel": "email", "priority": "asap"},
            "priority",
        ),
        ({"subject": "   ", "client_id": "{client}", "channel": "email"}, "subject"),
        ({"subject": "a\x00b", "client_id": "{client}", "channel": "email"}, "subject"),
        (
            {"subject": "x", "client_id": "{client}", "channel": "email", "assignee_id": 999999},
            "assignee_id",
        ),
    ],
)
def test_bad_input_is_a_422_at_the_field(agent, payload, loc):
    client = ClientFactory()
    payload = {k: (client.pk if v == "{client}" else v) for k, v in payload.items()}
    response = api_as(agent).post("/cases", payload)
    assert response.status_code == 422, response.content
    assert any(item["loc"][-1] == loc for item in response.json()["detail"]), response.json()
    assert not Case.objects.exists()


def test_patch_changes_fields_status_and_assignee_together(manager, agent):
    case = new_case()
    other_team = team("Other")
    response = api_as(manager).patch(
        f"/cases/{case.pk}",
        {
            "subject": "New subject",
            "priority": "urgent",
            "team_id": other_team.pk,
            "tags": ["vip"],
            "status": "waiting",
            "assignee_id": agent.pk,
        },
    )
    assert response.status_code == 200, response.content
    case.refresh_from_db()
    assert (case.subject, case.priority, case.team_id, case.status, case.assignee_id) == (
        "New subject",
        "urgent",
        other_team.pk,
        "waiting",
        agent.pk,
    )
    assert response.json()["tags"] == ["vip"]
    kinds = set(case.events.values_list("kind", flat=True))
    assert {"changed", "status", "assigned"} <= kinds


def test_a_refused_status_saves_none_of_the_patch(manager):
    case = new_case()
    api = api_as(manager)
    assert api.patch(f"/cases/{case.pk}", {"status": "closed"}).status_code == 200
    response = api.patch(f"/cases/{case.pk}", {"status": "open", "priority": "urgent"})
    assert error_locs(response) == [("body", "payload", "status")]
    case.refresh_from_db()
    assert case.status == "closed" and case.priority == "normal"


def test_patch_refuses_null_for_required_fields_and_unknown_people(manager):
    case = new_case()
    api = api_as(manager)
    assert error_locs(api.patch(f"/cases/{case.pk}", {"subject": None})) == [
        ("body", "payload", "subject")
    ]
    assert error_locs(api.patch(f"/cases/{case.pk}", {"assignee_id": 999999})) == [
        ("body", "payload", "assignee_id")
    ]
    assert api.patch(f"/cases/{case.pk}", {"status": 5}).status_code == 422


def test_assigning_nobody_unassigns(manager, agent):
    case = new_case(assignee=agent)
    response = api_as(manager).patch(f"/cases/{case.pk}", {"assignee_id": None})
    assert response.status_code == 200 and response.json()["assignee_id"] is None


def test_take_then_someone_else_gets_a_409(teams):
    pk = teams["red_case"].pk
    red = teams["red"]
    other = member(red, "red-two")
    assert api_as(teams["red_agent"]).post(f"/cases/{pk}/take").json()["assignee_id"] == (
        teams["red_agent"].pk
    )
    # Taking one's own case again is harmless.
    assert api_as(teams["red_agent"]).post(f"/cases/{pk}/take").status_code == 200
    response = api_as(other).post(f"/cases/{pk}/take")
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "taken"
    assert Case.objects.get(pk=pk).assignee_id == teams["red_agent"].pk


def test_merge_of_two_cases_of_one_client(manager):
    client = ClientFactory()
    first, second = new_case(client=client), new_case(client=client)
    response = api_as(manager).post(f"/cases/{second.pk}/merge", {"survivor_id": first.pk})
    assert response.status_code == 200 and response.json()["id"] == first.pk
    second.refresh_from_db()
    assert second.merged_into_id == first.pk and second.status == "closed"
    again = api_as(manager).post(f"/cases/{second.pk}/merge", {"survivor_id": first.pk})
    assert again.status_code == 422


def test_stage_owner_works_cases_too(db):
    owner = member(None, "owner", role=roles.STAGE_OWNER)
    case = new_case()
    assert api_as(owner).patch(f"/cases/{case.pk}", {"priority": "low"}).status_code == 200
