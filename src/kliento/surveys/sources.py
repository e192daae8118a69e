"""The trigger sources this app knows itself: purchases (polled through clients.selectors) and
a schedule. A manual send needs no trigger (services.inviting.invite_segment); the service
desk registers "case resolved" itself and calls `surveys.registry.fire` when a case closes."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.surveys.registry import Event, TriggerSource, register_trigger_source

PURCHASE = "purchase"
SCHEDULE = "schedule"


def poll_purchases(after_id: int, limit: int) -> Iterator[Event]:
    rows = (
        clients.purchases_between()
        .filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "client_id")[:limit]
    )
    for pk, client_id in rows:
        yield Event(id=pk, client_id=client_id)


def latest_purchase() -> int:
    return int(clients.purchases_between().aggregate(top=Max("pk"))["top"] or 0)


def register() -> None:
    register_trigger_source(
        TriggerSource(
            PURCHASE,
            _("A purchase is made"),
            poll=poll_purchases,
            latest=latest_purchase,
            order=10,
        )
    )
    register_trigger_source(TriggerSource(SCHEDULE, _("On a schedule (relationship)"), order=50))
