"""Two workers run the team's daily job at the same moment: each overdue checkpoint is
notified once, each expired candidate erased and audited once, each refresher proposed once.

The race window is widened on purpose: the notification is slowed, so both workers have read
the same list of due rows before either writes; only the claims keep them apart."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from kliento.core import roles
from kliento.core.models import AuditEntry, Notification
from kliento.team import signals
from kliento.team.models import Candidate, TrainingProposal
from kliento.team.services import hiring, onboarding, refresher
from tests.factories import UserFactory
from tests.team_support import csat, plan, profile

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite's in-memory test database is shared by one connection, so two workers "
        "cannot race; the race is tested on PostgreSQL",
    ),
]

PAUSE = 0.3


def _race(target) -> list[int]:
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_workers_notify_each_overdue_checkpoint_once(manager, monkeypatch):
    new = UserFactory(username="nina", role=roles.AGENT)
    mentor = UserFactory(username="olek", role=roles.AGENT)
    onboarding.start_onboarding(
        actor=manager,
        employee=new,
        mentor=mentor,
        plan=plan(manager),
        started_on=timezone.localdate() - dt.timedelta(days=40),
    )
    real = onboarding.notify

    def slow_notify(**kwargs):
        time.sleep(PAUSE)
        return real(**kwargs)

    monkeypatch.setattr(onboarding, "notify", slow_notify)
    assert sum(_race(onboarding.notify_overdue)) == 2
    assert Notification.objects.filter(kind=onboarding.CHECKPOINT_OVERDUE).count() == 4


def test_two_workers_erase_each_candidate_once(manager, settings):
    settings.KLIENTO_CANDIDATE_RETENTION_DAYS = 1
    p = profile(manager)
    for i in range(5):
        c = hiring.create_candidate(actor=manager, profile=p, name=f"Person {i}")
        hiring.move_candidate(actor=manager, candidate=c, to="rejected")
    Candidate.objects.update(rejected_at=timezone.now() - dt.timedelta(days=2))
    assert sum(_race(hiring.erase_expired_candidates)) == 5
    assert AuditEntry.objects.filter(action=hiring.CANDIDATE_ERASED).count() == 5


def test_two_workers_propose_each_refresher_once(manager):
    olena = UserFactory(username="olena", role=roles.AGENT)
    refresher.save_rule(actor=manager, signal=signals.CSAT, threshold=60.0, drop=15.0)
    csat(olena, dt.date(2026, 5, 20), [1] * 6)
    today = dt.date(2026, 6, 1)
    assert sum(_race(lambda: refresher.run_refresher(today=today))) == 1
    assert TrainingProposal.objects.count() == 1
