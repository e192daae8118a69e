"""Cases as a user may see them: one case, the queues and their counts, search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kliento.desk import access
from kliento.desk.models import Case, CaseEvent, Message

# "Breaching soon": the next SLA target falls within this window (or has passed).
BREACHING_WINDOW = dt.timedelta(hours=2)


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise


QUEUES = [
    Queue("mine", _("Mine")),
    Queue("team", _("My team's")),
    Queue("unassigned", _("Unassigned")),
    Queue("breaching", _("Breaching soon")),
    Queue("waiting", _("Waiting on client")),
    Queue("all", _("All open")),
    Queue("done", _("Resolved and closed")),
]
QUEUE_KEYS = [queue.key for queue in QUEUES]


def _queue_filter(user: Any, key: str, now: dt.datetime) -> Q:
    active = Q(status__in=Case.ACTIVE)
    working = Q(status__in=[Case.Status.NEW, Case.Status.OPEN])
    if key == "mine":
        return active & Q(assignee_id=user.pk)
    if key == "team":
        return active & Q(team_id__in=access.team_ids(user))
    if key == "unassigned":
        return active & Q(assignee__isnull=True)
    if key == "breaching":
        return working & Q(sla_next_due_at__lte=now + BREACHING_WINDOW)
    if key == "waiting":
        return Q(status=Case.Status.WAITING)
    if key == "done":
        return Q(status__in=Case.DONE)
    return active


def queue_cases(user: Any, key: str, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The cases of queue `key` the user may see, newest first ("breaching": soonest due)."""
    now = now or timezone.now()
    cases = access.visible_cases(user).filter(_queue_filter(user, key, now))
    if key == "breaching":
        return cases.order_by("sla_next_due_at", "id")
    return cases.order_by("-created_at", "-id")


def queue_counts(user: Any, *, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {key: queue_cases(user, key, now=now).count() for key in QUEUE_KEYS}


def case_for(user: Any, pk: int) -> Case | None:
    """The case if the user may see it, else None (the caller answers 404 either way)."""
    return (
        access.visible_cases(user)
        .select_related("client", "contact", "team", "assignee", "sla_policy", "merged_into")
        .filter(pk=pk)
        .first()
    )


def conversation(case: Case, *, notes: bool = True) -> QuerySet[Message]:
    messages = (
        Message.objects.filter(case=case).select_related("author").prefetch_related("attachments")
    )
    return messages if notes else messages.exclude(direction=Message.Direction.NOTE)


def history(case: Case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.filter(case=case).select_related("actor")


def cases_of_client(user: Any, client_id: int) -> QuerySet[Case]:
    return access.visible_cases(user).filter(client_id=client_id).order_by("-created_at", "-id")


def search_cases(user: Any, q: str) -> QuerySet[Case]:
    """Cases whose number or subject contains `q` ("123", "C-000123" and "c-123" find C-000123)."""
    q = q.strip()
    cases = access.visible_cases(user)
    if not q:
        return cases
    match = Q(subject__icontains=q) | Q(number__iexact=q)
    digits = q.upper().removeprefix("C-").lstrip("0")
    if digits.isdigit():
        match |= Q(pk=int(digits))
    return cases.filter(match)
