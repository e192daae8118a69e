"""Exactly once on PostgreSQL: several workers (threads, each with its own connection) run the
escalation and the SLA job at the same moment, and a restart runs them again."""

from __future__ import annotations

import pytest
from django.conf import settings

from kliento.core import roles
from kliento.core.models import Notification
from kliento.desk.models import CaseEvent, EscalationRecord, SlaBreach
from kliento.desk.sla import alerts, escalation
from kliento.policy.services import LevelSpec
from tests.desk_sla_support import frozen_clock, policy, utc
from tests.desk_support import member, new_case, team
from tests.policy_support import goal, procedure, publish_mission
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="races need two connections to a database with row locks (PostgreSQL)",
    ),
]


@pytest.fixture
def clock(monkeypatch):
    return frozen_clock(monkeypatch)


WORKERS = 4


def _procedure(owner, unit):
    from kliento.policy import services as policy_services

    publish_mission(owner)
    created = policy_services.create_policy(
        actor=owner, title="Service", owner=owner, review_every_months=6
    )
    return procedure(
        owner,
        goal(owner, created.versions.get()),
        LevelSpec(after_minutes=0, role=roles.AGENT, notify=["in_app"]),
        LevelSpec(after_minutes=30, unit_id=unit.pk, notify=["in_app", "email"]),
        LevelSpec(after_minutes=60, role=roles.MANAGER, notify=["email"]),
    )


def test_workers_escalate_each_level_exactly_once(clock):
    unit = team("Support")
    agent = member(unit, "anna")
    lead = member(unit, "maria", role=roles.MANAGER)
    clock.at(utc(2026, 3, 2, 10, 0))
    proc = _procedure(lead, unit)
    cases = [new_case(team=unit, procedure_id=proc.pk, subject=f"Case {n}") for n in range(4)]
    clock.at(utc(2026, 3, 2, 10, 45))
    errors = run_together(*[escalation.escalate_due for _ in range(WORKERS)])
    assert errors == []
    assert EscalationRecord.objects.filter(level=2).count() == len(cases)
    assert CaseEvent.objects.filter(kind="escalated").count() == len(cases)
    assert Notification.objects.filter(recipient=agent, kind=escalation.ESCALATED).count() == len(
        cases
    )
    # A restart, and the next level, again with several workers.
    clock.at(utc(2026, 3, 2, 11, 0))
    errors = run_together(*[escalation.escalate_due for _ in range(WORKERS)])
    errors += run_together(*[escalation.escalate_due for _ in range(WORKERS)])
    assert errors == []
    assert EscalationRecord.objects.count() == 2 * len(cases)
    assert Notification.objects.filter(
        recipient=lead, kind=escalation.ESCALATED
    ).count() == 2 * len(cases)


def test_workers_record_each_breach_exactly_once(clock):
    unit = team("Support")
    agent = member(unit, "anna")
    policy(None, first_response_minutes=10, resolution_minutes=20, next_response_minutes=None)
    clock.at(utc(2026, 3, 2, 10, 0))
    for n in range(3):
        new_case(team=unit, assignee=agent, subject=f"Case {n}")
    clock.at(utc(2026, 3, 2, 11, 0))
    errors = run_together(*[alerts.check_due for _ in range(WORKERS)])
    errors += run_together(*[alerts.check_due for _ in range(WORKERS)])
    assert errors == []
    assert SlaBreach.objects.count() == 6
    assert Notification.objects.filter(recipient=agent, kind=alerts.BREACH).count() == 6
    assert CaseEvent.objects.filter(kind="sla", data__event="breached").count() == 6
