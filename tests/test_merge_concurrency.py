"""Two merges of overlapping groups at once, on PostgreSQL: one wins, the other is told."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.urls import reverse

from kliento.clients import services
from kliento.clients.models import Client, ClientMergeRecord, ContactPoint
from kliento.clients.services import merge as merge_module
from tests.factories import ClientFactory, ContactFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite has no row locks; the race is tested on PostgreSQL",
    ),
]


def _run_together(*calls) -> tuple[list[object], list[BaseException]]:
    barrier = threading.Barrier(len(calls))
    results: list[object] = []
    errors: list[BaseException] = []

    def target(call):
        try:
            barrier.wait(timeout=10)
            results.append(call())
        except BaseException as exc:  # reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a merge is stuck (deadlock?)"
    return results, errors


@pytest.fixture
def slow_moves(monkeypatch):
    """Hold the locks a while after taking them, so both merges are surely in flight."""
    original = merge_module._move_everything

    def slow(*args, **kwargs):
        threading.Event().wait(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(merge_module, "_move_everything", slow)


def test_overlapping_merges_one_wins_the_other_is_refused(slow_moves):
    a, b, c = ClientFactory(name="A"), ClientFactory(name="B"), ClientFactory(name="C")
    for client in (a, b, c):
        ContactFactory(client=client, kind="phone", value="+48601234567")

    results, errors = _run_together(
        lambda: services.merge_clients(actor=None, survivor=a, duplicates=[b]),
        lambda: services.merge_clients(actor=None, survivor=c, duplicates=[b]),
    )

    assert len(results) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], ValidationError)
    assert errors[0].code == "gone"
    winner = results[0]
    assert isinstance(winner, Client)
    assert not Client.objects.filter(pk=b.pk).exists()
    assert ClientMergeRecord.objects.get(old_id=b.pk).survivor_id == winner.pk
    # Exactly one merge happened: b's phone moved once, deduplicated into the winner's.
    assert ContactPoint.objects.count() == 2


def test_crossing_merges_do_not_deadlock(slow_moves):
    """a←b and b←a at once: the rows are locked in id order, so one waits for the other."""
    a, b = ClientFactory(name="A"), ClientFactory(name="B")
    results, errors = _run_together(
        lambda: services.merge_clients(actor=None, survivor=a, duplicates=[b]),
        lambda: services.merge_clients(actor=None, survivor=b, duplicates=[a]),
    )
    assert len(results) == 1 and len(errors) == 1
    assert Client.objects.count() == 1


def test_the_losing_page_shows_a_message_not_an_error(slow_moves):
    from tests.factories import UserFactory

    a, b, c = ClientFactory(name="A"), ClientFactory(name="B"), ClientFactory(name="C")
    user = UserFactory(username="m2", role="manager")
    statuses: list[int] = []

    def by_page():
        from django.test import Client as HttpClient

        http = HttpClient()
        http.force_login(user)
        response = http.post(
            reverse("clients:merge"),
            {"ids": [b.pk, c.pk], "survivor": c.pk, "confirm": "1"},
            follow=True,
        )
        statuses.append(response.status_code)
        return response

    def by_service():
        try:
            return services.merge_clients(actor=None, survivor=a, duplicates=[b])
        except ValidationError as exc:  # the page won this time
            assert exc.code == "gone"
            return None

    _results, errors = _run_together(by_service, by_page)
    assert not errors, errors
    assert statuses == [200]
    assert Client.objects.count() == 2  # whichever won, one merge happened
    assert ClientMergeRecord.objects.filter(old_id=b.pk).count() == 1
