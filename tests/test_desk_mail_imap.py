"""IMAP polling against a real Dovecot: messages become cases, reading resumes after the last
UID, limits are kept, and a broken mailbox is reported and backed off, not hammered."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from kliento.core.models import Notification
from kliento.core.schedule import periodic_jobs
from kliento.desk import hooks
from kliento.desk.mail import imap, mailboxes, tasks
from kliento.desk.models import Case, InboundMail, Mailbox
from tests import desk_mail_corpus as corpus
from tests.desk_mail_dovecot import PASSWORD, USER
from tests.desk_support import team

pytestmark = pytest.mark.django_db


def mailbox(server, **fields) -> Mailbox:
    values = {
        "name": "Support",
        "host": "127.0.0.1",
        "port": server.port,
        "use_ssl": False,
        "username": USER,
        "password": PASSWORD,
        "folder": "INBOX",
    }
    values.update(fields)
    return Mailbox.objects.create(**values)


def test_fetchmail_turns_the_mailbox_into_cases_and_resumes(dovecot, settings):
    support = team("Support")
    box = mailbox(dovecot, team=support)
    dovecot.deliver(corpus.plain(message_id="<imap-1@mail.example.com>"))
    dovecot.deliver(corpus.koi8r_8bit())
    dovecot.deliver(corpus.alternative_with_inline_image())
    call_command("fetchmail")
    assert Case.objects.count() == 3
    assert set(Case.objects.values_list("team", flat=True)) == {support.pk}
    assert Case.objects.filter(subject="Заказ не пришёл").exists()
    box.refresh_from_db()
    assert box.last_uid == 3 and box.uidvalidity and box.last_error == ""
    assert box.last_checked_at is not None and box.next_check_at is None
    assert set(InboundMail.objects.values_list("source", "mailbox", "state")) == {
        ("imap", box.pk, "processed")
    }

    # Nothing new: nothing stored. A reply and a new message: only they are read.
    call_command("fetchmail")
    assert InboundMail.objects.count() == 3
    dovecot.deliver(corpus.plain(headers={"In-Reply-To": "<imap-1@mail.example.com>"}))
    settings.KLIENTO_MAIL_BLOCKED_EXTENSIONS = [".exe"]
    dovecot.deliver(corpus.with_attachment("virus.exe"))
    call_command("fetchmail")
    assert Case.objects.count() == 3
    rejected = InboundMail.objects.get(state=InboundMail.State.REJECTED)
    assert "virus.exe" in rejected.error and bytes(rejected.raw)
    box.refresh_from_db()
    assert box.last_uid == 5


def test_too_large_messages_are_not_downloaded(dovecot, settings):
    mailbox(dovecot)
    settings.KLIENTO_MAIL_MAX_BYTES = 2000
    dovecot.deliver(corpus.plain(body=("x" * 70 + "\n") * 100))
    dovecot.deliver(corpus.plain(subject="Small one"))
    call_command("fetchmail")
    big = InboundMail.objects.get(state=InboundMail.State.REJECTED)
    assert bytes(big.raw) == b"" and "too large" in big.error
    assert list(Case.objects.values_list("subject", flat=True)) == ["Small one"]


def test_a_broken_mailbox_is_reported_once_and_backed_off(dovecot, manager):
    box = mailbox(dovecot, password="wrong")
    dovecot.deliver(corpus.plain())
    totals = imap.check_due()
    assert totals["failed"] == 1 and totals["stored"] == 0
    box.refresh_from_db()
    assert box.last_error and box.failures == 1
    assert box.next_check_at > timezone.now()
    (note,) = Notification.objects.filter(kind=imap.MAILBOX_FAILING)
    assert note.recipient == manager and note.params["name"] == "Support"
    # Not retried while it backs off.
    assert imap.check_due()["mailboxes"] == 0
    # Still failing later: no second notification.
    Mailbox.objects.filter(pk=box.pk).update(next_check_at=timezone.now())
    imap.check_due()
    box.refresh_from_db()
    assert box.failures == 2
    assert Notification.objects.filter(kind=imap.MAILBOX_FAILING).count() == 1
    # The manager fixes the password: the next run reads it.
    box.password = ""
    mailboxes.save_mailbox(actor=manager, mailbox=box, password=PASSWORD)
    assert imap.check_due() == {"mailboxes": 1, "stored": 1, "failed": 0, "leftovers": 0}
    box.refresh_from_db()
    assert box.failures == 0 and box.last_error == ""


def test_the_worker_reads_mailboxes_on_schedule(dovecot):
    job = periodic_jobs.get("desk.fetch_mailboxes")
    assert job is not None and job.task is tasks.fetch_mailboxes
    mailbox(dovecot)
    mailbox(dovecot, name="Switched off", active=False)
    dovecot.deliver(corpus.plain())
    result = tasks.fetch_mailboxes.call()
    assert result["mailboxes"] == 1 and result["stored"] == 1
    assert Case.objects.count() == 1


def test_test_connection(dovecot):
    assert imap.test_connection(mailbox(dovecot)) == ""
    assert "AUTHENTICATIONFAILED" in imap.test_connection(mailbox(dovecot, password="nope"))
    assert imap.test_connection(mailbox(dovecot, folder="No such folder"))


def test_fetchmail_reprocess_reads_failed_mail_again(capsys):
    row = InboundMail.objects.create(
        raw=corpus.plain(),
        received_at=timezone.now(),
        source=InboundMail.Source.IMAP,
        state=InboundMail.State.FAILED,
        error="RuntimeError: bug",
    )
    call_command("fetchmail", "--reprocess")
    row.refresh_from_db()
    assert row.state == InboundMail.State.PROCESSED and row.case is not None
    call_command("fetchmail", "--reprocess", "--id", str(row.pk))
    assert f"{row.pk}: processed" in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_watching_a_mailbox_with_idle_reads_what_arrives(dovecot):
    import threading

    box = mailbox(dovecot)
    stop = threading.Event()
    opened = threading.Event()
    # Told by the desk itself (a case hook), so this thread leaves the database alone while
    # the watcher writes (SQLite's shared in-memory test database locks whole tables).
    hooks.register_case_hook("test.opened", lambda change: opened.set())
    watcher = threading.Thread(target=imap.watch, args=(box, stop), kwargs={"idle_seconds": 1})
    watcher.start()
    try:
        dovecot.deliver(corpus.plain(subject="Arrived while watched"))
        assert opened.wait(timeout=60)
    finally:
        stop.set()
        watcher.join(timeout=30)
        hooks._hooks[:] = [h for h in hooks._hooks if h[1] != "test.opened"]
    assert not watcher.is_alive()
    assert list(Case.objects.values_list("subject", flat=True)) == ["Arrived while watched"]


def test_a_recreated_folder_is_read_again_without_duplicates(dovecot):
    box = mailbox(dovecot)
    dovecot.deliver(corpus.plain(message_id="<before@mail.example.com>"))
    call_command("fetchmail")
    box.refresh_from_db()
    validity = box.uidvalidity
    # As if the folder had been recreated since: the UIDVALIDITY the desk knows is not the
    # server's any more, so its UIDs mean nothing and the folder is read from the start.
    Mailbox.objects.filter(pk=box.pk).update(uidvalidity=validity - 1)
    dovecot.deliver(corpus.plain(message_id="<after@mail.example.com>"))
    call_command("fetchmail")
    box.refresh_from_db()
    assert box.uidvalidity == validity and box.last_uid == 2
    assert Case.objects.count() == 2
    states = sorted(InboundMail.objects.values_list("state", flat=True))
    assert states == ["duplicate", "processed", "processed"]
