"""Inbound mail: store the raw bytes first, then read them into a case.

`store` is one small INSERT that cannot fail on content; `process` reads the stored message in
its own transaction. A crash, a bug or a bad message while reading rolls back only the reading:
the row stays (failed, with the error) and `reprocess` reads it again. See
docs/decisions/0025-raw-mail-stored-first.md.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as client_selectors
from kliento.core.channels import Channel
from kliento.core.db import is_busy, is_conflict, retry_on_conflict
from kliento.desk import rules
from kliento.desk.mail import limits, loops, threading
from kliento.desk.mail.html import sanitise
from kliento.desk.mail.parsing import ParsedMail, parse
from kliento.desk.models import InboundMail, Mailbox, Message, OutboundMail
from kliento.desk.services import cases as case_services
from kliento.desk.services import senders

logger = logging.getLogger(__name__)
State = InboundMail.State


def store(
    raw: bytes,
    *,
    source: str,
    mailbox: Mailbox | None = None,
    envelope_from: str = "",
    envelope_to: Iterable[str] = (),
    state: str = State.PENDING,
    error: str = "",
) -> InboundMail:
    return InboundMail.objects.create(
        raw=raw,
        size=len(raw),
        received_at=timezone.now(),
        source=source,
        mailbox=mailbox,
        envelope_from=envelope_from[:254],
        envelope_to=", ".join(envelope_to)[:1000],
        state=state,
        error=error,
        processed_at=timezone.now() if state != State.PENDING else None,
    )


def receive(raw: bytes, **where: Any) -> InboundMail:
    """Store a delivered message and read it."""
    return process(store(raw, **where).pk)


def reprocess(raw_id: int) -> InboundMail:
    """Read a stored message again (after a failure, or a fix of the reader). One already
    read into a case is left as it is."""
    InboundMail.objects.filter(pk=raw_id).exclude(state=State.PROCESSED).update(
        state=State.PENDING, error=""
    )
    return process(raw_id)


def reprocess_failed(*, limit: int = 500) -> int:
    ids = list(
        InboundMail.objects.filter(state__in=[State.FAILED, State.PENDING])
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in ids:
        reprocess(pk)
    return len(ids)


def process(raw_id: int) -> InboundMail:
    try:
        _process(raw_id)
    except IntegrityError:
        # Another delivery of the same message was read at the same moment and won.
        InboundMail.objects.filter(pk=raw_id, state=State.PENDING).update(
            state=State.DUPLICATE, processed_at=timezone.now()
        )
    except OperationalError as exc:
        if is_busy(exc) or is_conflict(exc):
            # Left pending: the periodic job reads it again in a few minutes.
            logger.warning("Inbound mail %s left pending: %s", raw_id, exc)
        else:
            _failed(raw_id, exc)
    except Exception as exc:
        _failed(raw_id, exc)
    return InboundMail.objects.get(pk=raw_id)


def _failed(raw_id: int, exc: BaseException) -> None:
    logger.error("Reading inbound mail %s failed", raw_id, exc_info=exc)
    error = "".join(traceback.format_exception_only(exc)).strip()
    InboundMail.objects.filter(pk=raw_id, state=State.PENDING).update(
        state=State.FAILED, error=error[:2000], processed_at=timezone.now()
    )


@retry_on_conflict
@transaction.atomic
def _process(raw_id: int) -> None:
    row = InboundMail.objects.select_for_update().get(pk=raw_id)
    if row.state != State.PENDING:
        return
    mail = parse(bytes(row.raw))
    row.msgid = mail.message_id[:255]
    row.processed_at = timezone.now()
    _read(row, mail)
    row.save()


def _finish(row: InboundMail, state: str, error: str = "") -> None:
    row.state = state
    row.error = error


def _read(row: InboundMail, mail: ParsedMail) -> None:
    problem = limits.size_problem(row.size) or limits.content_problem(mail)
    if problem:
        return _finish(row, State.REJECTED, problem)
    if mail.message_id and OutboundMail.objects.filter(msgid=mail.message_id).exists():
        return _finish(row, State.DUPLICATE, "The desk's own message came back (mail loop)")
    if _duplicate(row, mail):
        return None
    bounce = loops.bounce_of(mail)
    if bounce is not None:
        return _finish(row, State.PROCESSED, _bounced(bounce, mail))
    if not mail.from_address:
        # No From header: the envelope sender (SMTP) is the only address there is.
        envelope = row.envelope_from.strip().strip("<>").lower()
        if "@" not in envelope:
            return _finish(row, State.REJECTED, "No sender address")
        mail.from_address = envelope
    automated = loops.automated_reason(mail)
    client = senders.client_for(
        actor=None, kind=Channel.EMAIL, value=mail.from_address, name=mail.from_name
    )
    if not automated:
        senders.mark_working(kind=Channel.EMAIL, value=mail.from_address)
    thread = threading.find_thread(mail, client)
    draft = _message(mail, automated=bool(automated))
    if thread.case is not None:
        message = case_services.add_message(actor=None, case=thread.case, draft=draft)
        row.case, row.message = thread.case, message
    else:
        case = case_services.open_case(
            actor=None,
            draft=case_services.CaseDraft(
                subject=threading.strip_number(mail.subject)[: rules.SUBJECT_MAX]
                or _("(no subject)"),
                client=client,
                channel=Channel.EMAIL,
                contact=client_selectors.contact_of(
                    client.pk, Channel.EMAIL, senders.normalised(Channel.EMAIL, mail.from_address)
                ),
                team=_team(row, mail),
                follow_up_of=thread.follow_up_of,
            ),
            message=draft,
        )
        row.case = case
        row.message = Message.objects.filter(case=case).order_by("id").first()
    return _finish(row, State.PROCESSED, f"Automated: {automated}" if automated else "")


def _duplicate(row: InboundMail, mail: ParsedMail) -> bool:
    if not mail.message_id:
        return False
    earlier = (
        InboundMail.objects.filter(msgid=mail.message_id, state=State.PROCESSED)
        .exclude(pk=row.pk)
        .first()
    )
    message = Message.objects.filter(
        external_id=mail.message_id[:255], direction=Message.Direction.INBOUND
    ).first()
    if earlier is None and message is None:
        return False
    row.case_id = earlier.case_id if earlier else message.case_id if message else None
    row.message = earlier.message if earlier else message
    _finish(row, State.DUPLICATE, "Already received")
    return True


def _bounced(bounce: loops.Bounce, mail: ParsedMail) -> str:
    failed = dict(bounce.failed)
    returned = list(dict.fromkeys([*bounce.returned_ids, *mail.in_reply_to, *mail.references]))
    sent = OutboundMail.objects.filter(msgid__in=returned) if returned else None
    if sent is not None:
        for item in sent:
            if item.recipient and (not failed or item.recipient in failed):
                failed.setdefault(item.recipient, "bounced")
        reason = "; ".join(sorted(set(failed.values())))[:500] or "bounced"
        sent.update(state=OutboundMail.State.FAILED, error=reason)
        Message.objects.filter(
            Q(external_id__in=returned), direction=Message.Direction.OUTBOUND
        ).update(delivery=Message.Delivery.FAILED, delivery_error=reason)
    for address, reason in failed.items():
        senders.mark_failing(kind=Channel.EMAIL, value=address, reason=reason)
    return "Bounce" + (f": {', '.join(sorted(failed))}" if failed else "")


def _team(row: InboundMail, mail: ParsedMail) -> Any:
    if row.mailbox is not None:
        return row.mailbox.team
    recipients = [a.strip().lower() for a in row.envelope_to.split(",") if a.strip()]
    recipients += mail.to
    box = (
        Mailbox.objects.filter(address__in=recipients, active=True)
        .exclude(address="")
        .select_related("team")
        .first()
        if recipients
        else None
    )
    return box.team if box else None


def _message(mail: ParsedMail, *, automated: bool) -> case_services.MessageDraft:
    text = mail.text[: rules.BODY_MAX]
    html = sanitise(mail.html[: rules.BODY_MAX * 2 - 10_000]) if mail.html else ""
    attachments = [
        case_services.AttachmentDraft(
            filename=a.filename,
            content=a.content,
            content_type=a.content_type,
            content_id=a.content_id,
        )
        for a in mail.attachments
    ]
    if not text.strip() and not html.strip() and not attachments:
        text = _("(The message has no text.)")
    return case_services.MessageDraft(
        direction=Message.Direction.INBOUND,
        channel=Channel.EMAIL,
        body_text=text,
        body_html=html,
        author_name=mail.from_name,
        author_address=mail.from_address,
        external_id=mail.message_id[:255],
        automated=automated,
        attachments=attachments,
    )
