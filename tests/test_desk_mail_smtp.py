"""End to end through the SMTP/LMTP endpoint: a mail program's message becomes a case, the
client is acknowledged, the agent's reply goes out threaded, the client's answer joins the
case; limits are refused at the door with 552/554."""

from __future__ import annotations

import re
import smtplib
import socket
from email import message_from_bytes, policy

import pytest
from django.core import mail

from kliento.desk import services
from kliento.desk.mail.server import controller
from kliento.desk.models import Case, InboundMail, Message
from tests import desk_mail_corpus as corpus

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def endpoint(settings, request):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    lmtp = getattr(request, "param", False)
    port = free_port()
    server = controller(host="127.0.0.1", port=port, lmtp=lmtp)
    server.start()
    yield port
    server.stop()


def send(port: int, raw: bytes, *, lmtp: bool = False) -> None:
    kind = smtplib.LMTP if lmtp else smtplib.SMTP
    # On the wire, lines end in CRLF (smtplib leaves bytes as they are).
    raw = re.sub(rb"\r?\n", b"\r\n", raw)
    with kind("127.0.0.1", port, timeout=30) as client:
        client.sendmail("anna@example.com", ["support@desk.example"], raw)


def test_mail_in_case_opened_acknowledged_answered_and_threaded(endpoint):
    send(endpoint, corpus.plain(message_id="<e2e-1@mail.example.com>"))
    row = InboundMail.objects.get()
    assert row.state == InboundMail.State.PROCESSED, row.error
    assert row.envelope_from == "anna@example.com" and row.envelope_to == "support@desk.example"
    case = Case.objects.get()
    (ack,) = mail.outbox
    assert case.number in ack.subject and ack.to == ["anna@example.com"]

    services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(
            direction=Message.Direction.OUTBOUND, body_text="It ships tomorrow."
        ),
    )
    assert len(mail.outbox) == 2
    reply = mail.outbox[1]
    assert reply.subject == f"Re: Where is my order? [{case.number}]"
    reply_id = message_from_bytes(reply.message().as_bytes(), policy=policy.default)["Message-ID"]

    send(
        endpoint,
        corpus.plain(subject="Re: whatever the client wrote", headers={"In-Reply-To": reply_id}),
    )
    assert Case.objects.count() == 1
    assert list(case.messages.values_list("direction", flat=True)) == ["in", "out", "in"]
    # An answer to an existing case is not acknowledged again.
    assert len(mail.outbox) == 2


def test_the_same_delivery_twice_creates_nothing_new(endpoint):
    raw = corpus.plain(message_id="<twice-smtp@mail.example.com>")
    send(endpoint, raw)
    send(endpoint, raw)
    assert Case.objects.count() == 1 and Message.objects.count() == 1
    assert sorted(InboundMail.objects.values_list("state", flat=True)) == [
        "duplicate",
        "processed",
    ]


@pytest.mark.parametrize("endpoint", [True], indirect=True)
def test_lmtp(endpoint):
    send(endpoint, corpus.plain(), lmtp=True)
    assert Case.objects.count() == 1


def test_blocked_attachment_is_refused_with_554(endpoint):
    with pytest.raises(smtplib.SMTPResponseException) as refused:
        send(endpoint, corpus.with_attachment("setup.exe"))
    assert refused.value.smtp_code == 554
    assert b"setup.exe" in refused.value.smtp_error
    assert InboundMail.objects.count() == 0 and Case.objects.count() == 0


def test_too_large_is_refused_with_552(settings, endpoint):
    settings.KLIENTO_MAIL_MAX_BYTES = 2000
    with pytest.raises(smtplib.SMTPResponseException) as refused:
        send(endpoint, corpus.plain(body=("x" * 70 + "\n") * 100))
    assert refused.value.smtp_code == 552
    assert b"too large" in refused.value.smtp_error
    assert InboundMail.objects.count() == 0


def test_broken_mail_is_accepted_and_kept(endpoint):
    send(endpoint, corpus.broken_mime())
    row = InboundMail.objects.get()
    assert row.state == InboundMail.State.PROCESSED
    assert bytes(row.raw).replace(b"\r\n", b"\n") == corpus.broken_mime().replace(b"\r\n", b"\n")
