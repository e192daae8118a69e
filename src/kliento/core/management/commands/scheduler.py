from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kliento.core.schedule import enqueue_due, periodic_jobs, run_forever


class Command(BaseCommand):
    help = (
        "Enqueue periodic jobs (move rules, reminders, overdue notices, pruning) when they are "
        "due. Runs until stopped; --once for cron. Several at once are safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between passes.")
        parser.add_argument("--list", action="store_true", help="List the periodic jobs.")

    def handle(self, *args: Any, once: bool, interval: float, list: bool, **options: Any) -> None:
        if list:
            for job in periodic_jobs:
                self.stdout.write(f"{job.key}\t{job.every}")
            return
        if once:
            keys = enqueue_due()
            self.stdout.write(
                _("Enqueued: %(keys)s") % {"keys": ", ".join(keys)} if keys else _("Nothing due.")
            )
            return
        run_forever(interval=interval)
