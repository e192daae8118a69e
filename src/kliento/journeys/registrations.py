"""What the journeys app brings: its pages and API, role grants, the "moved" timeline kind, the
new-owner notification, audit actions, the card panel, the merge handler and the demo."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.registry import CardPanel, register_card_panel, register_merge_handler
from kliento.core import audit, roles
from kliento.core.demo import DemoLoader, register_demo_loader
from kliento.core.models import Notification
from kliento.core.mounts import mount_api, mount_urls
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.core.timeline import Entry, TimelineKind, register_timeline_kind
from kliento.journeys import demo, merging, panels, services
from kliento.journeys.models import MoveRule, Stage

VIEW = ["journeys.view_journey"]
MOVE = ["journeys.move_client"]
MANAGE = ["journeys.manage_journey"]


def describe_move(entry: Entry) -> list[str]:
    data = entry.data
    ids = [data.get("from_stage_id"), data.get("to_stage_id")]
    names = {
        pk: name
        for pk, name in Stage.objects.filter(pk__in=[i for i in ids if i]).values_list("pk", "name")
    }
    gone = _("(a stage since removed)")
    to = names.get(data.get("to_stage_id") or 0, gone)
    if data.get("from_stage_id"):
        line = _("%(from)s → %(to)s") % {"from": names.get(data["from_stage_id"], gone), "to": to}
    else:
        line = _("Placed at %(to)s") % {"to": to}
    lines = [line]
    if data.get("rule_id"):
        rule = MoveRule.objects.filter(pk=data["rule_id"]).values_list("name", flat=True).first()
        lines.append(_("By the rule “%(rule)s”") % {"rule": rule or entry.summary})
    elif entry.summary:
        reason = _("Reason: %(reason)s") % {"reason": entry.summary}
        lines.append(_("Forced. %(reason)s") % {"reason": reason} if data.get("forced") else reason)
    return lines


def render_owner_given(notification: Notification) -> str:
    params = notification.params
    return _("You now own the stage “%(stage)s” of the journey “%(journey)s”.") % {
        "stage": params.get("stage", ""),
        "journey": params.get("journey", ""),
    }


def _register_metrics() -> None:
    """The app's figures in the metric layer, when that layer is installed."""
    from django.apps import apps

    if apps.is_installed("kliento.metrics"):
        from kliento.journeys import metrics

        metrics.register()


def register() -> None:
    _register_metrics()
    from kliento.journeys.rollup import REFRESH_EVERY
    from kliento.journeys.tasks import apply_move_rules, refresh_board_figures

    # Rules are incremental (a watermark per rule), so an hourly run is cheap.
    register_periodic_job(
        PeriodicJob("journeys.apply_move_rules", apply_move_rules, dt.timedelta(hours=1))
    )
    # The boards show these figures with their time; see journeys.rollup.
    register_periodic_job(
        PeriodicJob("journeys.refresh_board_figures", refresh_board_figures, REFRESH_EVERY)
    )
    mount_urls("journeys", "journeys/", "kliento.journeys.urls", order=30)
    mount_api("journeys", "kliento.journeys.api.router")
    roles.register_grants(
        {
            roles.ADMINISTRATOR: [*VIEW, *MOVE, *MANAGE],
            roles.MANAGER: [*VIEW, *MOVE, *MANAGE],
            roles.STAGE_OWNER: [*VIEW, *MOVE],
            roles.AGENT: [*VIEW, *MOVE],
            roles.AUDITOR: VIEW,
        }
    )
    register_menu_item(
        MenuItem(
            key="journeys",
            label=gettext_lazy("Customer journey"),
            url_name="journeys:index",
            permission="journeys.view_journey",
            group="work",
            order=30,
            active_for=("journeys:",),
        )
    )
    register_timeline_kind(
        TimelineKind(
            key=services.MOVED,
            label=gettext_lazy("Moved on the customer journey"),
            permission="journeys.view_journey",
            describe=describe_move,
        )
    )
    register_notification_kind(
        NotificationKind(
            key=services.OWNER_GIVEN,
            label=gettext_lazy("You were made the owner of a stage"),
            render=render_owner_given,
            default_email=True,
            permission="journeys.view_journey",
        )
    )
    for key, label in [
        ("journey.created", gettext_lazy("Journey created")),
        ("journey.stage_owner_changed", gettext_lazy("Stage owner changed")),
        ("journey.rule_saved", gettext_lazy("Journey move rule saved")),
        ("journey.rule_deleted", gettext_lazy("Journey move rule deleted")),
        ("journey.baseline_taken", gettext_lazy("Journey baseline saved")),
    ]:
        audit.register_action(key, label)
    register_card_panel(
        CardPanel(
            "journeys.stages",
            "journeys/panel.html",
            panels.stage_panel,
            permission="journeys.view_journey",
            order=30,
        )
    )
    register_merge_handler("journeys.ClientStage", merging.reconcile)
    register_demo_loader(DemoLoader("journeys", demo.load, depends_on=("clients",)))
