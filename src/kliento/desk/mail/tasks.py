"""Background work of the e-mail channel. Each task is safe to run twice: sends are claimed by
their OutboundMail row, mailboxes by a lease, stored messages by their state."""

from __future__ import annotations

from django.tasks import task

from kliento.desk.mail import imap, outbound


@task()
def send_reply(message_id: int) -> str:
    return outbound.send_reply(message_id)


@task()
def send_acknowledgement(case_id: int) -> str:
    return outbound.send_acknowledgement(case_id)


@task()
def fetch_mailboxes() -> dict[str, int]:
    """The periodic job: read every due mailbox and messages stored but never read; send the
    replies whose task was lost."""
    totals = imap.check_due()
    totals["unsent_replies_sent"] = outbound.send_unsent()
    return totals
