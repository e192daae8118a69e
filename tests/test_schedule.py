"""Periodic jobs: enqueued when due, once, whoever else is scheduling at the same moment."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from kliento.core.models import ScheduledJob
from kliento.core.schedule import PeriodicJob, enqueue_due, periodic_jobs, register_periodic_job


class CountingTask:
    """Stands in for a django.tasks Task: counts enqueue() calls (thread-safe)."""

    def __init__(self, *, fail: bool = False) -> None:
        self.calls: list[dict] = []
        self.fail = fail
        self._lock = threading.Lock()

    def enqueue(self, **kwargs: object) -> None:
        if self.fail:
            raise RuntimeError("queue is down")
        with self._lock:
            self.calls.append(kwargs)


@pytest.fixture
def only_jobs():
    """Replace the registered jobs with the test's own for the duration of a test."""
    saved = list(periodic_jobs)
    for job in saved:
        periodic_jobs.unregister(job.key)

    def add(*jobs: PeriodicJob) -> None:
        for job in jobs:
            register_periodic_job(job)

    yield add
    for job in list(periodic_jobs):
        periodic_jobs.unregister(job.key)
    for job in saved:
        periodic_jobs.register(job)


NOON = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.mark.django_db
def test_a_job_runs_when_first_seen_then_once_per_period(only_jobs) -> None:
    task = CountingTask()
    only_jobs(PeriodicJob("t.hourly", task, dt.timedelta(hours=1), {"x": 1}))

    assert enqueue_due(now=NOON) == ["t.hourly"]
    assert enqueue_due(now=NOON + dt.timedelta(minutes=59)) == []
    assert enqueue_due(now=NOON + dt.timedelta(hours=1)) == ["t.hourly"]
    assert task.calls == [{"x": 1}, {"x": 1}]
    row = ScheduledJob.objects.get(key="t.hourly")
    assert row.next_run_at == NOON + dt.timedelta(hours=2)


@pytest.mark.django_db
def test_a_failing_job_does_not_stop_the_others(only_jobs) -> None:
    good = CountingTask()
    only_jobs(
        PeriodicJob("t.broken", CountingTask(fail=True), dt.timedelta(hours=1)),
        PeriodicJob("t.good", good, dt.timedelta(hours=1)),
    )
    assert enqueue_due(now=NOON) == ["t.good"]
    assert len(good.calls) == 1


def test_a_job_more_often_than_a_minute_is_refused() -> None:
    with pytest.raises(ValueError, match="at most once a minute"):
        register_periodic_job(PeriodicJob("t.busy", CountingTask(), dt.timedelta(seconds=5)))


@pytest.mark.django_db
def test_the_apps_register_real_tasks() -> None:
    keys = {job.key for job in periodic_jobs}
    assert {"core.prune_notifications", "journeys.apply_move_rules"} <= keys
    for job in periodic_jobs:
        assert callable(job.task.enqueue)


@pytest.mark.django_db
def test_the_command_lists_and_runs_once(only_jobs, capsys) -> None:
    task = CountingTask()
    only_jobs(PeriodicJob("t.daily", task, dt.timedelta(days=1)))
    call_command("scheduler", "--list")
    assert "t.daily" in capsys.readouterr().out
    call_command("scheduler", "--once")
    call_command("scheduler", "--once")
    assert len(task.calls) == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="two schedulers race on separate connections only on PostgreSQL",
)
def test_two_schedulers_at_once_enqueue_each_run_once(only_jobs) -> None:
    task = CountingTask()
    only_jobs(PeriodicJob("t.race", task, dt.timedelta(hours=1)))
    now = timezone.now()
    barrier = threading.Barrier(8)

    def scheduler() -> None:
        try:
            barrier.wait(timeout=10)
            enqueue_due(now=now)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(task.calls) == 1
