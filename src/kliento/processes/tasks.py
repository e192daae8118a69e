"""Background work of processes: telling a run's owner that a step has become overdue.

When a step opens, a task is enqueued to run when it falls due; if the step is still open
then, its owner is told. A queue that cannot delay tasks gets none: `kliento
notify_overdue_steps` (run from cron) tells whatever is overdue and untold. Either way the
notice is claimed with a conditional UPDATE (services.notify_step_overdue), so it goes once.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.tasks import default_task_backend, task

from kliento.processes import services

logger = logging.getLogger(__name__)


@task()
def notify_step_overdue(step_id: int) -> bool:
    """Safe to run twice, early or late: see services.notify_step_overdue."""
    return services.notify_step_overdue(step_id=step_id)


@task()
def notify_overdue_steps() -> int:
    return services.notify_overdue_steps()


def enqueue_overdue_check(step_id: int, due_at: dt.datetime) -> None:
    if not default_task_backend.supports_defer:
        return  # the catch-up command tells it instead
    # A moment after the due time: the claim requires the step to be past due.
    when = due_at + dt.timedelta(seconds=1)
    notify_step_overdue.using(run_after=when).enqueue(step_id)
