"""Reads of the activities app: a client's activities and tasks, and one person's tasks.

Whether a task is overdue is decided here, when it is read (its due date and time against the
current local time), so no background job has to keep a flag up to date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet
from django.utils import timezone

from kliento.activities import rules
from kliento.activities.models import Activity, Task
from kliento.clients import selectors as clients

MY_TASKS_SHOWN = 8


def activities_of(client_id: int) -> QuerySet[Activity]:
    """A client's activities, newest first."""
    return Activity.objects.filter(client_id=client_id).select_related("author", "contact")


def tasks_of(client_id: int, *, open_only: bool = False) -> QuerySet[Task]:
    """A client's tasks, soonest due first."""
    tasks = Task.objects.filter(client_id=client_id).select_related("assignee", "author", "done_by")
    return tasks.filter(done_at__isnull=True) if open_only else tasks


def overdue_q(now: dt.datetime | None = None) -> Q:
    """Open tasks whose due date, or due time today, has passed at `now` (default: now)."""
    local = timezone.localtime(now)
    return Q(done_at__isnull=True) & (
        Q(due_on__lt=local.date()) | Q(due_on=local.date(), due_time__lt=local.time())
    )


def due_today_q(now: dt.datetime | None = None) -> Q:
    local = timezone.localtime(now)
    return Q(done_at__isnull=True, due_on=local.date()) & (
        Q(due_time__isnull=True) | Q(due_time__gte=local.time())
    )


def upcoming_q(now: dt.datetime | None = None) -> Q:
    return Q(done_at__isnull=True, due_on__gt=timezone.localtime(now).date())


@dataclass(frozen=True)
class TaskRow:
    task: Task
    client_name: str


@dataclass(frozen=True)
class TaskGroup:
    state: str  # "overdue", "today", "upcoming"
    rows: list[TaskRow]
    total: int


@dataclass(frozen=True)
class MyTasks:
    groups: list[TaskGroup]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    def group(self, state: str) -> TaskGroup:
        return next(g for g in self.groups if g.state == state)


def my_tasks(user: Any, *, now: dt.datetime | None = None, shown: int = MY_TASKS_SHOWN) -> MyTasks:
    """The user's open tasks: overdue, due today and upcoming (the first `shown` of each)."""
    mine = Task.objects.filter(assignee=user)
    found: list[tuple[str, list[Task], int]] = []
    for state, condition in (
        ("overdue", overdue_q(now)),
        ("today", due_today_q(now)),
        ("upcoming", upcoming_q(now)),
    ):
        tasks = mine.filter(condition)
        found.append((state, list(tasks[:shown]), tasks.count()))
    ids = {task.client_id for _state, tasks, _total in found for task in tasks}
    names = {pk: label.name for pk, label in clients.client_labels(ids).items()}
    return MyTasks(
        [
            TaskGroup(state, [TaskRow(t, names.get(t.client_id, "")) for t in tasks], total)
            for state, tasks, total in found
        ]
    )


def assignable_users() -> QuerySet[Any]:
    """Who can be given a task: active people allowed to work on tasks (through a role or a
    permission of their own)."""
    app_label, codename = rules.WORK_ON_TASKS.split(".")
    perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
