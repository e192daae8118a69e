"""What the motivation app brings: KPI sources, pages, API, roles, audit actions,
notifications, the menu, a home widget and demo data. Called once from
`MotivationConfig.ready()`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, demo_loaders, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.types import AuthenticatedHttpRequest
from kliento.motivation import access, selectors, sources
from kliento.motivation.services import recognition, schemes, statements

VIEW = ["motivation.view_statement", "motivation.view_scheme", access.THANK]
MANAGER = [access.REVIEW, access.MANAGE]
ADMIN = [*MANAGER, access.VIEW_ALL, access.EXPORT]


def render_ready(notification: Notification) -> str:
    p = notification.params
    return _("The statement of %(employee)s from %(start)s is ready for your review.") % {
        "employee": p.get("employee", ""),
        "start": p.get("start", ""),
    }


def render_approved(notification: Notification) -> str:
    p = notification.params
    return _("Your statement from %(start)s was approved: %(total)s %(currency)s.") % {
        "start": p.get("start", ""),
        "total": p.get("total", ""),
        "currency": p.get("currency", ""),
    }


def render_thanked(notification: Notification) -> str:
    return _("%(sender)s thanked you; it is on the recognition feed.") % {
        "sender": notification.params.get("sender", "")
    }


def kpis_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    scheme, kpis = selectors.kpis_now(request.user)
    return {"scheme": scheme, "kpis": kpis} if scheme and kpis else None


def register() -> None:
    sources.register()
    mount_urls("motivation", "", "kliento.motivation.urls", order=60)
    mount_api("motivation", "kliento.motivation.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *ADMIN],
            roles.MANAGER: [*VIEW, *MANAGER],
            roles.STAGE_OWNER: VIEW,
            roles.AGENT: VIEW,
            roles.AUDITOR: VIEW,
        }
    )
    for key, label in (
        (schemes.SCHEME_SAVED, gettext_lazy("Motivation scheme saved")),
        (statements.STATEMENT_DRAFTED, gettext_lazy("Statement drafted")),
        (statements.STATEMENT_REVIEWED, gettext_lazy("Statement reviewed")),
        (statements.STATEMENT_APPROVED, gettext_lazy("Statement approved")),
        (statements.STATEMENT_ADJUSTED, gettext_lazy("Statement adjusted")),
    ):
        audit.register_action(key, label)
    for key, label, render, permission in (
        (
            statements.READY_FOR_REVIEW,
            gettext_lazy("A statement is ready for your review"),
            render_ready,
            access.REVIEW,
        ),
        (
            statements.STATEMENT_APPROVED,
            gettext_lazy("Your statement was approved"),
            render_approved,
            "motivation.view_statement",
        ),
        (
            recognition.THANKED,
            gettext_lazy("A colleague thanked you"),
            render_thanked,
            "motivation.view_statement",
        ),
    ):
        register_notification_kind(
            NotificationKind(
                key=key, label=label, render=render, default_email=True, permission=permission
            )
        )
    register_menu_item(
        MenuItem(
            key="motivation.home",
            label=gettext_lazy("KPIs and statements"),
            url_name="motivation:home",
            permission="motivation.view_statement",
            group="work",
            order=70,
            active_for=("motivation:home", "motivation:statement"),
        )
    )
    register_menu_item(
        MenuItem(
            key="motivation.recognition",
            label=gettext_lazy("Recognition"),
            url_name="motivation:recognition",
            permission="motivation.view_statement",
            group="work",
            order=46,
            active_for=("motivation:recognition",),
        )
    )
    register_home_widget(
        HomeWidget(
            "motivation.kpis",
            gettext_lazy("My KPIs this period"),
            "motivation/widget_kpis.html",
            kpis_widget,
            "motivation.view_statement",
            order=14,
        )
    )
    from kliento.motivation import demo

    # After the demos whose records the KPIs read, when those apps are installed.
    after = tuple(k for k in ("surveys", "desk", "quality", "qareview") if k in demo_loaders)
    register_demo_loader(
        DemoLoader("motivation", demo.load, depends_on=("core.organisation", *after))
    )
