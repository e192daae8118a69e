"""`kliento refresh_client_activity`: recompute every client's revenue and last purchase."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from kliento.clients.services import activity


class Command(BaseCommand):
    help = (
        "Recompute the revenue (in KLIENTO_DEFAULT_CURRENCY) and the last purchase kept on "
        "every client, e.g. after changing the default currency or writing purchases by hand."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        activity.refresh_purchase_totals()
        self.stdout.write(
            _("Revenue (in %(currency)s) and last purchase recomputed for every client.")
            % {"currency": settings.KLIENTO_DEFAULT_CURRENCY}
        )
