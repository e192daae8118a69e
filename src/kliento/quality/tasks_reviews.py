"""Background work of QA reviews. Safe to run any number of times: one assignment per case
(a unique constraint) and a deterministic draw make a rerun add nothing."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from kliento.quality.services import reviews

WEEKS_BACK = 2  # the last completed weeks, so a missed day or two is caught up


@task()
def sample_reviews() -> dict[str, int]:
    """Queue the reviews of the last completed weeks (never the running one: its share
    would be drawn from a part of the week)."""
    this_week = reviews.monday(timezone.localdate())
    totals = {"complaints": 0, "low_csat": 0, "random": 0}
    for back in range(WEEKS_BACK, 0, -1):
        done = reviews.sample_week(week=this_week - dt.timedelta(weeks=back))
        totals["complaints"] += done.complaints
        totals["low_csat"] += done.low_csat
        totals["random"] += done.random
    return totals
