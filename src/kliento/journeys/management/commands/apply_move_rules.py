"""`kliento apply_move_rules`: apply the journeys' move rules now, or queue them for the worker
(`--enqueue`); meant for a timer (cron, systemd) a few times a day."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from kliento.journeys import engine
from kliento.journeys.tasks import apply_move_rules


class Command(BaseCommand):
    help = "Apply the customer journeys' move rules (idempotent: a second run moves nobody)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--journey", type=int, default=None, help="Only this journey's id.")
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the work for the background worker."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            apply_move_rules.enqueue(options["journey"])
            self.stdout.write(_("Move rules queued for the worker."))
            return
        result = engine.run_rules(journey_id=options["journey"])
        self.stdout.write(
            _("%(rules)d rules applied: %(examined)d clients examined, %(moved)d moved.")
            % {"rules": result.rules, "examined": result.examined, "moved": result.moved}
        )
