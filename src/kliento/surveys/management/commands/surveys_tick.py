"""`kliento surveys_tick`: the surveys' periodic work at once (the scheduler runs it every five
minutes anyway). Each step is safe to run twice and from two machines at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kliento.surveys.tasks import surveys_tick


class Command(BaseCommand):
    help = (
        "Read polled trigger sources, run survey schedules, queue sending, send reminders "
        "and escalate overdue follow-ups."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = surveys_tick.call()
        self.stdout.write(", ".join(f"{key}: {value}" for key, value in done.items()))
