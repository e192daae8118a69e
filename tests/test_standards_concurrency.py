"""Two workers remind the same version's unread audience at the same moment: the conditional
UPDATE that claims the version lets one of them through, so nobody is reminded twice.

The race window is widened on purpose: the service pauses right after its claim, while it reads
the audience, so without the claim both workers would notify everyone."""

from __future__ import annotations

import threading
import time

import pytest
from django.conf import settings
from django.db import connections

from kliento.core import roles
from kliento.core.models import Notification
from kliento.standards import selectors, services
from tests.factories import UserFactory
from tests.standards_support import published

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite's in-memory test database is shared by one connection, so two workers "
        "cannot race; the race is tested on PostgreSQL",
    ),
]

PAUSE = 0.3


def test_two_workers_remind_each_unread_person_once(manager, monkeypatch):
    readers = [UserFactory(username=f"agent{i}", role=roles.AGENT) for i in range(3)]
    _standard, version = published(by=manager, roles=[roles.AGENT])
    services.acknowledge(actor=readers[0], version=version)
    real = selectors.audience

    def slow_audience(standard):
        time.sleep(PAUSE)
        return real(standard)

    monkeypatch.setattr(services.selectors, "audience", slow_audience)
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(services.send_reminders(version_id=version.pk))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a worker is stuck"
    assert not errors, errors
    assert sorted(results) == [0, 2]
    reminded = Notification.objects.filter(kind=services.REMINDER)
    assert sorted(reminded.values_list("recipient__username", flat=True)) == ["agent1", "agent2"]
