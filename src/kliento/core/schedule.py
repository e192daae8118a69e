"""Periodic jobs: work that must happen on its own (move rules, reminders, overdue notices,
pruning), registered by apps and enqueued on the task worker when due.

django.tasks has no clock, so a small scheduler loop (`kliento scheduler`, or a thread of the
embedded server) calls `enqueue_due()` every minute. A run is enqueued by whoever moves the
job's `next_run_at` forward with a conditional UPDATE; two schedulers racing enqueue it once. The
jobs themselves are idempotent (they claim their own work), so an extra run does no harm either.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.core.registry import Registry

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    key: str
    # A django.tasks Task (has .enqueue); Any because the stubs give Task no useful type here.
    task: Any
    every: dt.timedelta
    kwargs: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)


periodic_jobs: Registry[PeriodicJob] = Registry("periodic jobs")


def register_periodic_job(job: PeriodicJob) -> PeriodicJob:
    if job.every < dt.timedelta(minutes=1):
        raise ValueError(f"{job.key}: a periodic job runs at most once a minute")
    return periodic_jobs.register(job)


def _claim(job: PeriodicJob, now: dt.datetime) -> bool:
    from kliento.core.models import ScheduledJob

    try:
        with transaction.atomic():
            ScheduledJob.objects.get_or_create(key=job.key, defaults={"next_run_at": now})
    except IntegrityError:  # another scheduler created it first
        pass
    # The first sight of a job runs it now; afterwards only when due. The UPDATE is the claim.
    claimed = ScheduledJob.objects.filter(key=job.key, next_run_at__lte=now).update(
        next_run_at=now + job.every, last_enqueued_at=now
    )
    return claimed == 1


def enqueue_due(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every registered job that is due; returns the keys enqueued."""
    now = now or timezone.now()
    enqueued = []
    for job in periodic_jobs:
        try:
            if _claim(job, now):
                job.task.enqueue(**job.kwargs)
                enqueued.append(job.key)
        except Exception:
            # One broken job must not stop the others (or the scheduler).
            logger.exception("Could not enqueue periodic job %s", job.key)
    return enqueued


def run_forever(*, interval: float = 60.0, stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    while not stop.is_set():
        try:
            keys = enqueue_due()
            if keys:
                logger.info("Enqueued periodic jobs: %s", ", ".join(keys))
        except Exception:
            logger.exception("Scheduler pass failed")
        stop.wait(interval)


def start_scheduler_thread(*, interval: float = 60.0) -> threading.Thread:
    thread = threading.Thread(
        target=run_forever, kwargs={"interval": interval}, name="kliento-scheduler", daemon=True
    )
    thread.start()
    return thread
