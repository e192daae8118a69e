"""Messages from connectors (chat widgets, messengers, social networks): a conversation
thread of the channel feeds one case; a message after the case was closed opens a follow-up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kliento.core.channels import Channel
from kliento.core.types import Actor
from kliento.desk.models import Case, ConnectorThread, Message
from kliento.desk.services.cases import CaseDraft, MessageDraft, add_message, open_case
from kliento.desk.services.senders import client_for

# E-mail has its own inbound path (threading by headers), the web form and phone theirs.
CONNECTOR_CHANNELS = (Channel.CHAT, Channel.MESSENGER, Channel.SOCIAL, Channel.SMS)
SUBJECT_FROM_TEXT = 80


@dataclass
class Inbound:
    channel: str
    thread_id: str
    message_id: str
    author_name: str = ""
    author_address: str = ""
    text: str = ""
    html: str = ""
    subject: str = ""
    sent_at: dt.datetime | None = None


@dataclass(frozen=True)
class Received:
    case: Case
    message: Message
    created_case: bool


def _subject(item: Inbound) -> str:
    if item.subject.strip():
        return item.subject
    first = " ".join((item.text or "").split())[:SUBJECT_FROM_TEXT]
    return first or _("Message via %(channel)s") % {"channel": Channel(item.channel).label}


def _claim_thread(channel: str, thread_id: str) -> ConnectorThread:
    """The thread's row, locked until the caller's transaction ends. Of two messages of a new
    thread at once, one inserts the row; the other waits on the unique index, then reads it."""
    try:
        with transaction.atomic():
            return ConnectorThread.objects.create(channel=channel, external_thread_id=thread_id)
    except IntegrityError:
        return ConnectorThread.objects.select_for_update().get(
            channel=channel, external_thread_id=thread_id
        )


def _sender_kind(channel: str, address: str) -> str:
    """Which kind of contact the author's address is: an e-mail or a number finds the client
    who has it on their card; anything else is a handle."""
    text = address.strip()
    digits = sum(ch.isdigit() for ch in text)
    if channel == Channel.SMS or (
        digits >= 5 and all(ch.isdigit() or ch in "+-() ." for ch in text)
    ):
        return "phone"
    if "@" in address and "." in address.rsplit("@", 1)[-1]:
        return "email"
    return "messenger"


def _current(case: Case) -> Case:
    """Where the thread's messages go now: a merged case's survivor."""
    seen = set()
    while case.merged_into_id is not None and case.pk not in seen:
        seen.add(case.pk)
        case = Case.objects.get(pk=case.merged_into_id)
    return case


@transaction.atomic
def receive(*, actor: Actor, item: Inbound) -> Received:
    if item.channel not in CONNECTOR_CHANNELS:
        raise ValidationError(
            {
                "channel": _("Choose one of: %(channels)s.")
                % {"channels": ", ".join(str(c) for c in CONNECTOR_CHANNELS)}
            }
        )
    thread = _claim_thread(item.channel, item.thread_id)
    draft = MessageDraft(
        direction=Message.Direction.INBOUND,
        channel=item.channel,
        body_text=item.text,
        body_html=item.html,
        author_name=item.author_name,
        author_address=item.author_address,
        external_id=item.message_id,
        created_at=item.sent_at,
    )
    case = _current(thread.case) if thread.case_id is not None and thread.case else None
    if case is not None:
        seen = Message.objects.filter(
            case__in=[case.pk, thread.case_id], external_id=item.message_id[:255]
        ).first()
        if seen is not None:
            return Received(seen.case, seen, created_case=False)
        if case.status != Case.Status.CLOSED:
            message = add_message(actor=actor, case=case, draft=draft)
            return Received(case, message, created_case=False)
    client = (
        case.client
        if case is not None
        else client_for(
            actor=actor,
            kind=_sender_kind(item.channel, item.author_address),
            value=item.author_address or f"{item.channel}:{item.thread_id}",
            name=item.author_name,
        )
    )
    opened = open_case(
        actor=actor,
        draft=CaseDraft(
            subject=_subject(item),
            client=client,
            channel=item.channel,
            team=case.team if case is not None else None,
            follow_up_of=case,
        ),
        message=draft,
    )
    thread.case = opened
    thread.save(update_fields=["case"])
    first = opened.messages.order_by("-id").first()
    assert first is not None
    return Received(opened, first, created_case=True)
