"""`kliento surveys_tick`: the surveys' periodic work, for cron or a systemd timer (every few
minutes). Each step is safe to run twice and from two machines at once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from kliento.surveys.services import inviting, loop
from kliento.surveys.tasks import send_invitations


class Command(BaseCommand):
    help = (
        "Read polled trigger sources, run survey schedules, queue sending, send reminders "
        "and escalate overdue follow-ups."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        polled = inviting.poll_sources()
        scheduled = inviting.run_schedules()
        if polled or scheduled or inviting.pending_ids(limit=1):
            send_invitations.enqueue()
        reminded = inviting.send_reminders()
        escalated = loop.escalate_overdue()
        self.stdout.write(
            f"invitations from triggers: {polled}, from schedules: {scheduled}, "
            f"reminders: {reminded}, escalated follow-ups: {escalated}"
        )
