"""What the API, webhooks and web form part of the desk registers: the case hook that queues
webhook events, the periodic jobs (due retries, pruning idempotency keys), audit actions and
the setup page's menu entry."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kliento.core import audit
from kliento.core.models import Notification
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.desk import access, hooks
from kliento.desk.webhooks import delivery, events, services


def render_failed(notification: Notification) -> str:
    params = notification.params
    return gettext("Webhook “%(event)s” to %(url)s failed after %(attempts)s attempts.") % {
        "event": params.get("event", ""),
        "url": params.get("url", ""),
        "attempts": params.get("attempts", ""),
    }


def register() -> None:
    hooks.register_case_hook("desk.webhooks", events.on_case_change, order=900)
    audit.register_action(services.AUDIT_CREATED, _("Webhook endpoint added"))
    audit.register_action(services.AUDIT_CHANGED, _("Webhook endpoint changed"))
    audit.register_action(services.AUDIT_DELETED, _("Webhook endpoint removed"))
    from kliento.desk.idempotency import prune_idempotency_keys
    from kliento.desk.webhooks.tasks import send_due_webhooks

    register_periodic_job(
        PeriodicJob("desk.webhooks.due", send_due_webhooks, dt.timedelta(minutes=1))
    )
    register_periodic_job(
        PeriodicJob("desk.idempotency.prune", prune_idempotency_keys, dt.timedelta(hours=1))
    )
    register_notification_kind(
        NotificationKind(
            key=delivery.FAILED_KIND,
            label=_("A service desk webhook delivery failed"),
            render=render_failed,
            default_email=True,
            permission=access.MANAGE,
        )
    )
    register_menu_item(
        MenuItem(
            key="desk.webhooks",
            label=_("Desk webhooks and web form"),
            url_name="desk:webhooks",
            permission=access.MANAGE,
            group="setup",
            order=90,
            active_for=("desk:webhooks", "desk:webhook"),
        )
    )
