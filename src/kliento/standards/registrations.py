"""What the standards app brings: its pages and API, role grants, audit actions, notification
kinds, two home widgets (the mission; what I must read), the book in global search, the
applicable standards on the client card and the demo book. Called once from `ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, demo_loaders, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.search import SearchHit, SearchProvider, register_search_provider
from kliento.core.types import AuthenticatedHttpRequest
from kliento.standards import selectors, services
from kliento.standards.models import Kind, Standard

READ = ["standards.view_standard", "standards.request_revision"]
MANAGE = ["standards.manage_standards", "standards.view_acknowledgements"]


def _title(notification: Notification) -> str:
    standard = Standard.objects.filter(pk=notification.params.get("standard_id")).first()
    return standard.title if standard else "—"


def render_to_read(notification: Notification) -> str:
    return _("A new version of “%(title)s” was published: please read and acknowledge it.") % {
        "title": _title(notification)
    }


def render_reminder(notification: Notification) -> str:
    return _("Reminder: you have not yet acknowledged “%(title)s”.") % {
        "title": _title(notification)
    }


def render_revision(notification: Notification) -> str:
    actor = notification.actor
    who = (actor.get_full_name() or actor.username) if actor is not None else _("Kliento")
    return _("%(who)s asks for “%(title)s” to be revised.") % {
        "who": who,
        "title": _title(notification),
    }


def mission_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mission = selectors.current_mission()
    return {"mission": mission} if mission is not None else None


def to_read_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    unread = selectors.unread_for(request.user)
    return {"unread": unread} if unread else None


def my_standards_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mine = selectors.owned_needing_attention(request.user)
    return {"mine": mine, "today": timezone.localdate()} if mine else None


def standards_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    found = selectors.applicable(client_id=client.pk)
    if not found.standards:
        return None
    terms = selectors.glossary_terms()
    return {
        "applicable": [
            (item, selectors.render_text(item.body, terms=terms)) for item in found.standards
        ]
    }


def find_standards(user: Any, query: str, limit: int) -> list[SearchHit]:
    kinds = dict(Kind.choices)
    return [
        SearchHit(
            title=s.title,
            url=reverse("standards:detail", args=[s.pk]),
            subtitle=str(kinds.get(s.kind, s.kind)),
        )
        for s in selectors.search_hits(query, limit)
    ]


def _book_search_url(query: str) -> str:
    return reverse("standards:book") + "?" + urlencode({"q": query})


def register() -> None:
    from kliento.standards.tasks import send_due_reminders

    register_periodic_job(
        PeriodicJob("standards.send_due_reminders", send_due_reminders, dt.timedelta(hours=6))
    )
    from kliento.standards.demo import load_demo_standards

    mount_urls("standards", "standards/", "kliento.standards.urls", order=40)
    mount_api("standards", "kliento.standards.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*READ, *MANAGE],
            roles.MANAGER: [*READ, *MANAGE],
            roles.STAGE_OWNER: READ,
            roles.AGENT: READ,
            # Auditors check that standards are known: they see who has read what.
            roles.AUDITOR: [*READ, "standards.view_acknowledgements"],
        }
    )
    for key, label in [
        (services.CREATED, gettext_lazy("Standard created")),
        (services.CHANGED, gettext_lazy("Standard changed")),
        (services.DRAFTED, gettext_lazy("Standard: new draft")),
        (services.EDITED, gettext_lazy("Standard: draft edited")),
        (services.SUBMITTED, gettext_lazy("Standard: sent for review")),
        (services.RETURNED, gettext_lazy("Standard: returned to draft")),
        (services.PUBLISHED, gettext_lazy("Standard published")),
        (services.REVISION_REQUESTED, gettext_lazy("Standard: revision requested")),
        (services.REVISION_RESOLVED, gettext_lazy("Standard: revision request answered")),
        (services.MISSION_DRAFTED, gettext_lazy("Mission: discussion opened")),
        (services.MISSION_EDITED, gettext_lazy("Mission: draft changed")),
        (services.MISSION_PUBLISHED, gettext_lazy("Mission published")),
    ]:
        audit.register_action(key, label)
    for kind in [
        NotificationKind(
            key=services.TO_READ,
            label=gettext_lazy("A standard you must read was published"),
            render=render_to_read,
            default_email=True,
            permission="standards.view_standard",
        ),
        NotificationKind(
            key=services.REMINDER,
            label=gettext_lazy("Reminder of a standard not yet read"),
            render=render_reminder,
            default_email=True,
            permission="standards.view_standard",
        ),
        NotificationKind(
            key=services.REVISION_NOTICE,
            label=gettext_lazy("Someone asks to revise a standard you own"),
            render=render_revision,
            permission="standards.view_standard",
        ),
    ]:
        register_notification_kind(kind)
    register_menu_item(
        MenuItem(
            key="standards",
            label=gettext_lazy("Standards"),
            url_name="standards:book",
            permission="standards.view_standard",
            group="work",
            order=40,
            active_for=("standards:",),
        )
    )
    register_home_widget(
        HomeWidget(
            "standards.mission",
            gettext_lazy("Our service mission"),
            "standards/widget_mission.html",
            mission_widget,
            "standards.view_standard",
            order=1,
            width=12,
        )
    )
    register_home_widget(
        HomeWidget(
            "standards.to_read",
            gettext_lazy("Standards to read"),
            "standards/widget_to_read.html",
            to_read_widget,
            "standards.view_standard",
            order=2,
        )
    )
    register_home_widget(
        HomeWidget(
            "standards.owned",
            gettext_lazy("My standards to review"),
            "standards/widget_owned.html",
            my_standards_widget,
            "standards.view_standard",
            order=3,
        )
    )
    register_search_provider(
        SearchProvider(
            key="standards",
            label=gettext_lazy("Standards"),
            permission="standards.view_standard",
            search=find_standards,
            order=40,
            more_url=_book_search_url,
        )
    )
    register_card_panel(
        CardPanel(
            "standards.applicable",
            "standards/panel_applicable.html",
            standards_panel,
            permission="standards.view_standard",
            order=40,
        )
    )
    # Installed after the touchpoints app, so its demo loader is registered by now: the demo
    # book links to the demo touchpoints when they are there.
    after = tuple(key for key in ("touchpoints",) if key in demo_loaders)
    register_demo_loader(
        DemoLoader("standards.book", load_demo_standards, depends_on=("core.organisation", *after))
    )
