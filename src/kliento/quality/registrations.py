"""What the quality app brings: pages, API, roles, audit actions, notifications, the menu, a
home widget, the periodic job and demo data. Called once from `QualityConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.types import AuthenticatedHttpRequest
from kliento.quality import selectors
from kliento.quality.services import checklists, evaluations, programme
from kliento.quality.tasks import quality_tick

VIEW = ["quality.view_checklist", "quality.view_evaluation"]
# Quality staff (the auditor role) and managers: write checklists, plan and perform controls.
QUALITY_STAFF = [
    "quality.manage_checklists",
    "quality.perform_evaluations",
    "quality.view_all_evaluations",
    "quality.mark_exemplary",
    "quality.plan_control",
    "quality.manage_corrective_actions",
]


def _day(value: Any) -> str:
    day = parse_date(str(value or ""))
    return date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def render_action_assigned(notification: Notification) -> str:
    p = notification.params
    return _("A corrective action is yours, due %(due)s: %(what)s") % {
        "due": _day(p.get("due")),
        "what": p.get("description", ""),
    }


def render_action_overdue(notification: Notification) -> str:
    p = notification.params
    return _("A corrective action was due %(due)s and is still open: %(what)s") % {
        "due": _day(p.get("due")),
        "what": p.get("description", ""),
    }


def render_shop_assigned(notification: Notification) -> str:
    p = notification.params
    return _("You have a mystery shop to do by %(until)s.") % {"until": _day(p.get("until"))}


def no_control_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    areas = selectors.uncontrolled_areas(request.user)
    return {"areas": areas[:15], "months": selectors.no_control_months()} if areas else None


def register() -> None:
    mount_urls("quality", "quality/", "kliento.quality.urls", order=40)
    mount_api("quality", "kliento.quality.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *QUALITY_STAFF],
            # A manager sees their own team's evaluations, not everyone's (selectors/access.py).
            roles.MANAGER: [
                *VIEW,
                *(p for p in QUALITY_STAFF if p != "quality.view_all_evaluations"),
                "quality.view_team_evaluations",
            ],
            roles.AUDITOR: [*VIEW, *QUALITY_STAFF],
            roles.STAGE_OWNER: [*VIEW, "quality.view_all_evaluations"],
            roles.AGENT: VIEW,
        }
    )
    for key, label in (
        (checklists.CHECKLIST_CREATED, gettext_lazy("Checklist created")),
        (checklists.CHECKLIST_CHANGED, gettext_lazy("Checklist changed")),
        (checklists.VERSION_DRAFTED, gettext_lazy("Checklist version drafted")),
        (checklists.VERSION_PUBLISHED, gettext_lazy("Checklist version published")),
        (evaluations.EVALUATION_COMPLETED, gettext_lazy("Evaluation completed")),
        (evaluations.EVALUATION_AMENDED, gettext_lazy("Evaluation amended")),
        (evaluations.EXEMPLARY_MARKED, gettext_lazy("Exemplary mark changed")),
        (programme.PLAN_SAVED, gettext_lazy("Audit planned")),
        (programme.SHOP_ASSIGNED, gettext_lazy("Mystery shop assigned")),
        (programme.ACTION_OPENED, gettext_lazy("Corrective action opened")),
        (programme.ACTION_CLOSED, gettext_lazy("Corrective action closed")),
    ):
        audit.register_action(key, label)
    for key, label, render in (
        (
            programme.ACTION_ASSIGNED,
            gettext_lazy("A corrective action was given to you"),
            render_action_assigned,
        ),
        (
            programme.ACTION_OVERDUE,
            gettext_lazy("A corrective action is overdue"),
            render_action_overdue,
        ),
        (
            programme.SHOP_ASSIGNED_NOTICE,
            gettext_lazy("A mystery shop was assigned to you"),
            render_shop_assigned,
        ),
    ):
        register_notification_kind(
            NotificationKind(
                key=key,
                label=label,
                render=render,
                default_email=True,
                permission="quality.view_evaluation",
            )
        )
    register_menu_item(
        MenuItem(
            key="quality.evaluations",
            label=gettext_lazy("Quality control"),
            url_name="quality:evaluations",
            permission="quality.view_evaluation",
            group="analysis",
            order=60,
            active_for=(
                "quality:compliance",
                "quality:evaluations",
                "quality:evaluation",
                "quality:start",
                "quality:checklists",
                "quality:checklist",
                "quality:build",
                "quality:item",
                "quality:plans",
                "quality:assignments",
                "quality:assignment",
                "quality:actions",
                "quality:exemplary",
            ),
        )
    )
    register_home_widget(
        HomeWidget(
            "quality.no_control",
            gettext_lazy("Areas without quality control"),
            "quality/widget_no_control.html",
            no_control_widget,
            "quality.view_evaluation",
            order=25,
        )
    )
    register_periodic_job(PeriodicJob("quality.tick", quality_tick, every=dt.timedelta(hours=1)))
    from kliento.quality import demo

    register_demo_loader(
        DemoLoader("quality", demo.load, depends_on=("standards.book", "touchpoints", "journeys"))
    )
    from kliento.quality import registrations_reviews

    registrations_reviews.register()
