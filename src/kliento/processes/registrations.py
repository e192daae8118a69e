"""What the processes app brings: its pages and API, role grants, timeline kinds, the overdue
notice, the managers' overdue widget, the card's panel and the demo. Called once from
`ProcessesConfig.ready()`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel
from kliento.core import roles
from kliento.core.home import HomeWidget, register_home_widget
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.processes import demo, services
from kliento.processes.panels import overdue_widget, runs_panel

VIEW = ["processes.view_processdefinition", "processes.view_processrun"]
# Whoever cares for a client starts processes and completes the steps of their role.
WORK = ["processes.add_processrun", "processes.change_runstep"]
MANAGE = [
    "processes.add_processdefinition",
    "processes.change_processdefinition",
    "processes.sign_off",
    "processes.complete_any_step",
]


def _step_line(entry: Entry) -> str:
    data = entry.data
    line = _("Step %(position)s of %(steps)s of “%(process)s”") % {
        "position": data.get("position", "?"),
        "steps": data.get("steps", "?"),
        "process": data.get("process", ""),
    }
    if data.get("subject"):
        line += f" · {data['subject']}"
    return line


def describe_started(entry: Entry) -> list[str]:
    data = entry.data
    lines = [entry.summary]
    if data.get("subject"):
        lines.append(str(data["subject"]))
    return lines


def describe_step(entry: Entry) -> list[str]:
    data = entry.data
    lines = [entry.summary, _step_line(entry)]
    if data.get("result"):
        lines.append(str(data["result"]))
    if data.get("attachment"):
        lines.append(_("Attached: %(name)s") % {"name": data["attachment"]})
    if data.get("review"):
        lines.append(_("Awaits a manager's sign-off."))
    return lines


def describe_review(entry: Entry) -> list[str]:
    lines = [entry.summary, _step_line(entry)]
    if entry.data.get("comment"):
        lines.append(str(entry.data["comment"]))
    return lines


def describe_completed(entry: Entry) -> list[str]:
    data = entry.data
    lines = [entry.summary]
    if data.get("subject"):
        lines.append(str(data["subject"]))
    return lines


def render_overdue(notification: Notification) -> str:
    params: dict[str, Any] = notification.params
    due = parse_datetime(str(params.get("due_at", "")))
    return _("“%(step)s” of %(process)s for %(client)s is overdue (due %(when)s).") % {
        "step": params.get("step", ""),
        "process": params.get("process", ""),
        "client": params.get("client", ""),
        "when": date_format(timezone.localtime(due), "SHORT_DATETIME_FORMAT") if due else "—",
    }


def register() -> None:
    from kliento.processes.tasks import notify_overdue_steps

    # Catches notices a delayed task missed (a stopped worker); each notice goes once anyway.
    register_periodic_job(
        PeriodicJob(
            "processes.notify_overdue_steps", notify_overdue_steps, dt.timedelta(minutes=15)
        )
    )
    mount_urls("processes", "processes/", "kliento.processes.urls", order=40)
    mount_api("processes", "kliento.processes.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *WORK, *MANAGE],
            roles.MANAGER: [*VIEW, *WORK, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, *WORK],
            roles.AGENT: [*VIEW, *WORK],
            roles.AUDITOR: VIEW,
        }
    )
    register_menu_item(
        MenuItem(
            key="processes",
            label=gettext_lazy("Processes"),
            url_name="processes:list",
            permission="processes.view_processdefinition",
            group="work",
            order=40,
            active_for=("processes:",),
        )
    )
    for key, label, describe in [
        (services.RUN_STARTED, gettext_lazy("Process started"), describe_started),
        (services.STEP_COMPLETED, gettext_lazy("Process step done"), describe_step),
        (services.CONTROL_ACCEPTED, gettext_lazy("Control point accepted"), describe_review),
        (services.CONTROL_RETURNED, gettext_lazy("Control point sent back"), describe_review),
        (services.RUN_COMPLETED, gettext_lazy("Process completed"), describe_completed),
    ]:
        register_timeline_kind(
            TimelineKind(
                key=key, label=label, permission="processes.view_processrun", describe=describe
            )
        )
    register_notification_kind(
        NotificationKind(
            key=services.STEP_OVERDUE,
            label=gettext_lazy("A process step of yours is overdue"),
            render=render_overdue,
            default_email=True,
            permission="processes.change_runstep",
        )
    )
    register_home_widget(
        HomeWidget(
            "processes.overdue",
            gettext_lazy("Overdue in processes"),
            "processes/widget_overdue.html",
            overdue_widget,
            "processes.sign_off",
            order=15,
        )
    )
    register_card_panel(
        CardPanel(
            "processes.runs",
            "processes/panel_runs.html",
            runs_panel,
            permission="processes.view_processrun",
            order=30,
        )
    )
    demo.register()
