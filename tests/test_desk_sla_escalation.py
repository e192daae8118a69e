"""Escalation along the policy procedure's list: levels in wall-clock time, once each, the
right people told, stopped by resolving, restarted by reopening."""

from __future__ import annotations

import pytest

from kliento.core import roles
from kliento.core.models import Notification
from kliento.desk import services
from kliento.desk.models import Case, CaseEvent, EscalationRecord
from kliento.desk.sla import escalation
from kliento.policy.services import LevelSpec
from tests.desk_sla_support import fresh, frozen_clock, status, utc
from tests.desk_support import member, new_case, team
from tests.factories import UserFactory
from tests.policy_support import goal, procedure, publish_mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def people(db):
    unit = team("Support")
    return {
        "team": unit,
        "agent": member(unit, "anna"),
        "lead": member(unit, "maria", role=roles.MANAGER),
        "far_manager": member(None, "frank", role=roles.MANAGER),
        "director": UserFactory(username="director", role=roles.MANAGER),
    }


def _procedure(people, *specs: LevelSpec):
    from kliento.policy import services as policy

    owner = people["director"]
    publish_mission(owner)
    created = policy.create_policy(actor=owner, title="Service", owner=owner, review_every_months=6)
    return procedure(owner, goal(owner, created.versions.get()), *specs)


@pytest.fixture
def three_levels(people):
    return _procedure(
        people,
        LevelSpec(after_minutes=0, role=roles.AGENT, notify=["in_app"]),
        LevelSpec(after_minutes=60, role=roles.MANAGER, notify=["in_app", "email"]),
        LevelSpec(after_minutes=180, user_id=people["director"].pk, notify=["email", "phone"]),
    )


def _told(user) -> int:
    return Notification.objects.filter(recipient=user, kind=escalation.ESCALATED).count()


def test_a_case_starts_at_the_first_level_and_climbs_on_time(clock, people, three_levels):
    clock.at(utc(2026, 3, 2, 10, 0))
    case = new_case(team=people["team"], procedure_id=three_levels.pk)
    case = fresh(case)
    assert case.escalation_level == 1
    assert case.escalation_due_at == utc(2026, 3, 2, 11, 0)
    clock.at(utc(2026, 3, 2, 10, 59))
    assert escalation.escalate_due() == 0
    clock.at(utc(2026, 3, 2, 11, 0))
    assert escalation.escalate_due() == 1
    case = fresh(case)
    assert case.escalation_level == 2
    assert case.escalation_due_at == utc(2026, 3, 2, 13, 0)
    # The team's manager, not every manager of the company.
    assert _told(people["lead"]) == 1
    assert _told(people["far_manager"]) == 0 and _told(people["agent"]) == 0
    record = EscalationRecord.objects.get(case=case)
    assert (record.level, record.notified, record.notify_by) == (
        2,
        [people["lead"].pk],
        ["email", "in_app"],
    )
    event = CaseEvent.objects.get(case=case, kind="escalated")
    assert event.data["level"] == [1, 2]
    # A restart runs the job again at once: nothing is written twice.
    assert escalation.escalate_due() == 0
    assert EscalationRecord.objects.count() == 1 and _told(people["lead"]) == 1


def test_a_late_worker_climbs_every_level_once(clock, people, three_levels):
    clock.at(utc(2026, 3, 2, 10, 0))
    case = new_case(team=people["team"], procedure_id=three_levels.pk)
    clock.at(utc(2026, 3, 3, 10, 0))  # the workers were down for a day
    assert escalation.escalate_due() == 2
    case = fresh(case)
    assert case.escalation_level == 3 and case.escalation_due_at is None
    assert list(EscalationRecord.objects.values_list("level", flat=True)) == [2, 3]
    assert _told(people["director"]) == 1
    assert escalation.escalate_due() == 0


def test_escalation_counts_wall_clock_time_over_the_weekend(clock, people, three_levels):
    clock.at(utc(2026, 3, 6, 17, 30))  # Friday evening
    case = fresh(new_case(procedure_id=three_levels.pk))
    assert case.escalation_due_at == utc(2026, 3, 6, 18, 30)


def test_resolving_stops_and_reopening_restarts_the_current_level(clock, people, three_levels):
    clock.at(utc(2026, 3, 2, 10, 0))
    case = new_case(team=people["team"], procedure_id=three_levels.pk)
    clock.at(utc(2026, 3, 2, 11, 0))
    escalation.escalate_due()
    clock.at(utc(2026, 3, 2, 11, 30))
    case = fresh(status(case, Case.Status.RESOLVED))
    assert case.escalation_level == 2 and case.escalation_due_at is None
    clock.at(utc(2026, 3, 5, 9, 0))
    assert escalation.escalate_due() == 0
    case = fresh(status(case, Case.Status.OPEN))
    # Level 2 → 3 takes 120 minutes, counted again from the reopening.
    assert case.escalation_due_at == utc(2026, 3, 5, 11, 0)


def test_a_case_without_a_procedure_never_escalates(clock, people):
    case = fresh(new_case())
    assert case.escalation_level == 0 and case.escalation_due_at is None


def test_a_list_without_a_starting_level_waits_for_the_first(clock, people):
    proc = _procedure(
        people,
        LevelSpec(after_minutes=30, unit_id=people["team"].pk, notify=["in_app"]),
    )
    clock.at(utc(2026, 3, 2, 10, 0))
    case = fresh(new_case(procedure_id=proc.pk))
    assert case.escalation_level == 0 and case.escalation_due_at == utc(2026, 3, 2, 10, 30)
    clock.at(utc(2026, 3, 2, 10, 30))
    escalation.escalate_due()
    case = fresh(case)
    assert case.escalation_level == 1 and case.escalation_due_at is None
    # The whole team is told.
    assert _told(people["agent"]) == 1 and _told(people["lead"]) == 1


def test_linking_a_procedure_later_starts_its_timer(clock, people, three_levels):
    clock.at(utc(2026, 3, 2, 10, 0))
    case = new_case()
    clock.at(utc(2026, 3, 2, 12, 0))
    services.update_case(actor=None, case=case, changes={"procedure_id": three_levels.pk})
    case = fresh(case)
    assert case.escalation_level == 1 and case.escalation_due_at == utc(2026, 3, 2, 13, 0)


def test_a_worker_that_fails_mid_step_leaves_nothing_and_the_next_run_does_it(
    clock, people, three_levels, monkeypatch
):
    clock.at(utc(2026, 3, 2, 10, 0))
    case = new_case(team=people["team"], procedure_id=three_levels.pk)
    clock.at(utc(2026, 3, 2, 11, 0))

    def crash(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(escalation, "notify", crash)
    with pytest.raises(RuntimeError):
        escalation.escalate_due()
    case = fresh(case)
    assert case.escalation_level == 1 and not EscalationRecord.objects.exists()
    assert not CaseEvent.objects.filter(kind="escalated").exists()
    monkeypatch.undo()
    clock = frozen_clock(monkeypatch)
    clock.at(utc(2026, 3, 2, 11, 1))
    assert escalation.escalate_due() == 1
    assert fresh(case).escalation_level == 2 and _told(people["lead"]) == 1
