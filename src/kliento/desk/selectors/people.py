"""Reads of one agent's work, for the motivation KPIs (not narrowed to a viewer)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, F, Q
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


def agents_first_responses_within_sla(
    *, agent_ids: Sequence[int], start: dt.date, end: dt.date, now: dt.datetime | None = None
) -> dict[int, SlaShare]:
    """`agent_first_responses_within_sla` for many agents in one grouped query (a statement
    run over a team would otherwise pay one round trip per agent); agents without cases are
    absent."""
    now = now or timezone.now()
    counted = Case.objects.filter(
        _created_in(start, end),
        Q(first_response_at__isnull=False) | Q(first_response_due_at__lte=now),
        assignee_id__in=list(agent_ids),
        first_response_due_at__isnull=False,
    )
    rows = counted.values("assignee_id").annotate(
        n=Count("id"),
        within=Count("id", filter=Q(first_response_at__lte=F("first_response_due_at"))),
    )
    return {r["assignee_id"]: SlaShare(within=r["within"], counted=r["n"]) for r in rows}
