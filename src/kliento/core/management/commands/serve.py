from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kliento.core.schedule import start_scheduler_thread
from kliento.core.serving import allowed_hosts_hint, serve, start_worker_thread


class Command(BaseCommand):
    help = "Serve Kliento with a production WSGI server (waitress)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run a background-task worker in this process (single-machine setups).",
        )

    def handle(
        self, *args: Any, host: str, port: int, threads: int, with_worker: bool, **options: Any
    ) -> None:
        if hint := allowed_hosts_hint(host):
            self.stdout.write(self.style.WARNING(hint))
        if with_worker:
            start_worker_thread()
            start_scheduler_thread()
        self.stdout.write(_("Kliento is serving on %(url)s") % {"url": f"http://{host}:{port}/"})
        serve(host=host, port=port, threads=threads)
