"""Two people handing the same task on at once (PostgreSQL): the task's row lock makes the
second see the first's change, so the timeline tells one unbroken chain of hands."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.utils import timezone

from kliento.activities import rules, services
from kliento.activities.models import Task
from kliento.clients.models import TimelineEntry
from kliento.core import roles
from tests.factories import ClientFactory, UserFactory
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite has no row locks; the race is tested on PostgreSQL",
    ),
]


def test_two_managers_hand_on_the_same_task_at_once(monkeypatch):
    check = rules.check_task

    def slow_check(**kwargs):
        time.sleep(0.3)  # after the service locked the task: widens the race window
        return check(**kwargs)

    monkeypatch.setattr(services.rules, "check_task", slow_check)
    agent = UserFactory(username="agent", role=roles.AGENT)
    first, second = (UserFactory(username=f"boss{n}", role=roles.MANAGER) for n in (1, 2))
    to_a, to_b = (UserFactory(username=f"to{n}", role=roles.AGENT) for n in ("a", "b"))
    client = ClientFactory()
    task = services.add_task(
        actor=agent, client_id=client.pk, title="Call back", due_on=timezone.localdate()
    )

    errors = run_together(
        lambda: services.reassign_task(actor=first, task=task, assignee=to_a),
        lambda: services.reassign_task(actor=second, task=task, assignee=to_b),
    )

    assert errors == []
    hands = list(
        TimelineEntry.objects.filter(kind=services.TASK_REASSIGNED)
        .order_by("id")
        .values_list("data", flat=True)
    )
    assert len(hands) == 2
    assert hands[0]["from_id"] == agent.pk
    assert hands[1]["from_id"] == hands[0]["to_id"]
    assert Task.objects.get(pk=task.pk).assignee_id == hands[1]["to_id"]
