"""`kliento mail-server`: the SMTP (or LMTP) endpoint the company's mail server forwards the
desk's mail to (docs/service-desk-mail.md)."""

from __future__ import annotations

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kliento.desk.mail.server import controller


class Command(BaseCommand):
    help = (
        "Receive the service desk's e-mail over SMTP (or LMTP with --lmtp) and turn it into "
        "cases. Listen on localhost or a private network behind the company's mail server."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=int, default=8025, help="Port to listen on.")
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP instead of SMTP.")

    def handle(self, *args: Any, host: str, port: int, lmtp: bool, **options: Any) -> None:
        server = controller(host=host, port=port, lmtp=lmtp)
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_args: stop.set())
        server.start()
        self.stdout.write(
            _("Receiving mail over %(protocol)s on %(host)s:%(port)s")
            % {"protocol": "LMTP" if lmtp else "SMTP", "host": host, "port": port}
        )
        self.stdout.flush()
        try:
            stop.wait()
        finally:
            server.stop()
