"""Purchases counted per day for the metrics' daily rollups (kliento.metrics.rollups)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, FloatField, Sum
from django.db.models.functions import Cast

from kliento.clients.models import Purchase

DIMENSIONS = ("currency", "channel", "client__segment_id")


def daily_purchase_rows(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """Per day ("occurred_on") and combination of DIMENSIONS, from `first` to `last`: the
    purchases ("n"), their total ("total") and the sum of squared amounts ("total_sq", for a
    standard deviation)."""
    amount = Cast("amount", FloatField())
    return list(
        Purchase.objects.filter(occurred_on__gte=first, occurred_on__lte=last)
        .values("occurred_on", *DIMENSIONS)
        .annotate(n=Count("id"), total=Sum("amount"), total_sq=Sum(amount * amount))
        .order_by()
    )


def purchase_days_added_since(stamp: dt.datetime | None) -> set[dt.date]:
    """Days of the purchases recorded after `stamp` (every day with a purchase when None)."""
    qs = Purchase.objects.all()
    if stamp is not None:
        qs = qs.filter(created_at__gt=stamp)
    return set(qs.values_list("occurred_on", flat=True).distinct().order_by())
