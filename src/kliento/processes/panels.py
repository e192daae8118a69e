"""The processes panel on the client card and the managers' home widget."""

from __future__ import annotations

from typing import Any

from kliento.core.types import AuthenticatedHttpRequest
from kliento.processes import selectors
from kliento.processes.forms import StartRunForm

RUNS_SHOWN = 10
DONE_SHOWN = 5
WIDGET_ROWS = 5


def runs_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    running = list(selectors.runs_of(client.pk, running_only=True)[:RUNS_SHOWN])
    completed = list(selectors.runs_of(client.pk).filter(completed_at__isnull=False)[:DONE_SHOWN])
    may_start = request.user.has_perm("processes.add_processrun")
    if not running and not completed and not may_start:
        return None
    return {
        "runs": running,
        "completed": completed,
        "form": StartRunForm(auto_id="id_process_%s") if may_start else None,
        "has_processes": selectors.definitions().exists(),
    }


def overdue_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    found = selectors.overdue(shown=WIDGET_ROWS)
    return {"overdue": found} if found.total else None
