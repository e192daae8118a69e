"""Reading IMAP mailboxes: new messages (by UID, resumed after the last one stored) are
stored raw, then read. A mailbox that fails is reported (last_error, a notification to the
desk's managers on the first failure) and tried again later and later, not every minute."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from imapclient import IMAPClient

from kliento.core import notifications
from kliento.desk import access
from kliento.desk.mail import intake, limits
from kliento.desk.models import InboundMail, Mailbox

logger = logging.getLogger(__name__)

BATCH = 20
TIMEOUT = 30.0
# While one worker reads a mailbox, others leave it alone for this long.
LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF_MINUTES = 60
MAILBOX_FAILING = "desk_mailbox_failing"


@contextmanager
def connection(box: Mailbox) -> Iterator[IMAPClient]:
    client = IMAPClient(box.host, port=box.port, ssl=box.use_ssl, timeout=TIMEOUT)
    try:
        client.login(box.username, box.password)
        yield client
    finally:
        try:
            client.logout()
        except Exception:
            client.shutdown()


def test_connection(box: Mailbox) -> str:
    """Empty when the mailbox can be logged into and its folder opened; else the error."""
    try:
        with connection(box) as client:
            client.select_folder(box.folder, readonly=True)
    except Exception as exc:
        return describe(exc)
    return ""


def describe(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:1000]


def _size(sizes: dict[int, dict[bytes, object]], uid: int) -> int:
    value = sizes.get(uid, {}).get(b"RFC822.SIZE", 0)
    return int(value) if isinstance(value, int | str | bytes) else 0


def fetch(box: Mailbox) -> list[int]:
    """Store the mailbox's new messages; returns the stored rows' ids (not yet read)."""
    stored: list[int] = []
    with connection(box) as client:
        info = client.select_folder(box.folder, readonly=True)
        validity = int(info.get(b"UIDVALIDITY", 0) or 0)
        last = box.last_uid if box.uidvalidity == validity else 0
        if box.uidvalidity != validity:
            # The folder was recreated: its UIDs start over. Duplicates of what was already
            # read are recognised by their Message-ID.
            Mailbox.objects.filter(pk=box.pk).update(uidvalidity=validity, last_uid=0)
        uids = sorted(u for u in client.search(["UID", f"{last + 1}:*"]) if u > last)
        for start in range(0, len(uids), BATCH):
            batch = uids[start : start + BATCH]
            sizes = client.fetch(batch, ["RFC822.SIZE"])
            small = [
                u
                for u in batch
                if int(sizes.get(u, {}).get(b"RFC822.SIZE", 0)) <= limits.max_bytes()
            ]
            bodies = client.fetch(small, ["BODY.PEEK[]"]) if small else {}
            for uid in batch:
                raw = bodies.get(uid, {}).get(b"BODY[]")
                if isinstance(raw, bytes):
                    row = intake.store(raw, source=InboundMail.Source.IMAP, mailbox=box)
                else:
                    size = _size(sizes, uid)
                    row = intake.store(
                        b"",
                        source=InboundMail.Source.IMAP,
                        mailbox=box,
                        state=InboundMail.State.REJECTED,
                        error=limits.size_problem(size) or "The server returned no message",
                    )
                # Saved after each message: a crash resumes after the last one stored.
                Mailbox.objects.filter(pk=box.pk).update(last_uid=uid, uidvalidity=validity)
                stored.append(row.pk)
    return stored


def check(box: Mailbox) -> int | None:
    """Fetch and read one mailbox; the number of messages stored, None when it failed."""
    try:
        stored = fetch(box)
    except Exception as exc:
        logger.warning("Mailbox %s (%s) failed: %s", box.pk, box.name, exc)
        _failed(box, describe(exc))
        return None
    Mailbox.objects.filter(pk=box.pk).update(
        last_checked_at=timezone.now(), last_error="", failures=0, next_check_at=None
    )
    for pk in stored:
        intake.process(pk)
    return len(stored)


@transaction.atomic
def _failed(box: Mailbox, error: str) -> None:
    box = Mailbox.objects.select_for_update().get(pk=box.pk)
    first = box.failures == 0
    box.failures += 1
    now = timezone.now()
    box.last_error = error
    box.last_checked_at = now
    box.next_check_at = now + dt.timedelta(minutes=min(2**box.failures, MAX_BACKOFF_MINUTES))
    box.save(update_fields=["failures", "last_error", "last_checked_at", "next_check_at"])
    if first:
        managers = get_user_model().objects.with_perm(
            access.MANAGE, backend="django.contrib.auth.backends.ModelBackend"
        )
        notifications.notify(
            recipients=list(managers),
            kind=MAILBOX_FAILING,
            target_url=reverse("desk:mailboxes"),
            params={"mailbox_id": box.pk, "name": box.name, "error": error[:300]},
        )


def _lease(box: Mailbox, now: dt.datetime) -> bool:
    due = Q(next_check_at__isnull=True) | Q(next_check_at__lte=now)
    return (
        Mailbox.objects.filter(due, pk=box.pk, active=True).update(next_check_at=now + LEASE) == 1
    )


def check_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Every active mailbox that is due (not backing off after failures, not being read by
    another worker); then anything stored earlier but never read (a crash between the two)."""
    now = now or timezone.now()
    totals = {"mailboxes": 0, "stored": 0, "failed": 0, "leftovers": 0}
    for box in Mailbox.objects.filter(active=True).order_by("pk"):
        if not _lease(box, now):
            continue
        totals["mailboxes"] += 1
        stored = check(box)
        if stored is None:
            totals["failed"] += 1
        else:
            totals["stored"] += stored
    stale = InboundMail.objects.filter(
        state=InboundMail.State.PENDING, received_at__lt=now - dt.timedelta(minutes=5)
    ).values_list("pk", flat=True)[:200]
    for pk in list(stale):
        intake.process(pk)
        totals["leftovers"] += 1
    return totals


def watch(box: Mailbox, stop: threading.Event, *, idle_seconds: int = 300) -> None:
    """Read the mailbox whenever the server says something arrived (IMAP IDLE), or every
    minute where the server cannot say; until `stop` is set."""
    while not stop.is_set():
        box.refresh_from_db()
        if not box.active:
            return
        if check(box) is None:
            stop.wait(60 * min(2**box.failures, MAX_BACKOFF_MINUTES))
            continue
        try:
            with connection(box) as client:
                if b"IDLE" not in client.capabilities():
                    stop.wait(60)
                    continue
                client.select_folder(box.folder, readonly=True)
                client.idle()
                try:
                    client.idle_check(timeout=idle_seconds)
                finally:
                    client.idle_done()
        except Exception as exc:
            logger.warning("IDLE on mailbox %s failed: %s", box.pk, exc)
            stop.wait(60)
