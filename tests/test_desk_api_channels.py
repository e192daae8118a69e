"""Calls from a telephony system and messages from connectors (chat, messenger, social)."""

from __future__ import annotations

import pytest

from kliento.clients.models import Client
from kliento.desk.models import Call, Case, ConnectorThread, Message
from tests.api_support import api_as, error_locs
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db

CALL = {
    "direction": "in",
    "number": "+48 601 234 567",
    "duration_seconds": 95,
    "outcome": "answered",
    "notes": "Asked about delivery",
    "started_at": "2026-01-05T10:00:00Z",
    "external_id": "pbx-1",
}


def test_a_call_from_a_new_number_creates_the_client_and_a_phone_case(agent):
    response = api_as(agent).post("/calls", CALL)
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["case_id"])
    assert case.channel == "phone" and body["case_number"] == case.number
    assert case.client.contacts.filter(kind="phone", value="+48601234567").exists()
    # The same number calls again: the same client.
    again = api_as(agent).post("/calls", {**CALL, "external_id": "pbx-2"})
    assert Case.objects.get(pk=again.json()["case_id"]).client_id == case.client_id
    assert Client.objects.count() == 1


def test_the_same_call_posted_twice_is_logged_once(agent):
    api = api_as(agent)
    first = api.post("/calls", CALL)
    second = api.post("/calls", CALL)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json() == second.json()
    assert Call.objects.count() == 1


def test_a_call_on_a_case(agent):
    case = new_case()
    response = api_as(agent).post("/calls", {**CALL, "case_id": case.pk, "number": ""})
    assert response.status_code == 201 and response.json()["case_id"] == case.pk
    assert case.calls.count() == 1


def test_a_call_on_a_hidden_case_reads_as_no_such_case(db):
    hidden = new_case(team=team("Blue"))
    red = member(team("Red"), "red")
    response = api_as(red).post("/calls", {**CALL, "case_id": hidden.pk})
    assert error_locs(response) == [("body", "payload", "case_id")]
    assert not Call.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"duration_seconds": -1}, "duration_seconds"),
        ({"duration_seconds": "60"}, "duration_seconds"),
        ({"outcome": "exploded"}, "outcome"),
        ({"direction": "sideways"}, "direction"),
        ({"number": ""}, "number"),
        ({"started_at": "yesterday"}, "started_at"),
        ({"case_id": 0}, "case_id"),
    ],
)
def test_bad_calls_are_422(agent, change, field):
    response = api_as(agent).post("/calls", {**CALL, **change})
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field


def _inbound(**over):
    return {
        "channel": "chat",
        "external_thread_id": "thread-1",
        "external_message_id": "m-1",
        "author": {"name": "Ola", "address": "ola@example.com"},
        "text": "Hi, is the shop open on Sunday?",
    } | over


def test_a_thread_opens_one_case_and_continues_it(agent):
    api = api_as(agent)
    first = api.post("/inbound-messages", _inbound())
    assert first.status_code == 201, first.content
    assert first.json()["created_case"] is True
    second = api.post("/inbound-messages", _inbound(external_message_id="m-2", text="Hello?"))
    assert second.status_code == 200
    assert second.json()["case_id"] == first.json()["case_id"]
    case = Case.objects.get()
    assert case.channel == "chat" and case.subject.startswith("Hi, is the shop open")
    assert case.client.contacts.filter(kind="email", value="ola@example.com").exists()
    assert list(case.messages.values_list("external_id", flat=True)) == ["m-1", "m-2"]


def test_the_same_message_twice_is_stored_once(agent):
    api = api_as(agent)
    first = api.post("/inbound-messages", _inbound())
    again = api.post("/inbound-messages", _inbound())
    assert again.status_code == 200
    assert again.json()["message_id"] == first.json()["message_id"]
    assert Message.objects.count() == 1


def test_a_message_after_the_case_closed_opens_a_follow_up(manager):
    api = api_as(manager)
    first = api.post("/inbound-messages", _inbound()).json()
    api.patch(f"/cases/{first['case_id']}", {"status": "closed"})
    later = api.post("/inbound-messages", _inbound(external_message_id="m-9", text="One more"))
    assert later.status_code == 201
    body = later.json()
    assert body["created_case"] is True and body["follow_up_of_id"] == first["case_id"]
    follow_up = Case.objects.get(pk=body["case_id"])
    assert follow_up.client_id == Case.objects.get(pk=first["case_id"]).client_id
    assert ConnectorThread.objects.get().case_id == follow_up.pk
    # And the thread now continues the follow-up.
    next_one = api.post("/inbound-messages", _inbound(external_message_id="m-10"))
    assert next_one.json()["case_id"] == follow_up.pk


def test_a_handle_without_an_address_still_finds_one_client(agent):
    api = api_as(agent)
    author = {"name": "Kasia", "address": "@kasia"}
    api.post("/inbound-messages", _inbound(channel="social", author=author))
    api.post(
        "/inbound-messages",
        _inbound(
            channel="social", external_thread_id="t-2", external_message_id="x", author=author
        ),
    )
    assert Client.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"channel": "email"}, "channel"),
        ({"channel": "carrier-pigeon"}, "channel"),
        ({"external_thread_id": ""}, "external_thread_id"),
        ({"text": ""}, "body"),
        ({"text": "nul\x00"}, "text"),
        ({"author": "Ola"}, "author"),
    ],
)
def test_bad_inbound_messages_are_422(agent, change, field):
    response = api_as(agent).post("/inbound-messages", _inbound(**change))
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not Case.objects.exists()


def test_auditor_cannot_post_messages_or_calls(auditor):
    api = api_as(auditor)
    assert api.post("/inbound-messages", _inbound()).status_code == 403
    assert api.post("/calls", CALL).status_code == 403
