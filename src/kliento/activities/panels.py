"""The activities app's panels on the client card: the open tasks and the "Log activity" form."""

from __future__ import annotations

from typing import Any

from kliento.activities import rules, selectors
from kliento.activities.forms import LogActivityForm
from kliento.core.types import AuthenticatedHttpRequest

TASKS_SHOWN = 20


def tasks_context(user: Any, client_id: int) -> dict[str, Any]:
    open_tasks = selectors.tasks_of(client_id, open_only=True)
    shown = list(open_tasks[:TASKS_SHOWN])
    return {
        "client_id": client_id,
        "tasks": shown,
        # The tasks this viewer may complete from the card (their own, or any for a manager).
        "handled": {task.pk for task in shown if rules.may_handle(user, task)},
        "open_count": open_tasks.count() if len(shown) == TASKS_SHOWN else len(shown),
    }


def tasks_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any]:
    return tasks_context(request.user, client.pk)


def log_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any]:
    return {"form": LogActivityForm(client_id=client.pk, user=request.user)}
