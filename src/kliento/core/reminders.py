"""Reminders to read something published (a standard, a policy): when they are due, and the
claim that makes each go once.

A remindable row has `reminded_at` and `published_at`. Whoever moves `reminded_at` forward with
a conditional UPDATE sends the reminder, so two workers (or a retried task) remind nobody twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

# A manager's "Remind" button may remind again after this long.
REMIND_EVERY = dt.timedelta(hours=20)
# Unread staff are reminded on their own three days after publication, then weekly.
FIRST_AUTOMATIC_REMINDER = dt.timedelta(days=3)
AUTOMATIC_REMINDER_EVERY = dt.timedelta(days=7)


def claim(published: QuerySet[Any], *, pk: int, now: dt.datetime) -> bool:
    """Claim the reminder of the published row `pk`; False when reminded less than
    REMIND_EVERY ago (or not published)."""
    claimed = (
        published.filter(pk=pk)
        .filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=now - REMIND_EVERY))
        .update(reminded_at=now)
    )
    return claimed == 1


def due(published: QuerySet[Any], *, now: dt.datetime) -> list[int]:
    """The ids of published rows whose automatic reminder is due."""
    return list(
        published.filter(
            Q(reminded_at__isnull=True, published_at__lte=now - FIRST_AUTOMATIC_REMINDER)
            | Q(reminded_at__lte=now - AUTOMATIC_REMINDER_EVERY)
        ).values_list("pk", flat=True)
    )
