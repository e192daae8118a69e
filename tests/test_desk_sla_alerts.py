"""Warnings and breaches written by the periodic job: once, to the right people, with a
history line; a target met after its breach keeps the breach record; breach counts."""

from __future__ import annotations

import pytest

from kliento.core.models import Notification
from kliento.core.schedule import periodic_jobs
from kliento.desk import selectors
from kliento.desk.models import Case, CaseEvent, SlaBreach
from kliento.desk.sla import alerts
from tests.desk_sla_support import (
    fresh,
    frozen_clock,
    office,
    policy,
    reply,
    status,
    warsaw,
    write,
)
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


@pytest.fixture
def setup_team(db):
    unit = team("Support")
    return {
        "team": unit,
        "agent": member(unit, "anna"),
        "other": member(unit, "boris"),
        "manager": member(unit, "maria", role="manager"),
    }


def _kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_jobs_are_registered_every_minute():
    for key in ("desk.check_sla", "desk.escalate"):
        assert periodic_jobs[key].every.total_seconds() == 60


def test_warning_then_breach_once_each(clock, setup_team):
    policy(office())
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = new_case(team=setup_team["team"], assignee=setup_team["agent"])
    clock.at(warsaw(2026, 3, 2, 10, 47))
    assert alerts.check_due() == 0  # 80 % of an hour is 10:48
    clock.at(warsaw(2026, 3, 2, 10, 48))
    assert alerts.check_due() == 1
    assert alerts.check_due() == 0
    assert _kinds(setup_team["agent"]) == [alerts.WARNING]
    assert _kinds(setup_team["other"]) == []  # the case has an assignee
    event = CaseEvent.objects.get(case=case, kind="sla")
    assert event.data["event"] == "warning" and event.data["target"] == "first_response"
    clock.at(warsaw(2026, 3, 2, 11, 0))
    assert alerts.check_due() == 1
    assert alerts.check_due() == 0  # a restart runs the job again: nothing new
    breach = SlaBreach.objects.get()
    assert (breach.case, breach.target, breach.team, breach.assignee) == (
        case,
        "first_response",
        setup_team["team"],
        setup_team["agent"],
    )
    assert breach.due_at == warsaw(2026, 3, 2, 11, 0)
    assert _kinds(setup_team["agent"]) == sorted([alerts.WARNING, alerts.BREACH])
    assert _kinds(setup_team["manager"]) == [alerts.BREACH]
    # Still in the "breaching soon" queue: the target runs until it is met.
    assert fresh(case).sla_next_due_at == warsaw(2026, 3, 2, 11, 0)


def test_an_unassigned_case_warns_the_team(clock, setup_team):
    policy(None, first_response_minutes=10, resolution_minutes=None, next_response_minutes=None)
    clock.at(warsaw(2026, 3, 2, 10, 0))
    new_case(team=setup_team["team"])
    clock.advance(minutes=9)
    alerts.check_due()
    assert _kinds(setup_team["agent"]) == [alerts.WARNING]
    assert _kinds(setup_team["other"]) == [alerts.WARNING]


def test_a_met_target_after_a_breach_keeps_the_record(clock, setup_team):
    policy(office())
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = new_case(team=setup_team["team"])
    clock.at(warsaw(2026, 3, 2, 12, 0))
    alerts.check_due()
    case = reply(case)
    assert SlaBreach.objects.filter(case=case, target="first_response").count() == 1
    first = selectors.sla_state(case)[0]
    assert first.met and first.breached


def test_paused_cases_are_not_checked(clock, setup_team):
    policy(office())
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = new_case()
    status(case, Case.Status.WAITING)
    clock.at(warsaw(2026, 3, 2, 17, 0))
    assert alerts.check_due() == 0
    assert not SlaBreach.objects.exists()


def test_next_response_breaches_are_per_message(clock, setup_team):
    policy(None, first_response_minutes=10, next_response_minutes=30, resolution_minutes=None)
    clock.at(warsaw(2026, 3, 2, 10, 0))
    case = reply(new_case(team=setup_team["team"]))
    clock.at(warsaw(2026, 3, 2, 10, 5))
    case = write(case)
    clock.at(warsaw(2026, 3, 2, 11, 0))
    alerts.check_due()
    case = reply(case)
    clock.at(warsaw(2026, 3, 2, 12, 0))
    write(case)
    clock.at(warsaw(2026, 3, 2, 13, 0))
    alerts.check_due()
    dues = sorted(SlaBreach.objects.filter(target="next_response").values_list("due_at", flat=True))
    assert dues == [warsaw(2026, 3, 2, 10, 35), warsaw(2026, 3, 2, 12, 30)]


def test_breach_counts_by_team_and_agent(clock, setup_team):
    policy(None, first_response_minutes=10, resolution_minutes=20, next_response_minutes=None)
    clock.at(warsaw(2026, 3, 2, 10, 0))
    new_case(team=setup_team["team"], assignee=setup_team["agent"])
    new_case(team=setup_team["team"])
    clock.at(warsaw(2026, 3, 2, 11, 0))
    alerts.check_due()
    by_team = selectors.breach_counts(by="team")
    assert by_team == [
        {"team_id": setup_team["team"].pk, "target": "first_response", "count": 2},
        {"team_id": setup_team["team"].pk, "target": "resolution", "count": 2},
    ]
    by_agent = selectors.breach_counts(by="assignee", since=warsaw(2026, 3, 2, 0, 0))
    assert {"assignee_id": setup_team["agent"].pk, "target": "resolution", "count": 1} in by_agent
    assert selectors.breaches(assignee_id=setup_team["agent"].pk).count() == 2
    assert selectors.breaches(since=warsaw(2026, 3, 3, 0, 0)).count() == 0
    with pytest.raises(ValueError):
        selectors.breach_counts(by="client")
