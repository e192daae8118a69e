"""Concurrency trouble is answered, never a server error: conflicts are retried, then a 409."""

from __future__ import annotations

import pytest
from django.db import OperationalError, transaction

from kliento.clients import services
from kliento.clients.models import TimelineEntry
from kliento.core import db
from tests.api_support import api_as

# Retrying needs the test outside a transaction, as a request is.
pytestmark = pytest.mark.django_db(transaction=True)


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__("deadlock detected")
        self.sqlstate = sqlstate


def _lost_race(sqlstate: str = "40P01") -> OperationalError:
    try:
        raise OperationalError("deadlock detected") from _PgError(sqlstate)
    except OperationalError as exc:
        return exc


@pytest.fixture(autouse=True)
def _no_backoff(monkeypatch):
    monkeypatch.setattr(db.time, "sleep", lambda _seconds: None)


def test_a_lost_race_is_run_again():
    calls = []

    @db.retry_on_conflict
    def write() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _lost_race()
        return "done"

    assert write() == "done"
    assert len(calls) == 3


def test_serialization_failures_are_retried_too():
    calls = []

    @db.retry_on_conflict
    def write() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise _lost_race("40001")

    write()
    assert len(calls) == 2


def test_retries_are_bounded():
    calls = []

    @db.retry_on_conflict
    def write() -> None:
        calls.append(1)
        raise _lost_race()

    with pytest.raises(OperationalError):
        write()
    assert len(calls) == db.CONFLICT_ATTEMPTS


def test_other_errors_and_inner_transactions_are_not_retried():
    calls = []

    @db.retry_on_conflict
    def broken() -> None:
        calls.append(1)
        raise OperationalError("disk I/O error")

    with pytest.raises(OperationalError):
        broken()
    assert len(calls) == 1

    @db.retry_on_conflict
    def inner() -> None:
        calls.append(1)
        raise _lost_race()

    # Inside an outer transaction the outer one is aborted: only its owner may start again.
    with pytest.raises(OperationalError), transaction.atomic():
        inner()
    assert len(calls) == 2


def test_a_conflict_the_retries_did_not_solve_is_409(manager, client_card, monkeypatch):
    def always_losing(**kwargs):
        raise _lost_race()

    monkeypatch.setattr(services, "update_client", always_losing)
    response = api_as(manager).patch(f"/clients/{client_card.pk}", {"notes": "x"})
    assert response.status_code == 409
    assert response.json()["detail"][0]["type"] == "conflict"


def test_a_card_write_that_lost_a_race_once_is_saved_once(manager, client_card, monkeypatch):
    real = TimelineEntry.save
    failures = []

    def save_losing_once(self, *args, **kwargs):
        if not failures:
            failures.append(1)
            raise _lost_race()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(TimelineEntry, "save", save_losing_once)
    response = api_as(manager).patch(f"/clients/{client_card.pk}", {"notes": "retried"})
    assert response.status_code == 200
    assert response.json()["notes"] == "retried"
    edits = TimelineEntry.objects.filter(client=client_card, kind=TimelineEntry.Kind.EDITED)
    assert edits.count() == 1
