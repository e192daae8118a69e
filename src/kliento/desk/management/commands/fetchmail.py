"""`kliento fetchmail`: read the desk's IMAP mailboxes once (the worker also does it every
minute), watch them with IMAP IDLE (--idle), or read stored messages again (--reprocess)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kliento.desk.mail import imap, intake
from kliento.desk.models import Mailbox


class Command(BaseCommand):
    help = (
        "Read the service desk's IMAP mailboxes once; --idle keeps watching them; --reprocess "
        "reads again the stored messages that failed (or one, --id)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--idle", action="store_true", help="Keep watching (IMAP IDLE).")
        parser.add_argument("--reprocess", action="store_true", help="Read failed mail again.")
        parser.add_argument("--id", type=int, help="With --reprocess: only this stored message.")

    def handle(
        self, *args: Any, idle: bool, reprocess: bool, id: int | None, **options: Any
    ) -> None:
        if reprocess:
            if id is not None:
                row = intake.reprocess(id)
                self.stdout.write(f"{row.pk}: {row.state} {row.error}".strip())
            else:
                count = intake.reprocess_failed()
                self.stdout.write(_("Read again: %(count)s") % {"count": count})
            return
        if idle:
            self._watch()
            return
        totals = imap.check_due()
        self.stdout.write(
            _("Mailboxes read: %(mailboxes)s, messages stored: %(stored)s, failing: %(failed)s")
            % totals
        )
        if totals["failed"]:
            raise CommandError(_("Some mailboxes could not be read (see the setup page)."))

    def _watch(self) -> None:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        threads = [
            threading.Thread(target=imap.watch, args=(box, stop), daemon=True, name=box.name)
            for box in Mailbox.objects.filter(active=True)
        ]
        for thread in threads:
            thread.start()
        stop.wait()
        for thread in threads:
            thread.join(timeout=5)
