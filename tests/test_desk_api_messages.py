"""A case's conversation through the API: replies, notes, client messages, files."""

from __future__ import annotations

import base64

import pytest
from django.test import Client as HttpClient

from kliento.core.tokens import issue_token
from kliento.desk.models import Attachment, Message
from tests.api_support import BASE, api_as, error_locs
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_reply_with_a_base64_file(agent):
    case = new_case()
    response = api_as(agent).post(
        f"/cases/{case.pk}/messages",
        {
            "text": "Here is the label.",
            "attachments": [
                {
                    "filename": "label.txt",
                    "content_type": "text/plain",
                    "content_base64": base64.b64encode(b"RETURN-42").decode(),
                }
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["direction"] == "out" and body["author_id"] == agent.pk
    assert body["attachments"][0]["filename"] == "label.txt"
    assert body["attachments"][0]["size"] == 9
    stored = Attachment.objects.get()
    assert stored.file.read() == b"RETURN-42"
    case.refresh_from_db()
    assert case.status == "open" and case.first_response_at is not None


def test_notes_and_client_messages_and_the_list(agent):
    case = new_case()
    api = api_as(agent)
    assert (
        api.post(f"/cases/{case.pk}/messages", {"direction": "note", "text": "VIP"}).status_code
        == 201
    )
    assert (
        api.post(f"/cases/{case.pk}/messages", {"direction": "in", "text": "Any news?"}).status_code
        == 201
    )
    listed = api.get(f"/cases/{case.pk}/messages").json()
    assert [m["direction"] for m in listed["items"]] == ["in", "note", "in"]
    assert listed["count"] == 3


def test_html_is_sanitised(agent):
    case = new_case()
    response = api_as(agent).post(
        f"/cases/{case.pk}/messages",
        {"text": "x", "html": '<p onclick="steal()">Hi<script>alert(1)</script></p>'},
    )
    assert response.json()["html"] == "<p>Hi</p>"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "body"),
        ({"text": 5}, "text"),
        ({"direction": "sideways", "text": "x"}, "direction"),
        ({"text": "a\x00"}, "text"),
        ({"text": "x", "attachments": [{"filename": "a", "content_base64": "%%%"}]}, "attachments"),
    ],
)
def test_bad_messages_are_422(agent, payload, field):
    case = new_case()
    response = api_as(agent).post(f"/cases/{case.pk}/messages", payload)
    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["loc"][-1] == field
    assert Message.objects.filter(case=case).count() == 1


def test_multipart_upload(agent):
    case = new_case()
    _token, raw = issue_token(actor=agent, user=agent, name="t")
    http = HttpClient()
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = http.post(
        f"{BASE}/cases/{case.pk}/messages/upload",
        {
            "direction": "out",
            "text": "Invoice attached",
            "files": [SimpleUploadedFile("invoice.pdf", b"%PDF-1.4", "application/pdf")],
        },
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["attachments"][0]["filename"] == "invoice.pdf"


def test_a_message_on_a_merged_case_is_refused(manager):
    first = new_case()
    second = new_case(client=first.client)
    api = api_as(manager)
    api.post(f"/cases/{second.pk}/merge", {"survivor_id": first.pk})
    response = api.post(f"/cases/{second.pk}/messages", {"text": "late"})
    assert error_locs(response) == [("body", "payload")]


def test_auditor_reads_the_conversation_and_writes_nothing(auditor):
    case = new_case()
    api = api_as(auditor)
    assert api.get(f"/cases/{case.pk}/messages").status_code == 200
    assert api.post(f"/cases/{case.pk}/messages", {"text": "x"}).status_code == 403


def test_an_agent_of_another_team_gets_404(db):
    case = new_case(team=team("Blue"))
    red_agent = member(team("Red"), "red")
    assert api_as(red_agent).get(f"/cases/{case.pk}/messages").status_code == 404
