"""What the SLA part of the desk registers: the case hooks (clock before escalation, both
before every other hook), the periodic jobs, notification kinds, audit actions, the setup
menu entry and the demo loader. Called from kliento.desk.registrations.register()."""

from __future__ import annotations

import datetime as dt

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.core.models import Notification
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.desk import access, hooks
from kliento.desk.models import SlaTarget
from kliento.desk.sla import alerts, clock, escalation, setup

# Hook order: the clock first, then escalation (which reads the status the clock saw); other
# hooks (order 100 and up) see the due times already right.
CLOCK_ORDER = 10
ESCALATION_ORDER = 20
DEMO_KEY = "desk.sla"
SETUP_VIEWS = (
    "sla_setup",
    "sla_calendar_create",
    "sla_calendar_edit",
    "sla_calendar_delete",
    "sla_policy_create",
    "sla_policy_edit",
    "sla_policy_delete",
)


def _target(notification: Notification) -> str:
    code = notification.params.get("target")
    return str(dict(SlaTarget.choices).get(str(code), code))


def _when(notification: Notification) -> str:
    from django.utils import formats, timezone

    raw = notification.params.get("due_at")
    moment = parse_datetime(str(raw)) if raw else None
    if moment is None:
        return "—"
    return str(formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT"))


def render_warning(notification: Notification) -> str:
    return _("%(number)s “%(subject)s”: %(target)s is due at %(due)s.") % {
        "number": notification.params.get("number", "—"),
        "subject": notification.params.get("subject", ""),
        "target": _target(notification),
        "due": _when(notification),
    }


def render_breach(notification: Notification) -> str:
    return _("%(number)s “%(subject)s”: %(target)s was due at %(due)s and is late.") % {
        "number": notification.params.get("number", "—"),
        "subject": notification.params.get("subject", ""),
        "target": _target(notification),
        "due": _when(notification),
    }


def render_escalated(notification: Notification) -> str:
    return _(
        "%(number)s “%(subject)s” is unresolved and escalated to you (level %(level)s of "
        "“%(procedure)s”)."
    ) % {
        "number": notification.params.get("number", "—"),
        "subject": notification.params.get("subject", ""),
        "level": notification.params.get("level", "—"),
        "procedure": notification.params.get("procedure", ""),
    }


def _load_demo(options: DemoOptions) -> None:
    from kliento.desk.sla.demo import load_demo_sla

    load_demo_sla(report=options.report)


def register() -> None:
    from kliento.desk.sla.tasks import check_sla, escalate

    hooks.register_case_hook("desk.sla_clock", clock.on_case_change, order=CLOCK_ORDER)
    hooks.register_case_hook("desk.escalation", escalation.on_case_change, order=ESCALATION_ORDER)
    register_periodic_job(PeriodicJob("desk.check_sla", check_sla, dt.timedelta(minutes=1)))
    register_periodic_job(PeriodicJob("desk.escalate", escalate, dt.timedelta(minutes=1)))
    for kind in (
        NotificationKind(
            key=alerts.WARNING,
            label=gettext_lazy("A case's SLA target is about to be missed"),
            render=render_warning,
            permission=access.WORK,
        ),
        NotificationKind(
            key=alerts.BREACH,
            label=gettext_lazy("A case's SLA target was missed"),
            render=render_breach,
            default_email=True,
            permission=access.WORK,
        ),
        NotificationKind(
            key=escalation.ESCALATED,
            label=gettext_lazy("An unresolved case was escalated to you"),
            render=render_escalated,
            default_email=True,
        ),
    ):
        register_notification_kind(kind)
    for key, label in (
        (setup.CALENDAR_SAVED, gettext_lazy("Service desk: business calendar saved")),
        (setup.CALENDAR_DELETED, gettext_lazy("Service desk: business calendar deleted")),
        (setup.POLICY_SAVED, gettext_lazy("Service desk: SLA policy saved")),
        (setup.POLICY_DELETED, gettext_lazy("Service desk: SLA policy deleted")),
    ):
        audit.register_action(key, label)
    register_menu_item(
        MenuItem(
            key="desk.sla_setup",
            label=gettext_lazy("SLA and business hours"),
            url_name="desk:sla_setup",
            permission=access.MANAGE,
            group="setup",
            order=60,
            active_for=tuple(f"desk:{name}" for name in SETUP_VIEWS),
        )
    )
    # Other desk demo loaders list DEMO_KEY in depends_on, so policies exist before cases.
    register_demo_loader(DemoLoader(DEMO_KEY, _load_demo))
