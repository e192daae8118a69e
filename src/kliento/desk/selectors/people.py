"""Reads of one agent's work, for the motivation KPIs (not narrowed to a viewer)."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q
from django.utils import timezone

from kliento.desk.models import Case
from kliento.desk.selectors.metrics import SlaShare, _created_in


def agent_first_responses_within_sla(
    *, agent_id: int, start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> SlaShare:
    """Of the agent's cases created in the period with a first-response due time, how many
    were answered in time (counted as `first_responses_within_sla` counts them)."""
    now = now or timezone.now()
    due = Case.objects.filter(
        _created_in(start, end), assignee_id=agent_id, first_response_due_at__isnull=False
    )
    counted = due.filter(Q(first_response_at__isnull=False) | Q(first_response_due_at__lte=now))
    within = counted.filter(first_response_at__lte=F("first_response_due_at"))
    return SlaShare(within=within.count(), counted=counted.count())
