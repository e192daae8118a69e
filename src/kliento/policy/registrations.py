"""What the policy app brings: its pages and API, role grants, audit actions, notification
kinds, home widgets (policies to read; reviews due and broken escalation lists for the owner),
the pilot badge on the client card and the demo policy. Called once from `ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy import selectors, services
from kliento.policy.models import Policy

VIEW = "policy.view_policy"
READ = [VIEW, "policy.give_policy_feedback"]
MANAGE = [
    "policy.manage_policies",
    "policy.view_unpublished_policies",
    "policy.view_policy_acknowledgements",
]


def _title(notification: Notification) -> str:
    policy = Policy.objects.filter(pk=notification.params.get("policy_id")).first()
    return policy.title if policy else "—"


def render_to_read(notification: Notification) -> str:
    return _("A new version of the policy “%(title)s” was published: please read it.") % {
        "title": _title(notification)
    }


def render_reminder(notification: Notification) -> str:
    return _("Reminder: you have not yet acknowledged the policy “%(title)s”.") % {
        "title": _title(notification)
    }


def render_pilot(notification: Notification) -> str:
    return _("You are in the pilot of the policy “%(title)s”: tell us how it works.") % {
        "title": _title(notification)
    }


def describe_joined(entry: Entry) -> list[str]:
    policy_id = entry.data.get("policy_id")
    policy = Policy.objects.filter(pk=policy_id).first() if isinstance(policy_id, int) else None
    if policy is None:
        return []
    return [_("Pilot of the policy “%(title)s”") % {"title": policy.title}]


def to_read_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    unread = selectors.unread_for(request.user)
    return {"unread": unread} if unread else None


def attention_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    """For a policy's owner: reviews that are due, escalation lists that broke."""
    overdue = list(selectors.overdue_reviews(owner=request.user))
    owned = Policy.objects.filter(owner=request.user)
    broken = [
        item for policy in owned for item in selectors.invalid_escalation_lists(policy=policy)
    ]
    if not overdue and not broken:
        return None
    return {"overdue": overdue, "broken": broken}


def pilot_badge(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    """The pilot badge for a client in a running pilot; for a manager, also the open pilots
    the client can join."""
    found = selectors.client_pilots(client.pk)
    joinable = (
        selectors.joinable_pilots(client.pk)
        if request.user.has_perm("policy.manage_policies")
        else []
    )
    if not found and not joinable:
        return None
    return {"pilots": found, "joinable": joinable}


def register() -> None:
    from kliento.policy.tasks import send_due_reminders

    register_periodic_job(
        PeriodicJob("policy.send_due_reminders", send_due_reminders, dt.timedelta(hours=6))
    )
    from kliento.policy.demo import load_demo_policy

    mount_urls("policy", "policy/", "kliento.policy.urls", order=45)
    mount_api("policy", "kliento.policy.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*READ, *MANAGE],
            roles.MANAGER: [*READ, *MANAGE],
            roles.STAGE_OWNER: READ,
            roles.AGENT: READ,
            # Auditors read everything, drafts and pilots included, and who has read what;
            # they change nothing.
            roles.AUDITOR: [
                VIEW,
                "policy.view_unpublished_policies",
                "policy.view_policy_acknowledgements",
            ],
        }
    )
    for key, label in [
        (services.CREATED, gettext_lazy("Policy created")),
        (services.CHANGED, gettext_lazy("Policy changed")),
        (services.DRAFTED, gettext_lazy("Policy: new draft")),
        (services.EDITED, gettext_lazy("Policy: draft edited")),
        (services.PUBLISHED, gettext_lazy("Policy published")),
        (services.REVIEWED, gettext_lazy("Policy reviewed")),
        (services.PILOT_CREATED, gettext_lazy("Policy: pilot planned")),
        (services.PILOT_CLIENTS, gettext_lazy("Policy: clients added to a pilot")),
        (services.PILOT_STARTED, gettext_lazy("Policy: pilot started")),
        (services.PILOT_ENDED, gettext_lazy("Policy: pilot ended")),
        (services.FEEDBACK_GIVEN, gettext_lazy("Policy: feedback recorded")),
    ]:
        audit.register_action(key, label)
    register_timeline_kind(
        TimelineKind(
            key=services.JOINED_PILOT,
            label=gettext_lazy("Joined a service policy pilot"),
            permission=VIEW,
            describe=describe_joined,
        )
    )
    for kind in [
        NotificationKind(
            key=services.TO_READ,
            label=gettext_lazy("A service policy you must read was published"),
            render=render_to_read,
            default_email=True,
            permission=VIEW,
        ),
        NotificationKind(
            key=services.REMINDER,
            label=gettext_lazy("Reminder of a service policy not yet read"),
            render=render_reminder,
            default_email=True,
            permission=VIEW,
        ),
        NotificationKind(
            key=services.PILOT_NOTICE,
            label=gettext_lazy("A policy pilot you take part in has started"),
            render=render_pilot,
            permission=VIEW,
        ),
    ]:
        register_notification_kind(kind)
    register_menu_item(
        MenuItem(
            key="policy",
            label=gettext_lazy("Service policy"),
            url_name="policy:list",
            permission=VIEW,
            group="work",
            order=45,
            active_for=("policy:",),
        )
    )
    register_home_widget(
        HomeWidget(
            "policy.to_read",
            gettext_lazy("Service policies to read"),
            "policy/widget_to_read.html",
            to_read_widget,
            VIEW,
            order=3,
        )
    )
    register_home_widget(
        HomeWidget(
            "policy.attention",
            gettext_lazy("Your policies: reviews and escalation lists"),
            "policy/widget_attention.html",
            attention_widget,
            VIEW,
            order=4,
        )
    )
    register_card_panel(
        CardPanel(
            "policy.pilot",
            "policy/panel_pilot.html",
            pilot_badge,
            permission=VIEW,
            order=5,
        )
    )
    register_demo_loader(
        DemoLoader("policy.demo", load_demo_policy, depends_on=("standards.book", "clients"))
    )
