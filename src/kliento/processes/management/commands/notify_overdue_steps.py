"""`kliento notify_overdue_steps`: tell the owners of overdue process steps (once per step).

For cron, beside the worker: it catches whatever a delayed task did not tell (a queue that
cannot delay tasks, a task lost with a worker)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kliento.processes import services


class Command(BaseCommand):
    help = "Notify the owners of overdue process steps that have not been told yet."

    def handle(self, *args: Any, **options: Any) -> None:
        told = services.notify_overdue_steps()
        self.stdout.write(f"{told}")
