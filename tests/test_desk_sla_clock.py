"""The SLA clock kept by the case hook: due times in business hours, pauses, next response,
priority and channel changes, resolving and reopening, merges, the case's SLA state."""

from __future__ import annotations

import datetime as dt

import pytest

from kliento.core.channels import Channel
from kliento.desk import hooks, selectors, services
from kliento.desk.models import Case
from kliento.desk.sla import registrations as sla_registrations
from tests.desk_sla_support import (
    fresh,
    frozen_clock,
    office,
    policy,
    reply,
    status,
    utc,
    warsaw,
    write,
)
from tests.desk_support import new_case
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def standard(db):
    return policy(office())


def test_the_clock_runs_before_other_hooks():
    order = {key: position for position, key, _hook in hooks._hooks}
    assert order["desk.sla_clock"] < order["desk.escalation"] < 100
    assert sla_registrations.CLOCK_ORDER < 100


def test_opening_sets_due_times_in_business_hours(clock, standard):
    clock.at(warsaw(2026, 3, 2, 17, 30))  # Monday, half an hour before closing (CET)
    case = fresh(new_case())
    assert case.sla_policy == standard
    # First response: 30 minutes on Monday, 30 on Tuesday.
    assert case.first_response_due_at == utc(2026, 3, 3, 8, 30)
    # Resolution, 540 minutes: 30 on Monday, the rest on Tuesday until 17:30.
    assert case.resolution_due_at == utc(2026, 3, 3, 16, 30)
    assert case.next_response_due_at is None
    assert case.sla_next_due_at == case.first_response_due_at
    assert case.sla_clock.check_at == warsaw(2026, 3, 3, 9, 18)  # 80 % of an hour


def test_first_reply_meets_the_first_response(clock, standard):
    clock.at(warsaw(2026, 3, 2, 17, 30))
    case = new_case()
    clock.at(warsaw(2026, 3, 3, 9, 0))
    case = reply(case)
    assert case.first_response_at == clock.now
    assert case.first_response_due_at == utc(2026, 3, 3, 8, 30)
    assert case.sla_next_due_at == case.resolution_due_at
    first = selectors.sla_state(case)[0]
    assert (first.target, first.met, first.breached, first.remaining) == (
        "first_response",
        True,
        False,
        None,
    )


def test_a_client_message_after_the_reply_starts_the_next_response(clock, standard):
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = reply(new_case())
    clock.at(warsaw(2026, 3, 2, 16, 30))
    case = write(case)
    # 120 minutes: 90 on Monday, 30 on Tuesday morning.
    assert case.next_response_due_at == warsaw(2026, 3, 3, 9, 30)
    clock.at(warsaw(2026, 3, 2, 17, 0))
    case = write(case)  # a second message waits with the first
    assert case.next_response_due_at == warsaw(2026, 3, 3, 9, 30)
    assert case.sla_next_due_at == warsaw(2026, 3, 3, 9, 30)
    clock.at(warsaw(2026, 3, 3, 9, 10))
    case = reply(case)
    assert case.next_response_due_at is None
    assert case.sla_next_due_at == case.resolution_due_at


def test_notes_and_automated_messages_start_nothing(clock, standard):
    case = reply(new_case())
    case = write(case, "note")
    case = write(case, automated=True)
    assert case.next_response_due_at is None


def test_waiting_on_the_client_pauses_and_shifts_due_times(clock, standard):
    clock.at(warsaw(2026, 3, 2, 17, 30))
    case = new_case()
    clock.at(warsaw(2026, 3, 3, 9, 0))
    case = reply(case)
    clock.at(warsaw(2026, 3, 3, 10, 0))
    case = write(case)
    assert case.next_response_due_at == warsaw(2026, 3, 3, 12, 0)
    clock.at(warsaw(2026, 3, 3, 11, 0))
    case = fresh(status(case, Case.Status.WAITING))
    assert case.sla_paused_at == clock.now
    assert case.sla_next_due_at is None and case.sla_clock.check_at is None
    state = {s.target: s for s in selectors.sla_state(case)}
    assert state["next_response"].paused and state["next_response"].due_at is None
    assert state["next_response"].remaining == dt.timedelta(minutes=60)
    # The client answers on Wednesday at 10:00: 7 + 1 business hours of pause.
    clock.at(warsaw(2026, 3, 4, 10, 0))
    case = fresh(write(case))
    assert case.status == Case.Status.OPEN and case.sla_paused_at is None
    assert case.sla_clock.paused_seconds == 8 * 3600
    assert case.next_response_due_at == warsaw(2026, 3, 4, 11, 0)
    # Resolution: 540 + 480 minutes from Monday 17:30 → Wednesday 16:30.
    assert case.resolution_due_at == warsaw(2026, 3, 4, 16, 30)
    assert case.sla_next_due_at == warsaw(2026, 3, 4, 11, 0)


def test_on_hold_over_a_weekend_costs_only_business_time(clock, standard):
    clock.at(warsaw(2026, 3, 6, 17, 0))  # Friday
    case = new_case()
    status(case, Case.Status.ON_HOLD)
    clock.at(warsaw(2026, 3, 9, 9, 30))  # Monday
    case = fresh(status(case, Case.Status.OPEN))
    assert case.sla_clock.paused_seconds == 90 * 60  # Friday 17-18, Monday 9-9:30
    # First response: 60 minutes + 90 paused from Friday 17:00 → Monday 10:30.
    assert case.first_response_due_at == warsaw(2026, 3, 9, 10, 30)


def test_priority_change_recomputes_against_the_matching_policy(clock, standard):
    urgent = policy(
        standard.calendar,
        name="Urgent",
        priority="urgent",
        position=0,
        first_response_minutes=15,
        resolution_minutes=120,
    )
    standard.position = 5
    standard.save()
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = new_case()
    assert fresh(case).sla_policy == standard
    clock.at(warsaw(2026, 3, 2, 10, 5))
    case = services.update_case(actor=None, case=case, changes={"priority": "urgent"})
    case = fresh(case)
    assert case.sla_policy == urgent
    assert case.first_response_due_at == warsaw(2026, 3, 2, 10, 15)
    assert case.resolution_due_at == warsaw(2026, 3, 2, 12, 0)
    assert case.next_response_due_at is None


def test_channel_and_segment_pick_the_policy(clock, standard):
    from kliento.clients.models import Segment

    vip = Segment.objects.create(name="VIP")
    chat = policy(None, name="Chat", channel=Channel.CHAT, position=0, first_response_minutes=5)
    vips = policy(None, name="VIP", segment_id=vip.pk, position=1, first_response_minutes=10)
    standard.position = 9
    standard.save()
    clock.at(utc(2026, 3, 2, 10, 0))
    assert fresh(new_case(channel=Channel.CHAT)).sla_policy == chat
    vip_case = fresh(new_case(client=ClientFactory(segment=vip)))
    assert vip_case.sla_policy == vips
    # No calendar: around the clock.
    assert vip_case.first_response_due_at == utc(2026, 3, 2, 10, 10)
    email = fresh(new_case())
    assert email.sla_policy == standard
    moved = services.update_case(actor=None, case=email, changes={"channel": Channel.CHAT})
    assert fresh(moved).sla_policy == chat
    assert fresh(moved).first_response_due_at == utc(2026, 3, 2, 10, 5)


def test_inactive_policies_are_skipped_and_no_policy_means_no_targets(clock, standard):
    standard.is_active = False
    standard.save()
    case = fresh(new_case())
    assert case.sla_policy is None
    assert case.first_response_due_at is None and case.sla_next_due_at is None
    assert selectors.sla_state(case) == []


def test_resolving_meets_resolution_and_reopening_resumes(clock, standard):
    clock.at(warsaw(2026, 3, 2, 9, 0))
    case = reply(new_case())
    clock.at(warsaw(2026, 3, 2, 12, 0))
    case = fresh(status(case, Case.Status.RESOLVED))
    assert case.sla_next_due_at is None
    state = {s.target: s for s in selectors.sla_state(case)}
    assert state["resolution"].met and not state["resolution"].breached
    assert case.resolution_due_at == warsaw(2026, 3, 2, 18, 0)
    # The client writes the next morning: the case reopens, the night does not count.
    clock.at(warsaw(2026, 3, 3, 10, 0))
    case = fresh(write(case))
    assert case.status == Case.Status.OPEN
    assert case.sla_clock.paused_seconds == 7 * 3600
    assert case.resolution_due_at == warsaw(2026, 3, 3, 16, 0)
    assert case.next_response_due_at == warsaw(2026, 3, 3, 12, 0)


def test_remaining_counts_business_time_and_goes_negative_when_late(clock, standard):
    clock.at(warsaw(2026, 3, 2, 17, 30))
    case = fresh(new_case())
    first = selectors.sla_state(case, now=warsaw(2026, 3, 2, 20, 0))[0]
    assert first.remaining == dt.timedelta(minutes=30)
    late = selectors.sla_state(case, now=warsaw(2026, 3, 3, 10, 0))[0]
    assert late.remaining == -dt.timedelta(minutes=30) and late.breached and not late.met


def test_merging_stops_the_duplicate_and_updates_the_survivor(clock, standard):
    client = ClientFactory()
    clock.at(warsaw(2026, 3, 2, 10, 0))
    survivor = new_case(client=client)
    duplicate = reply(new_case(client=client))
    services.merge_cases(actor=None, duplicate=duplicate, survivor=survivor)
    duplicate, survivor = fresh(duplicate), fresh(survivor)
    assert duplicate.sla_next_due_at is None and duplicate.sla_paused_at is not None
    assert survivor.first_response_at is not None
    assert survivor.sla_next_due_at == survivor.resolution_due_at


def test_the_case_page_snippet_and_api_payload_show_the_targets(clock, standard):
    from django.template.loader import render_to_string

    from kliento.desk.api.sla import SlaTargetOut, sla_state_out
    from kliento.desk.sla import display

    clock.at(warsaw(2026, 3, 2, 17, 30))
    case = fresh(new_case())
    clock.at(warsaw(2026, 3, 3, 9, 45))  # first response 15 minutes late
    rows = display.rows(case)
    assert [r["text"] for r in rows] == ["Late by 15 min", "7 h 45 min left"]
    assert [r["colour"] for r in rows] == ["danger", "info"]
    html = render_to_string("desk/sla/_case_sla.html", {"sla_rows": rows})
    assert "First response" in html and "Late by 15 min" in html
    payload = sla_state_out(case)
    assert [SlaTargetOut(**item).remaining_seconds for item in payload] == [-15 * 60, 465 * 60]
    case = fresh(status(case, Case.Status.ON_HOLD))
    assert display.rows(case)[1]["text"] == "Paused, 7 h 45 min left"
    assert display.duration_text(dt.timedelta(days=2, hours=3)) == "2 d 3 h"


def test_editing_policies_recomputes_active_cases_after_commit(
    clock, standard, django_capture_on_commit_callbacks
):
    from kliento.desk.sla import clock as clocks
    from kliento.desk.sla import setup

    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = new_case()
    done = status(new_case(), Case.Status.RESOLVED)
    with django_capture_on_commit_callbacks() as callbacks:
        setup.save_policy(
            actor=None,
            spec=setup.PolicySpec(
                name="Standard", position=5, first_response_minutes=30, resolution_minutes=540
            ),
            policy=standard,
        )
    assert len(callbacks) == 1  # the recompute task is enqueued once the edit commits
    assert fresh(case).first_response_due_at == warsaw(2026, 3, 2, 11, 0)  # not yet
    clock.at(warsaw(2026, 3, 2, 10, 10))
    assert clocks.recompute_active() == 1  # the resolved case is left alone
    case = fresh(case)
    assert case.first_response_due_at == warsaw(2026, 3, 2, 10, 30)
    assert case.next_response_due_at is None
    vip = policy(None, name="First", position=0, first_response_minutes=5)
    clocks.recompute_active()
    case = fresh(case)
    assert case.sla_policy == vip and case.first_response_due_at == warsaw(2026, 3, 2, 10, 5)
    assert fresh(done).sla_policy == standard


def test_a_case_opened_before_the_spring_dst_weekend(clock, standard):
    clock.at(warsaw(2026, 3, 27, 17, 30))  # Friday, CET
    case = fresh(new_case())
    # 30 minutes on Friday, 30 on Monday after the clocks went forward (CEST, UTC+2).
    assert case.first_response_due_at == utc(2026, 3, 30, 7, 30)
    # 540: 30 on Friday, 510 on Monday → 17:30 CEST.
    assert case.resolution_due_at == utc(2026, 3, 30, 15, 30)


def test_history_lines_of_the_clock_and_escalation(clock, standard):
    from kliento.desk.models import CaseEvent
    from kliento.desk.sla import display

    case = new_case()
    sla = CaseEvent(
        case=case,
        kind="sla",
        data={"event": "breached", "target": "resolution", "due_at": "2026-03-02T10:00:00+00:00"},
    )
    assert display.describe_event(sla).startswith("SLA breached: Resolution was due at")
    sla.data["event"] = "warning"
    assert display.describe_event(sla).startswith("SLA warning: Resolution is due at")
    escalated = CaseEvent(case=case, kind="escalated", data={"level": [1, 2]})
    assert display.describe_event(escalated) == "Escalated to level 2 of the policy procedure."
