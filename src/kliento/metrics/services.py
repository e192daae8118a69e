"""Acting on an analysis: flagging the key clients it found (through the clients' service)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from kliento.clients import services as clients
from kliento.core.types import Actor
from kliento.metrics.selectors import pareto


@transaction.atomic
def flag_top_clients(
    *, actor: Actor, start: dt.date, end: dt.date, currency: str, basis: str = "revenue"
) -> int:
    """Flag the top 20% of the period's buyers in `currency` (by revenue or margin) as key
    clients; returns how many were not flagged before."""
    result = pareto(start=start, end=end, currency=currency, basis=basis)
    return clients.set_key_flag(actor=actor, client_ids=result.top_ids, is_key=True)
