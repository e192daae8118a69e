"""Outbound mail: replies threaded for the client's mail program, sent once however many
workers try, never to an address that bounced; acknowledgements of new cases."""

from __future__ import annotations

import datetime as dt
import threading
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from kliento.core.channels import Channel
from kliento.desk import services
from kliento.desk.mail import intake, outbound
from kliento.desk.models import Case, InboundMail, Message, OutboundMail
from tests import desk_mail_corpus as corpus
from tests.desk_support import new_case
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def email_case(message_id: str = "<first@mail.example.com>") -> Case:
    row = intake.receive(corpus.plain(message_id=message_id), source=InboundMail.Source.SMTP)
    assert row.state == InboundMail.State.PROCESSED, row.error
    return row.case


def outbound_message(case: Case, text: str = "Your parcel left today.", **extra) -> Message:
    return services.add_message(
        actor=None,
        case=case,
        draft=services.MessageDraft(direction=Message.Direction.OUTBOUND, body_text=text, **extra),
    )


def sent_headers(message):
    return message_from_bytes(message.message().as_bytes(), policy=policy.default)


def test_a_reply_carries_the_thread_and_the_case_number():
    case = email_case()
    message = outbound_message(case, body_html="<p>Your parcel <b>left</b> today.</p>")
    assert outbound.send_reply(message.pk) == "sent"
    (sent,) = mail.outbox
    assert sent.to == ["anna@example.com"]
    assert sent.subject == f"Re: Where is my order? [{case.number}]"
    assert "Your parcel left today." in sent.body
    assert sent.alternatives[0][1] == "text/html"
    headers = sent_headers(sent)
    message.refresh_from_db()
    assert headers["Message-ID"] == message.external_id
    assert headers["In-Reply-To"] == "<first@mail.example.com>"
    assert "<first@mail.example.com>" in headers["References"]
    assert message.delivery == Message.Delivery.SENT and message.delivery_error == ""
    assert OutboundMail.objects.get(message=message).recipient == "anna@example.com"


def test_the_second_reply_references_the_first():
    case = email_case()
    first = outbound_message(case, "One")
    outbound.send_reply(first.pk)
    second = outbound_message(case, "Two")
    outbound.send_reply(second.pk)
    first.refresh_from_db()
    assert first.external_id in sent_headers(mail.outbox[1])["References"]


def test_a_reply_is_sent_once_however_often_the_task_runs():
    message = outbound_message(email_case())
    assert outbound.send_reply(message.pk) == "sent"
    assert outbound.send_reply(message.pk) == "skipped"
    # Even a second worker that read the message while it was still pending.
    Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.PENDING)
    assert outbound.send_reply(message.pk) == "claimed elsewhere"
    assert len(mail.outbox) == 1


def test_never_to_a_failing_address():
    case = email_case()
    services.mark_failing(kind="email", value="anna@example.com", reason="550 5.1.1 unknown")
    message = outbound_message(case)
    assert outbound.send_reply(message.pk) == "failed"
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.FAILED
    assert "anna@example.com" in message.delivery_error and "550" in message.delivery_error
    assert mail.outbox == []


def test_a_client_without_an_address_gets_a_failed_delivery():
    case = new_case(client=ClientFactory(), channel=Channel.WEB_FORM)
    message = outbound_message(case)
    assert outbound.send_reply(message.pk) == "failed"
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.FAILED and message.delivery_error


def test_a_broken_mail_server_fails_the_delivery(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 1, "timeout": 2},
        }
    }
    message = outbound_message(email_case())
    assert outbound.send_reply(message.pk) == "failed"
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.FAILED and "Error" in message.delivery_error


def test_the_hook_sends_after_commit(immediate_tasks, django_capture_on_commit_callbacks):
    case = email_case()
    with django_capture_on_commit_callbacks(execute=True):
        message = outbound_message(case)
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.SENT


def test_notes_and_other_channels_are_not_mailed(
    immediate_tasks, django_capture_on_commit_callbacks
):
    case = email_case()
    with django_capture_on_commit_callbacks(execute=True):
        services.add_message(
            actor=None,
            case=case,
            draft=services.MessageDraft(direction=Message.Direction.NOTE, body_text="internal"),
        )
        outbound_message(case, channel=Channel.CHAT)
    assert mail.outbox == []


def test_a_new_email_case_is_acknowledged_once_in_the_clients_language(
    immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = intake.receive(
            corpus.plain(message_id="<ack@mail.example.com>"), source=InboundMail.Source.SMTP
        )
    (ack,) = mail.outbox
    case = row.case
    assert case.number in ack.subject and case.number in ack.body
    headers = sent_headers(ack)
    assert headers["Auto-Submitted"] == "auto-replied"
    assert headers["In-Reply-To"] == "<ack@mail.example.com>"
    assert outbound.send_acknowledgement(case.pk) == "claimed elsewhere"
    assert len(mail.outbox) == 1
    # The client answers the acknowledgement: it threads to the case.
    answer = intake.receive(
        corpus.plain(headers={"In-Reply-To": headers["Message-ID"]}),
        source=InboundMail.Source.SMTP,
    )
    assert answer.case_id == case.pk


def test_the_acknowledgement_speaks_the_clients_language():
    case = new_case(client=ClientFactory(language="pl"), channel=Channel.WEB_FORM, body="Pytanie")
    Message.objects.filter(case=case).update(author_address="jan@example.pl")
    assert outbound.send_acknowledgement(case.pk) == "sent"
    (ack,) = mail.outbox
    assert ack.to == ["jan@example.pl"]
    assert sent_headers(ack)["Content-Language"] == "pl"
    english = new_case(client=ClientFactory(language=""), channel=Channel.WEB_FORM, body="Hi")
    Message.objects.filter(case=english).update(author_address="en@example.com")
    outbound.send_acknowledgement(english.pk)
    assert sent_headers(mail.outbox[1])["Content-Language"] == "en"


def test_no_acknowledgement_for_machine_written_mail_or_when_turned_off(
    settings, immediate_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        intake.receive(
            corpus.auto_reply({"Auto-Submitted": "auto-replied"}), source=InboundMail.Source.SMTP
        )
    assert mail.outbox == []
    settings.KLIENTO_DESK_ACKNOWLEDGE = False
    with django_capture_on_commit_callbacks(execute=True):
        intake.receive(corpus.plain(), source=InboundMail.Source.SMTP)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_two_workers_send_a_reply_once():
    if connection.vendor != "postgresql":
        pytest.skip("Exactly-once under concurrency needs PostgreSQL (SQLite serialises writers)")
    message = outbound_message(email_case())
    barrier = threading.Barrier(4)
    results = []

    def worker():
        barrier.wait()
        try:
            results.append(outbound.send_reply(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("sent") == 1, results
    assert len(mail.outbox) == 1


def test_replies_whose_task_was_lost_are_sent_by_the_periodic_job():
    from kliento.desk.mail import tasks

    case = email_case()
    lost = outbound_message(case, "Lost on the way")
    recent = outbound_message(case, "Just written")
    claimed = outbound_message(case, "A worker died while sending")
    OutboundMail.objects.create(
        case=case, message=claimed, kind="reply", msgid="<dead@x>", created_at=timezone.now()
    )
    old = timezone.now() - dt.timedelta(minutes=10)
    Message.objects.filter(pk__in=[lost.pk, claimed.pk]).update(created_at=old)
    assert tasks.fetch_mailboxes.call()["unsent_replies_sent"] == 1
    assert [m.body for m in mail.outbox] == ["Lost on the way"]
    recent.refresh_from_db()
    assert recent.delivery == Message.Delivery.PENDING
