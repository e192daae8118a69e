"""Setting up mailboxes (the manager's page): every change goes to the audit log, without the
password."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kliento.core import audit
from kliento.core.types import Actor
from kliento.desk.models import Mailbox

MAILBOX_SAVED = "desk.mailbox_saved"
MAILBOX_DELETED = "desk.mailbox_deleted"
FIELDS = ("name", "address", "host", "port", "use_ssl", "username", "folder", "team", "active")


def _snapshot(box: Mailbox) -> dict[str, Any]:
    data = {name: getattr(box, name) for name in FIELDS if name != "team"}
    data["team"] = box.team_id
    return data


@transaction.atomic
def save_mailbox(*, actor: Actor, mailbox: Mailbox, password: str = "") -> Mailbox:
    """Save a mailbox from the form. An empty password keeps the stored one; a changed server,
    user or folder starts reading the folder afresh, and any change clears the backoff."""
    before = Mailbox.objects.filter(pk=mailbox.pk).first() if mailbox.pk is not None else None
    if password:
        mailbox.password = password
    elif before is not None:
        mailbox.password = before.password
    if before is not None and (
        (before.host, before.username, before.folder)
        != (mailbox.host, mailbox.username, mailbox.folder)
    ):
        mailbox.uidvalidity = None
        mailbox.last_uid = 0
    mailbox.failures = 0
    mailbox.next_check_at = None
    mailbox.save()
    data = _snapshot(mailbox)
    if password:
        data["password"] = "changed"
    audit.record(actor=actor, action=MAILBOX_SAVED, target=mailbox, data=data)
    return mailbox


@transaction.atomic
def delete_mailbox(*, actor: Actor, mailbox: Mailbox) -> None:
    audit.record(actor=actor, action=MAILBOX_DELETED, target=mailbox, data=_snapshot(mailbox))
    mailbox.delete()
