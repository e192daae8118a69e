"""What the activities app brings: its pages and API, role grants, timeline kinds, the task
notification, the "My tasks" home widget and two panels on the client card. Called once from
`ActivitiesConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from kliento.activities import demo, selectors, services
from kliento.activities.models import Activity
from kliento.activities.panels import log_panel, tasks_panel
from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import roles
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind, related
from kliento.core.types import AuthenticatedHttpRequest

VIEW = ["activities.view_activity", "activities.view_task"]
# Whoever cares for a client logs contacts and works on tasks.
CARE = ["activities.add_activity", "activities.add_task", "activities.change_task"]
MANAGE = ["activities.manage_tasks"]


# ---------------------------------------------------------------------------------------------
# How entries and notifications read (at display time, in the reader's language)


def _when(day: str | None, clock: str | None = None) -> str:
    try:
        text = date_format(dt.date.fromisoformat(day or ""), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(day or "")
    if clock:
        try:
            text += " " + time_format(dt.time.fromisoformat(clock), "TIME_FORMAT")
        except ValueError:
            text += f" {clock}"
    return text


def _person(entry: Entry, user_id: Any) -> str:
    user = related(entry, get_user_model(), user_id) if user_id else None
    if user is None:
        return "—"
    return str(user.get_full_name() or user.username)  # type: ignore[attr-defined]


def task_references(entry: Entry) -> list[tuple[type[Any], Any]]:
    return [(get_user_model(), entry.data.get("assignee_id"))]


def reassigned_references(entry: Entry) -> list[tuple[type[Any], Any]]:
    return [(get_user_model(), entry.data.get(key)) for key in ("from_id", "to_id")]


def describe_reassigned(entry: Entry) -> list[str]:
    data = entry.data
    return [
        entry.summary,
        _("From %(before)s to %(after)s")
        % {
            "before": _person(entry, data.get("from_id")),
            "after": _person(entry, data.get("to_id")),
        },
    ]


def describe_activity(entry: Entry) -> list[str]:
    data = entry.data
    kinds, directions = dict(Activity.Kind.choices), dict(Activity.Direction.choices)
    parts = [str(kinds.get(data.get("kind", ""), data.get("kind", "")))]
    if data.get("direction"):
        parts.append(str(directions.get(data["direction"], data["direction"])))
    if isinstance(data.get("duration"), int):
        minutes = data["duration"]
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    lines = [" · ".join(parts)]
    if entry.summary:
        lines.append(entry.summary)
    if data.get("excerpt"):
        lines.append(str(data["excerpt"]))
    return lines


def describe_task_added(entry: Entry) -> list[str]:
    data = entry.data
    return [
        entry.summary,
        _("Due %(when)s; assignee: %(person)s")
        % {
            "when": _when(data.get("due_on"), data.get("due_time")),
            "person": _person(entry, data.get("assignee_id")),
        },
    ]


def describe_task(entry: Entry) -> list[str]:
    return [entry.summary] if entry.summary else []


def render_assigned(notification: Notification) -> str:
    params = notification.params
    actor = notification.actor
    who = (actor.get_full_name() or actor.username) if actor is not None else _("Kliento")
    return _("%(who)s gave you a task for %(client)s: %(title)s (due %(when)s).") % {
        "who": who,
        "client": params.get("client", ""),
        "title": params.get("title", ""),
        "when": _when(params.get("due_on"), params.get("due_time")),
    }


# ---------------------------------------------------------------------------------------------
# The home widget and the card's panels


def my_tasks_widget(request: AuthenticatedHttpRequest) -> dict[str, Any] | None:
    mine = selectors.my_tasks(request.user)
    return {"mine": mine} if mine.total else None


def register() -> None:
    demo.register()
    mount_urls("activities", "activities/", "kliento.activities.urls", order=20)
    mount_api("activities", "kliento.activities.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *CARE, *MANAGE],
            roles.MANAGER: [*VIEW, *CARE, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, *CARE],
            roles.AGENT: [*VIEW, *CARE],
            roles.AUDITOR: VIEW,
        }
    )
    for key, label, permission, describe in [
        (
            services.ACTIVITY_LOGGED,
            gettext_lazy("Activity logged"),
            "activities.view_activity",
            describe_activity,
        ),
        (
            services.TASK_ADDED,
            gettext_lazy("Task added"),
            "activities.view_task",
            describe_task_added,
        ),
        (services.TASK_DONE, gettext_lazy("Task done"), "activities.view_task", describe_task),
        (
            services.TASK_REOPENED,
            gettext_lazy("Task reopened"),
            "activities.view_task",
            describe_task,
        ),
        (
            services.TASK_REASSIGNED,
            gettext_lazy("Task handed on"),
            "activities.view_task",
            describe_reassigned,
        ),
    ]:
        register_timeline_kind(
            TimelineKind(
                key=key,
                label=label,
                permission=permission,
                describe=describe,
                references={
                    services.TASK_ADDED: task_references,
                    services.TASK_REASSIGNED: reassigned_references,
                }.get(key),
            )
        )
    register_notification_kind(
        NotificationKind(
            key=services.TASK_ASSIGNED,
            label=gettext_lazy("A task was given to you"),
            render=render_assigned,
            default_email=True,
            permission="activities.view_task",
        )
    )
    register_home_widget(
        HomeWidget(
            "activities.my_tasks",
            gettext_lazy("My tasks"),
            "activities/widget_tasks.html",
            my_tasks_widget,
            "activities.view_task",
            order=5,
        )
    )
    register_card_panel(
        CardPanel(
            "activities.tasks",
            "activities/panel_tasks.html",
            tasks_panel,
            permission="activities.view_task",
            order=10,
        )
    )
    register_card_panel(
        CardPanel(
            "activities.log",
            "activities/panel_log.html",
            log_panel,
            permission="activities.add_activity",
            order=20,
        )
    )
