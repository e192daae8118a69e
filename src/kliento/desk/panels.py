"""The client card's "Cases" panel: the client's latest cases the viewer may see."""

from __future__ import annotations

from typing import Any

from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access, selectors
from kliento.desk.models import Case

PANEL_CASES = 5


def cases_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    cases = selectors.cases_of_client(request.user, client.pk)
    latest = list(cases.select_related("assignee")[:PANEL_CASES])
    if not latest and not request.user.has_perm(access.WORK):
        return None
    return {
        "cases": latest,
        "open_count": cases.filter(status__in=Case.ACTIVE).count(),
        "can_open": request.user.has_perm(access.WORK),
    }
