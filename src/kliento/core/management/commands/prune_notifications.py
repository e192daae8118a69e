"""`kliento prune_notifications [--days N]`: delete read notifications older than N days."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kliento.core.notifications import prune


class Command(BaseCommand):
    help = (
        "Delete read notifications (and e-mail-only ones already sent) older than "
        "KLIENTO_NOTIFICATION_RETENTION_DAYS, or --days. Unread ones are kept. Safe to run "
        "daily from cron, and again at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of KLIENTO_NOTIFICATION_RETENTION_DAYS.",
        )

    def handle(self, *args: Any, days: int | None, **options: Any) -> None:
        days = settings.KLIENTO_NOTIFICATION_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(_("--days must be at least 1."))
        deleted = prune(days=days)
        self.stdout.write(
            ngettext(
                "Deleted %(count)d notification older than %(days)d days.",
                "Deleted %(count)d notifications older than %(days)d days.",
                deleted,
            )
            % {"count": deleted, "days": days}
        )
