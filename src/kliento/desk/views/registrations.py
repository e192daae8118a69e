"""What the agent workspace brings to the platform: the menu entry, the home widget with the
agent's queue counts, the audit actions of macros. Called from desk.registrations."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from kliento.core import audit
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access, selectors
from kliento.desk.services import workspace as ws_services

WIDGET_QUEUES = ("mine", "team", "unassigned", "breaching", "waiting")


def queues_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    counts = selectors.queue_counts(request.user)
    rows = [
        (q, selectors.count_label(counts.get(q.key, 0)))
        for q in selectors.QUEUES
        if q.key in WIDGET_QUEUES
    ]
    return {"rows": rows}


def register() -> None:
    register_menu_item(
        MenuItem(
            key="desk",
            label=gettext_lazy("Service desk"),
            url_name="desk:queue",
            permission=access.VIEW,
            group="work",
            order=15,
            active_for=("desk:",),
        )
    )
    register_home_widget(
        HomeWidget(
            "desk.queues",
            gettext_lazy("My service desk queues"),
            "desk/widget_queues.html",
            queues_widget,
            access.WORK,
            order=10,
        )
    )
    audit.register_action(ws_services.MACRO_CREATED, gettext_lazy("Desk macro added"))
    audit.register_action(ws_services.MACRO_CHANGED, gettext_lazy("Desk macro changed"))
    audit.register_action(ws_services.MACRO_DELETED, gettext_lazy("Desk macro deleted"))
