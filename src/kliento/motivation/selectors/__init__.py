"""Reads of the motivation app. The team app shows `recognition_for(employee_id)` on profiles."""

from kliento.motivation.selectors.recognition import FeedItem, recognition_feed, recognition_for
from kliento.motivation.selectors.statements import (
    KpiNow,
    kpis_now,
    statement_for,
    visible_statements,
)

__all__ = [
    "FeedItem",
    "KpiNow",
    "kpis_now",
    "recognition_feed",
    "recognition_for",
    "statement_for",
    "visible_statements",
]
