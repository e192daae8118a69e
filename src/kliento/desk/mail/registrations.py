"""What the e-mail channel plugs in: the hook that mails replies and acknowledgements, the
periodic mailbox reading, the "mailbox failing" notification, audit actions and the setup
page's menu entry. Called from kliento.desk.registrations.register()."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.core import audit
from kliento.core.models import Notification
from kliento.core.navigation import MenuItem, register_menu_item
from kliento.core.notifications import NotificationKind, register_notification_kind
from kliento.core.schedule import PeriodicJob, register_periodic_job
from kliento.desk import access, hooks
from kliento.desk.hooks import CaseChange
from kliento.desk.mail import imap, mailboxes, outbound, tasks
from kliento.desk.models import Message

MAIL_CHANNELS = outbound.MAIL_CHANNELS


def on_case_change(change: CaseChange) -> None:
    """Queue the mail a change calls for, once its transaction commits."""
    case = change.case
    if change.kind == "opened" and case.channel in MAIL_CHANNELS:
        if getattr(settings, "KLIENTO_DESK_ACKNOWLEDGE", True):
            transaction.on_commit(partial(tasks.send_acknowledgement.enqueue, case.pk), robust=True)
        return
    message = change.message
    if (
        change.kind == "message"
        and message is not None
        and message.direction == Message.Direction.OUTBOUND
        and message.delivery == Message.Delivery.PENDING
        and message.channel in MAIL_CHANNELS
    ):
        transaction.on_commit(partial(tasks.send_reply.enqueue, message.pk), robust=True)


def render_mailbox_failing(notification: Notification) -> str:
    return _("The mailbox “%(name)s” cannot be read: %(error)s") % {
        "name": notification.params.get("name", ""),
        "error": notification.params.get("error", ""),
    }


def register() -> None:
    hooks.register_case_hook("mail.outbound", on_case_change, order=400)
    register_periodic_job(
        PeriodicJob("desk.fetch_mailboxes", tasks.fetch_mailboxes, dt.timedelta(minutes=1))
    )
    register_notification_kind(
        NotificationKind(
            key=imap.MAILBOX_FAILING,
            label=gettext_lazy("A service desk mailbox cannot be read"),
            render=render_mailbox_failing,
            default_email=True,
            permission=access.MANAGE,
        )
    )
    audit.register_action(mailboxes.MAILBOX_SAVED, gettext_lazy("Service desk mailbox saved"))
    audit.register_action(mailboxes.MAILBOX_DELETED, gettext_lazy("Service desk mailbox deleted"))
    register_menu_item(
        MenuItem(
            key="desk_mailboxes",
            label=gettext_lazy("Desk mailboxes"),
            url_name="desk:mailboxes",
            permission=access.MANAGE,
            group="setup",
            order=60,
            active_for=("desk:mailboxes", "desk:mailbox_create", "desk:mailbox_edit"),
        )
    )
