"""Many API callers working on one client at once get answers, never a server error.

PostgreSQL only (like tests/test_concurrency.py): SQLite's in-memory test database is one
connection, so its writers cannot race.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.conf import settings
from django.db import connections

from kliento.clients.models import ContactPoint, PortraitFact, TimelineEntry
from tests.api_support import api_as
from tests.factories import ClientFactory, PortraitFactFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite's in-memory test database is shared by one connection",
    ),
]

THREADS = 20
ROUNDS = 4


def test_twenty_callers_on_one_client_get_no_server_error(manager, agent):
    client = ClientFactory()
    facts = [PortraitFactFactory(client=client) for _ in range(3)]
    apis = [api_as(manager if n % 2 else agent) for n in range(THREADS)]
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def work(n: int) -> None:
        api = apis[n]
        try:
            barrier.wait(timeout=10)
            for r in range(ROUNDS):
                answers = [
                    api.patch(f"/clients/{client.pk}", {"notes": f"note {n}-{r}"}),
                    api.post(
                        f"/clients/{client.pk}/facts/{facts[(n + r) % 3].pk}/verify",
                        {"text": f"fact {n}-{r}"},
                    ),
                    api.post(
                        f"/clients/{client.pk}/contacts",
                        {"kind": "email", "value": f"c{n}-{r}@example.com"},
                    ),
                ]
                with lock:
                    statuses.update(a.status_code for a in answers)
        except BaseException as exc:
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures
    assert not any(t.is_alive() for t in threads)
    assert not [code for code in statuses if code >= 500], statuses
    assert set(statuses) <= {200, 201, 409}, statuses
    # Every successful write left its trace: one primary e-mail, one entry per contact added.
    added = ContactPoint.objects.filter(client=client, kind="email")
    assert added.count() == statuses[201]
    assert added.filter(is_primary=True).count() == 1
    entries = TimelineEntry.objects.filter(client=client, kind=TimelineEntry.Kind.CONTACT_ADDED)
    assert entries.count() == statuses[201]
    assert PortraitFact.objects.filter(client=client).count() == 3
