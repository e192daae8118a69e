"""The case page's forms: each unhappy path shows its error beside its field and writes
nothing; the happy paths go through the services (reply with status, note, fields, merge,
call, new cases)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.urls import reverse

from kliento.desk.models import Call, Case, CaseEvent, Message
from tests.desk_support import member, new_case, team
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def olena(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return member(team("Support"), "olena")


@pytest.fixture
def http(olena) -> HttpClient:
    client = HttpClient()
    client.force_login(olena)
    return client


@pytest.fixture
def case(olena):
    return new_case(team=olena.staff_profile.unit, subject="Lost parcel")


def _snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return (
        case.status,
        case.priority,
        case.assignee_id,
        case.team_id,
        case.merged_into_id,
        Message.objects.filter(case=case).count(),
        CaseEvent.objects.filter(case=case).count(),
    )


def _error_beside(html: str, field_id: str) -> bool:
    return f'id="{field_id}_error"' in html


@pytest.mark.parametrize(
    ("name", "data", "field_id"),
    [
        ("reply", {"body": "   "}, "id_body"),
        ("reply", {"body": "x" * 200_001}, "id_body"),
        ("reply", {"note-body": ""}, "id_note-body"),
        ("status", {"status": "bogus"}, "id_status"),
        ("assign", {"assignee": "999999"}, "id_assignee"),
        ("edit", {"priority": "cosmic", "kind": "question"}, "id_priority"),
        ("edit", {"priority": "high", "kind": "question", "team": "999999"}, "id_team"),
        ("edit", {"priority": "high", "kind": "question", "stage": "999999"}, "id_stage"),
        ("merge", {"into": ""}, "id_into"),
        ("merge", {"into": "C-999999"}, "id_into"),
        (
            "call",
            {"direction": "in", "outcome": "answered", "duration_minutes": "-3"},
            "id_duration_minutes",
        ),
        (
            "call",
            {"direction": "sideways", "outcome": "answered", "duration_minutes": "1"},
            "id_direction",
        ),
    ],
)
def test_a_refused_form_shows_its_error_beside_the_field_and_writes_nothing(
    http, case, name, data, field_id
):
    before = _snapshot(case)
    response = http.post(reverse(f"desk:{name}", args=[case.pk]), data)
    assert response.status_code == 400
    assert _error_beside(response.content.decode(), field_id), field_id
    assert _snapshot(case) == before


def test_a_status_the_case_cannot_take_is_refused_beside_the_field(http, case):
    from kliento.desk import services

    services.set_status(actor=None, case=case, status="closed")
    before = _snapshot(case)
    response = http.post(reverse("desk:status", args=[case.pk]), {"status": "open"})
    assert response.status_code == 400
    assert "cannot become" in response.content.decode()
    assert _snapshot(case) == before


def test_an_attachment_over_the_limit_is_refused(http, case, settings):
    settings.KLIENTO_DESK_MAX_ATTACHMENT_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.bin", b"x" * (1024 * 1024 + 1))
    before = _snapshot(case)
    response = http.post(
        reverse("desk:reply", args=[case.pk]), {"body": "Here", "attachments": [big]}
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in response.content.decode()
    assert _snapshot(case) == before


def test_reply_and_resolve_sends_and_resolves_in_one_step(http, case, olena):
    response = http.post(
        reverse("desk:reply", args=[case.pk]),
        {
            "body": "Found it",
            "after": "resolved",
            "seen": case.messages.last().pk,
            "attachments": [SimpleUploadedFile("label.txt", b"label")],
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED
    reply = case.messages.get(direction="out")
    assert reply.author == olena and reply.body_text == "Found it"
    assert reply.attachments.get().filename == "label.txt"


def test_an_internal_note_is_a_note(http, case):
    response = http.post(reverse("desk:reply", args=[case.pk]), {"note-body": "Call the courier"})
    assert response.status_code == 302
    note = case.messages.get(direction="note")
    assert note.body_text == "Call the courier"
    case.refresh_from_db()
    assert case.status == Case.Status.NEW


def test_editing_fields_goes_to_the_history(http, case):
    response = http.post(
        reverse("desk:edit", args=[case.pk]),
        {"priority": "urgent", "kind": "complaint", "tags": "courier, Late"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.priority == "urgent" and case.kind == "complaint" and case.team_id is None
    assert sorted(case.tags.values_list("name", flat=True)) == ["courier", "late"]
    assert case.events.filter(kind="changed").count() == 1


def test_merging_into_a_case_of_the_same_client(http, case):
    survivor = new_case(client=case.client, subject="Same parcel", team=case.team)
    response = http.post(reverse("desk:merge", args=[case.pk]), {"into": survivor.number})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.merged_into == survivor


def test_merging_into_another_clients_case_is_refused(http, case):
    other = new_case(subject="Someone else", team=case.team)
    response = http.post(reverse("desk:merge", args=[case.pk]), {"into": other.number})
    assert response.status_code == 400
    assert "same client" in response.content.decode()


def test_merging_into_a_case_the_agent_cannot_see_reads_not_found(http, case):
    hidden = new_case(client=case.client, subject="Hidden", team=team("Elsewhere"))
    response = http.post(reverse("desk:merge", args=[case.pk]), {"into": hidden.number})
    assert response.status_code == 400
    assert "There is no such case." in response.content.decode()
    hidden.refresh_from_db()
    assert hidden.merged_cases.count() == 0


def test_logging_a_call_on_the_case(http, case, olena):
    response = http.post(
        reverse("desk:call", args=[case.pk]),
        {"direction": "out", "outcome": "answered", "duration_minutes": "4", "notes": "Sorted"},
    )
    assert response.status_code == 302
    call = Call.objects.get(case=case)
    assert call.duration_seconds == 240 and call.agent == olena


def test_a_new_case_for_a_client(http):
    client = ClientFactory(name="Anna Nowak")
    page = http.get(reverse("desk:new_case") + f"?client={client.pk}")
    assert "Anna Nowak" in page.content.decode()
    response = http.post(
        reverse("desk:new_case"),
        {
            "client": client.pk,
            "subject": "Wants a refund",
            "channel": "phone",
            "kind": "request",
            "priority": "high",
            "body": "Called about the refund",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(subject="Wants a refund")
    assert case.client == client and case.priority == "high"
    assert case.messages.get().direction == "in"


@pytest.mark.parametrize(
    ("data", "field_id"),
    [
        (
            {
                "client": "999999",
                "subject": "S",
                "channel": "phone",
                "kind": "question",
                "priority": "normal",
            },
            "id_client",
        ),
        (
            {
                "client": "",
                "subject": "S",
                "channel": "phone",
                "kind": "question",
                "priority": "normal",
            },
            "id_client",
        ),
        (
            {
                "client": "1",
                "subject": "",
                "channel": "phone",
                "kind": "question",
                "priority": "normal",
            },
            "id_subject",
        ),
        (
            {
                "client": "1",
                "subject": "x" * 300,
                "channel": "phone",
                "kind": "question",
                "priority": "normal",
            },
            "id_subject",
        ),
        (
            {
                "client": "1",
                "subject": "S",
                "channel": "pigeon",
                "kind": "question",
                "priority": "normal",
            },
            "id_channel",
        ),
    ],
)
def test_a_new_case_form_with_bad_input_opens_nothing(http, data, field_id):
    response = http.post(reverse("desk:new_case"), data)
    assert response.status_code == 400
    assert _error_beside(response.content.decode(), field_id)
    assert not Case.objects.exists()


def test_a_new_case_from_a_call(http):
    client = ClientFactory(name="Piotr")
    response = http.post(
        reverse("desk:new_call_case"),
        {
            "client": client.pk,
            "subject": "Invoice question",
            "direction": "in",
            "outcome": "answered",
            "duration_minutes": "2",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(client=client)
    assert case.channel == "phone" and case.calls.count() == 1


def test_finding_a_client_for_a_new_case(http):
    client = ClientFactory(name="Zofia Wrona")
    found = http.get(reverse("desk:client_search"), {"q": "Wrona"}).content.decode()
    assert "Zofia Wrona" in found
    assert reverse("desk:new_case") + f"?client={client.pk}" in found
    for_call = http.get(reverse("desk:client_search"), {"q": "Wrona", "call": "1"})
    assert reverse("desk:new_call_case") in for_call.content.decode()
    assert "Zofia" not in http.get(reverse("desk:client_search"), {"q": "Z"}).content.decode()


def test_moving_a_case_to_another_team_goes_back_to_the_queues(http, case):
    elsewhere = team("Elsewhere")
    response = http.post(
        reverse("desk:edit", args=[case.pk]),
        {"priority": "normal", "kind": "question", "team": elsewhere.pk},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("desk:queue")
    assert "moved where you do not see it" in response.content.decode()
    case.refresh_from_db()
    assert case.team == elsewhere
