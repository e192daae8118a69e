"""Outbound mail: replies written on a case and the acknowledgement of a new case.

Each send is claimed first by inserting its OutboundMail row (unique per message, one
acknowledgement per case), so two workers, or a task run twice, send it once. The claim
happens before the mail leaves: a worker that dies between the two leaves the message
"sending" rather than mailing the client twice. Replies carry a Message-ID (kept as the
message's external id), In-Reply-To/References of the thread and "[C-000123]" in the subject,
so the client's answer comes back to the same case.
"""

from __future__ import annotations

import datetime as dt
from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kliento.clients import selectors as client_selectors
from kliento.core.channels import Channel
from kliento.desk.mail.html import html_to_text
from kliento.desk.mail.threading import tagged
from kliento.desk.models import Case, Message, OutboundMail, Sender
from kliento.desk.services.senders import normalised

# Channels answered by e-mail: a web form leaves an address, not a conversation of its own.
MAIL_CHANNELS = (Channel.EMAIL, Channel.WEB_FORM)
THREAD_IDS = 20  # References carries at most this many ids, newest last


def from_address() -> str:
    return str(getattr(settings, "KLIENTO_DESK_FROM_EMAIL", "") or settings.DEFAULT_FROM_EMAIL)


def new_message_id() -> str:
    domain = from_address().rpartition("@")[2].strip("> ") or "kliento.localhost"
    return make_msgid(domain=domain)


def recipient_for(case: Case) -> str:
    """Where the client is answered: the case's e-mail contact, else the address they last
    wrote from, else the first e-mail on their card."""
    contact = case.contact
    if contact is not None and contact.kind == Channel.EMAIL:
        return str(contact.value)
    last = (
        Message.objects.filter(case=case, direction=Message.Direction.INBOUND)
        .exclude(author_address="")
        .order_by("-created_at", "-id")
        .values_list("author_address", flat=True)
        .first()
    )
    if last:
        return last
    for point in client_selectors.contacts(case.client_id):
        if point.kind == Channel.EMAIL:
            return str(point.value)
    return ""


def failing_reason(address: str) -> str | None:
    row = Sender.objects.filter(
        kind=Channel.EMAIL,
        value=normalised(Channel.EMAIL, address),
        failing_since__isnull=False,
    ).first()
    return (row.failure or "bounced") if row else None


def thread_ids(case: Case) -> tuple[str, list[str]]:
    """In-Reply-To (the client's latest message, else our latest) and References."""
    ids = list(
        Message.objects.filter(case=case)
        .exclude(external_id="")
        .exclude(direction=Message.Direction.NOTE)
        .order_by("created_at", "id")
        .values_list("direction", "external_id")
    )
    ack = OutboundMail.objects.filter(case=case, kind=OutboundMail.Kind.ACKNOWLEDGEMENT).first()
    chain = [mid for _d, mid in ids if mid.startswith("<")]
    if ack is not None:
        chain.insert(1 if chain else 0, ack.msgid)
    inbound = [mid for d, mid in ids if d == Message.Direction.INBOUND and mid.startswith("<")]
    reply_to = inbound[-1] if inbound else (chain[-1] if chain else "")
    return reply_to, list(dict.fromkeys(chain))[-THREAD_IDS:]


def _claim(*, case: Case, message: Message | None, kind: str) -> OutboundMail | None:
    try:
        with transaction.atomic():
            return OutboundMail.objects.create(
                case=case,
                message=message,
                kind=kind,
                msgid=new_message_id(),
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None


def _fail(out: OutboundMail, message: Message | None, error: str) -> str:
    error = error[:500]
    OutboundMail.objects.filter(pk=out.pk).update(state=OutboundMail.State.FAILED, error=error)
    if message is not None:
        Message.objects.filter(pk=message.pk).update(
            delivery=Message.Delivery.FAILED, delivery_error=error
        )
    return "failed"


def _deliver(out: OutboundMail, mail: EmailMultiAlternatives, message: Message | None) -> str:
    try:
        mail.send()
    except Exception as exc:
        return _fail(out, message, f"{type(exc).__name__}: {exc}")
    now = timezone.now()
    OutboundMail.objects.filter(pk=out.pk).update(state=OutboundMail.State.SENT, sent_at=now)
    if message is not None:
        Message.objects.filter(pk=message.pk).update(
            delivery=Message.Delivery.SENT, delivery_error=""
        )
    return "sent"


def _headers(out: OutboundMail, case: Case) -> dict[str, str]:
    reply_to, references = thread_ids(case)
    headers = {"Message-ID": out.msgid}
    if reply_to:
        headers["In-Reply-To"] = reply_to
    refs = [r for r in references if r != out.msgid]
    if refs:
        headers["References"] = " ".join(refs)
    return headers


def send_reply(message_id: int) -> str:
    """Mail an outbound message of a case to the client; returns what happened."""
    message = (
        Message.objects.select_related("case", "case__contact")
        .filter(pk=message_id, direction=Message.Direction.OUTBOUND)
        .first()
    )
    if message is None or message.delivery != Message.Delivery.PENDING:
        return "skipped"
    case = message.case
    out = _claim(case=case, message=message, kind=OutboundMail.Kind.REPLY)
    if out is None:
        return "claimed elsewhere"
    headers = _headers(out, case)
    Message.objects.filter(pk=message.pk).update(external_id=out.msgid)
    recipient = recipient_for(case)
    OutboundMail.objects.filter(pk=out.pk).update(recipient=recipient[:254])
    if not recipient:
        return _fail(out, message, _("The client has no e-mail address."))
    bounced = failing_reason(recipient)
    if bounced is not None:
        return _fail(
            out,
            message,
            _("Not sent: %(address)s bounced earlier (%(reason)s).")
            % {"address": recipient, "reason": bounced},
        )
    subject = case.subject if case.subject.lower().startswith("re:") else f"Re: {case.subject}"
    mail = EmailMultiAlternatives(
        subject=tagged(subject, case.number or ""),
        body=message.body_text or html_to_text(message.body_html),
        from_email=from_address(),
        to=[recipient],
        headers=headers,
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    for item in message.attachments.all():
        with item.file.open("rb") as handle:
            mail.attach(item.filename, handle.read(), item.content_type or None)
    return _deliver(out, mail, message)


def send_unsent(*, older_than: dt.timedelta = dt.timedelta(minutes=5), limit: int = 200) -> int:
    """Replies whose task never ran (the queue was down when they were written): send them.
    A reply already claimed (even one whose worker died) is never sent again."""
    cutoff = timezone.now() - older_than
    ids = list(
        Message.objects.filter(
            direction=Message.Direction.OUTBOUND,
            delivery=Message.Delivery.PENDING,
            channel__in=MAIL_CHANNELS,
            created_at__lt=cutoff,
        )
        .exclude(pk__in=OutboundMail.objects.filter(message__isnull=False).values("message_id"))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in ids if send_reply(pk) == "sent")


def _language(case: Case) -> str:
    code = getattr(case.client, "language", "") or ""
    available = {c for c, _name in settings.LANGUAGES}
    return code if code in available else settings.LANGUAGE_CODE


def send_acknowledgement(case_id: int) -> str:
    """Tell the client their request arrived and its number, in their language; never in
    answer to machine-written mail."""
    if not getattr(settings, "KLIENTO_DESK_ACKNOWLEDGE", True):
        return "off"
    case = Case.objects.select_related("client", "contact").filter(pk=case_id).first()
    if case is None:
        return "skipped"
    first = Message.objects.filter(case=case).order_by("created_at", "id").first()
    if first is None or first.direction != Message.Direction.INBOUND or first.automated:
        return "skipped"
    recipient = recipient_for(case)
    if not recipient or failing_reason(recipient) is not None:
        return "skipped"
    out = _claim(case=case, message=None, kind=OutboundMail.Kind.ACKNOWLEDGEMENT)
    if out is None:
        return "claimed elsewhere"
    OutboundMail.objects.filter(pk=out.pk).update(recipient=recipient[:254])
    headers = {"Message-ID": out.msgid, "Auto-Submitted": "auto-replied"}
    if first.external_id.startswith("<"):
        headers["In-Reply-To"] = first.external_id
        headers["References"] = first.external_id
    language = _language(case)
    headers["Content-Language"] = language
    with translation.override(language):
        context = {"case": case, "number": case.number, "subject": case.subject}
        subject = tagged(
            _("We have received your request: %(subject)s") % {"subject": case.subject},
            case.number or "",
        )
        body = render_to_string("desk/mail/acknowledgement.txt", context)
    mail = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_address(), to=[recipient], headers=headers
    )
    return _deliver(out, mail, None)
