"""Cases: opening, the conversation, status rules, editing, merging, history and timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kliento.clients.models import TimelineEntry
from kliento.desk import services
from kliento.desk.models import Case, CaseEvent, Message
from tests.desk_support import new_case, team
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def test_a_new_case_gets_a_number_history_and_timeline_entry(agent):
    case = new_case(actor=agent)
    assert case.number == f"C-{case.pk:06d}"
    assert case.status == Case.Status.NEW
    assert list(case.events.values_list("kind", flat=True)) == ["opened", "message"]
    kinds = set(TimelineEntry.objects.filter(client=case.client).values_list("kind", flat=True))
    assert {"case_opened", "case_message"} <= kinds
    assert case.last_inbound_at is not None and case.first_response_at is None


def test_the_first_reply_opens_the_case_and_sets_first_response(agent):
    case = new_case()
    services.add_message(
        actor=agent,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.OUTBOUND, body_text="On its way"),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.first_response_at is not None
    reply = case.messages.get(direction="out")
    assert reply.author == agent and reply.delivery == Message.Delivery.PENDING


@pytest.mark.parametrize("status", [Case.Status.WAITING, Case.Status.ON_HOLD, Case.Status.RESOLVED])
def test_a_client_reply_reopens_a_waiting_held_or_resolved_case(agent, status):
    case = new_case()
    services.set_status(actor=agent, case=case, status=status)
    services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.INBOUND, body_text="Still broken"),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.resolved_at is None
    assert case.reopened_count == (1 if status == Case.Status.RESOLVED else 0)


def test_an_auto_reply_does_not_reopen_a_resolved_case(agent):
    case = new_case()
    services.set_status(actor=agent, case=case, status=Case.Status.RESOLVED)
    services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(
            direction=Message.Direction.INBOUND, body_text="I am out of office", automated=True
        ),
    )
    case.refresh_from_db()
    assert case.status == Case.Status.RESOLVED


def test_an_internal_note_stays_off_the_client_timeline(agent):
    case = new_case()
    before = TimelineEntry.objects.filter(client=case.client).count()
    services.add_message(
        actor=agent,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.NOTE, body_text="VIP, be quick"),
    )
    assert TimelineEntry.objects.filter(client=case.client).count() == before


def test_the_same_message_delivered_twice_is_written_once():
    case = new_case()
    draft = services.MessageDraft(
        direction=Message.Direction.INBOUND, body_text="Again", external_id="<a@b>"
    )
    first = services.add_message(actor=None, case=case, draft=draft)
    second = services.add_message(actor=None, case=case, draft=draft)
    assert first.pk == second.pk
    assert case.messages.filter(external_id="<a@b>").count() == 1


def test_an_empty_message_is_refused_and_nothing_is_written(agent):
    case = new_case()
    count = Message.objects.count()
    with pytest.raises(ValidationError) as error:
        services.add_message(
            actor=agent,
            case=case,
            draft=services.MessageDraft(direction=Message.Direction.OUTBOUND, body_text="  "),
        )
    assert "body" in error.value.message_dict
    assert Message.objects.count() == count


def test_a_closed_case_cannot_be_reopened_by_status(agent):
    case = new_case()
    services.set_status(actor=agent, case=case, status=Case.Status.CLOSED)
    with pytest.raises(ValidationError) as error:
        services.set_status(actor=agent, case=case, status=Case.Status.OPEN)
    assert "status" in error.value.message_dict


def test_opening_refuses_bad_fields_at_once():
    with pytest.raises(ValidationError) as error:
        services.open_case(
            actor=None,
            draft=services.CaseDraft(
                subject="\t\n",
                client=ClientFactory(),
                channel="pigeon",
                priority="max",
                stage_id=999_999,
            ),
        )
    assert set(error.value.message_dict) == {"subject", "channel", "priority", "stage_id"}
    assert not Case.objects.exists()


def test_update_records_each_change_and_tags(agent):
    case = new_case()
    support = team()
    services.update_case(
        actor=agent,
        case=case,
        changes={"priority": "high", "team": support.pk},
        tags=["Delivery", "delivery", " late "],
    )
    case.refresh_from_db()
    assert case.priority == "high" and case.team == support
    assert sorted(case.tags.values_list("name", flat=True)) == ["delivery", "late"]
    event = case.events.filter(kind=CaseEvent.Kind.CHANGED).get()
    assert event.data["priority"] == ["normal", "high"]
    assert event.data["team"] == [None, support.pk]


def test_update_refuses_fields_with_their_own_service(agent):
    case = new_case()
    with pytest.raises(ValidationError) as error:
        services.update_case(actor=agent, case=case, changes={"status": "closed"})
    assert "status" in error.value.message_dict


def test_merging_moves_messages_and_history_and_points_to_the_survivor(agent):
    client = ClientFactory()
    survivor = new_case(client=client, subject="Order late")
    duplicate = new_case(client=client, subject="Order late (again)")
    services.merge_cases(actor=agent, duplicate=duplicate, survivor=survivor)
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor and duplicate.status == Case.Status.CLOSED
    assert survivor.messages.count() == 2
    assert not duplicate.messages.exists()
    assert survivor.events.filter(kind=CaseEvent.Kind.MERGED).exists()
    with pytest.raises(ValidationError):
        services.add_message(
            actor=None,
            case=duplicate,
            draft=services.MessageDraft(direction=Message.Direction.INBOUND, body_text="x"),
        )


def test_cases_of_different_clients_are_not_merged(agent):
    with pytest.raises(ValidationError):
        services.merge_cases(actor=agent, duplicate=new_case(), survivor=new_case())
