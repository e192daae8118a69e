"""Reads of the e-mail channel for the conversation view and the setup pages."""

from __future__ import annotations

from django.db.models import QuerySet

from kliento.desk.mail.quoting import Parts, split_quoted
from kliento.desk.models import InboundMail, Mailbox, Message


def message_parts(message: Message) -> Parts:
    """What the client wrote in this message, and the quoted history to show folded."""
    if message.direction != Message.Direction.INBOUND:
        return Parts(new=message.body_text, quoted="")
    return split_quoted(message.body_text)


def raw_of(message: Message) -> InboundMail | None:
    """The stored raw message a message was read from (managers may download it)."""
    return InboundMail.objects.filter(message=message).order_by("id").first()


def mailboxes() -> QuerySet[Mailbox]:
    return Mailbox.objects.select_related("team").order_by("name", "pk")


def recent_failures(limit: int = 50) -> QuerySet[InboundMail]:
    """Messages that could not be read or were refused, newest first."""
    return InboundMail.objects.filter(
        state__in=[InboundMail.State.FAILED, InboundMail.State.REJECTED]
    ).defer("raw")[:limit]
