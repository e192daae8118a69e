"""Two workers reminding the unread audience of the same policy version at once: each person is
reminded once (the version is claimed with a conditional UPDATE before anyone is reminded)."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connections

from kliento.core import notifications as core_notifications
from kliento.core import roles
from kliento.core.models import Notification
from kliento.policy import services
from tests.factories import UserFactory
from tests.policy_support import published_policy

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite's in-memory test database is shared by one connection, so two workers "
        "cannot race; the race is tested on PostgreSQL",
    ),
]


def run_together(*calls) -> list[BaseException]:
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def target(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a worker is stuck"
    return errors


def test_two_workers_remind_each_person_once(monkeypatch):
    manager = UserFactory(username="boss", role=roles.MANAGER)
    agents = [UserFactory(username=f"agent{i}", role=roles.AGENT) for i in range(3)]
    version = published_policy(manager).versions.get()

    # Widen the window between the claim and the notifications: without the claim both
    # workers would find everyone unread and notify them twice.
    real_notify = core_notifications.notify

    def slow_notify(**kwargs):
        time.sleep(0.3)
        return real_notify(**kwargs)

    monkeypatch.setattr(services.versions.notifications, "notify", slow_notify)
    sent: list[int] = []
    errors = run_together(
        lambda: sent.append(services.send_reminders(version_id=version.pk)),
        lambda: sent.append(services.send_reminders(version_id=version.pk)),
    )
    assert not errors
    assert sorted(sent)[0] == 0 and sorted(sent)[1] >= len(agents)
    for agent in agents:
        assert Notification.objects.filter(recipient=agent, kind=services.REMINDER).count() == 1
