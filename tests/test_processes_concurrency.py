"""Two workers at once on PostgreSQL: the overdue notice goes once, a step is completed once.

Each test widens the race window on purpose (a pause inside the transaction, after the claim or
the lock), so without the conditional UPDATE or the run's row lock both threads would act.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core.models import Notification
from kliento.processes import services
from kliento.processes.models import RunStep
from tests.factories import ClientFactory
from tests.processes_helpers import make_definition
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite has one writer and no row locks; the race is tested on PostgreSQL",
    ),
]

PAUSE = 0.3


@pytest.fixture
def open_step(agent, manager):
    definition = make_definition(actor=manager)
    run = services.start_run(actor=agent, client_id=ClientFactory().pk, definition=definition)
    return run.steps.get(position=1)


def test_two_workers_notify_an_overdue_step_once(open_step, monkeypatch):
    RunStep.objects.filter(pk=open_step.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    real = services.notifications.notify

    def slow_notify(**kwargs):
        time.sleep(PAUSE)  # the claim is made, the transaction not yet committed
        return real(**kwargs)

    monkeypatch.setattr(services.notifications, "notify", slow_notify)
    told: list[bool] = []
    errors = run_together(
        lambda: told.append(services.notify_step_overdue(step_id=open_step.pk)),
        lambda: told.append(services.notify_step_overdue(step_id=open_step.pk)),
    )
    assert errors == []
    assert sorted(told) == [False, True]
    assert Notification.objects.filter(kind=services.STEP_OVERDUE).count() == 1


def test_two_people_completing_the_same_step_complete_it_once(
    open_step, agent, manager, monkeypatch
):
    real = services.timeline.record

    def slow_record(**kwargs):
        time.sleep(PAUSE)  # the run is locked, the step read as open
        return real(**kwargs)

    monkeypatch.setattr(services.timeline, "record", slow_record)
    errors = run_together(
        lambda: services.complete_step(actor=agent, step=open_step, result="by the agent"),
        lambda: services.complete_step(actor=manager, step=open_step, result="by the manager"),
    )
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    completions = TimelineEntry.objects.filter(kind=services.STEP_COMPLETED)
    assert completions.count() == 1
    # The next step opened exactly once.
    assert RunStep.objects.filter(run_id=open_step.run_id, state="open").count() == 1


def test_working_on_one_run_does_not_lock_the_process_version(open_step):
    """A completion locks its run only: other runs of the same version go on meanwhile."""
    from django.db import transaction

    from kliento.processes.models import ProcessVersion

    locked = threading.Event()
    release = threading.Event()
    outcome: list[str] = []

    def hold_run() -> None:
        with transaction.atomic():
            services._locked_run(open_step.run_id)
            locked.set()
            release.wait(timeout=10)

    def touch_version() -> None:
        locked.wait(timeout=10)
        try:
            with transaction.atomic():
                ProcessVersion.objects.select_for_update(nowait=True).get(
                    pk=open_step.run.version_id
                )
            outcome.append("free")
        finally:
            release.set()

    errors = run_together(hold_run, touch_version)
    assert errors == [] and outcome == ["free"]
