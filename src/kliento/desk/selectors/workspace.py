"""Reads of the agent workspace: a queue page with its filters, saved views, macros, who else
has a case open, and what the staff pick lists offer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from kliento.core.models import OrgUnit
from kliento.desk import access
from kliento.desk.models import Attachment, Case, CaseTag, CaseViewer, Macro, Message, SavedCaseView
from kliento.desk.selectors.cases import QUEUE_KEYS, queue_cases, search_cases

PAGE_SIZE = 50
# A viewer not heard from for this long has closed the page (the page reports every ~10 s).
PRESENCE_WINDOW = dt.timedelta(seconds=30)


@dataclass(frozen=True)
class CaseFilters:
    queue: str = "mine"
    status: str = ""
    priority: str = ""
    channel: str = ""
    kind: str = ""
    team: int | None = None
    assignee: int | None = None
    tag: str = ""
    q: str = ""
    client: int | None = None


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def filtered_cases(user: Any, filters: CaseFilters) -> QuerySet[Case]:
    """The queue narrowed by the filters, in the queue's order. Every filter is a plain
    column condition, so the queue's index still serves the order and the LIMIT."""
    key = filters.queue if filters.queue in QUEUE_KEYS else "mine"
    cases = queue_cases(user, key)
    if filters.q.strip():
        cases = cases.filter(pk__in=search_cases(user, filters.q).values("pk"))
    narrow = Q()
    if filters.status:
        narrow &= Q(status=filters.status)
    if filters.priority:
        narrow &= Q(priority=filters.priority)
    if filters.channel:
        narrow &= Q(channel=filters.channel)
    if filters.kind:
        narrow &= Q(kind=filters.kind)
    if filters.team:
        narrow &= Q(team_id=filters.team)
    if filters.assignee:
        narrow &= Q(assignee_id=filters.assignee)
    if filters.tag:
        narrow &= Q(tags__name=filters.tag)
    if filters.client:
        narrow &= Q(client_id=filters.client)
    return cases.filter(narrow)


def queue_page(user: Any, filters: CaseFilters, number: int = 1) -> QueuePage:
    """One page of a queue without counting the whole of it: one row past the page says
    whether there is a next one (the sidebar's counts give the sizes)."""
    number = max(1, number)
    start = (number - 1) * PAGE_SIZE
    # The page's ids first, then their rows: asked for in one statement, PostgreSQL joins every
    # matching case to its client before it sorts and cuts the page (docs/service-desk-perf.md).
    ids = list(
        filtered_cases(user, filters).values_list("pk", flat=True)[start : start + PAGE_SIZE + 1]
    )
    rows = Case.objects.filter(pk__in=ids[:PAGE_SIZE]).select_related("client", "team", "assignee")
    by_id = {case.pk: case for case in rows.prefetch_related("tags")}
    cases = [by_id[pk] for pk in ids[:PAGE_SIZE] if pk in by_id]
    return QueuePage(cases, number, len(ids) > PAGE_SIZE)


def saved_views(user: Any) -> QuerySet[SavedCaseView]:
    return SavedCaseView.objects.filter(owner=user)


def own_saved_view(user: Any, pk: int) -> SavedCaseView | None:
    """One of the user's own views; another's is None (the caller answers 404)."""
    return SavedCaseView.objects.filter(owner=user, pk=pk).first()


def macros() -> QuerySet[Macro]:
    return Macro.objects.select_related("team")


def macro(pk: int) -> Macro | None:
    return Macro.objects.filter(pk=pk).first()


def teams() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.order_by("name")


def tags() -> QuerySet[CaseTag]:
    return CaseTag.objects.all()


def agents() -> list[Any]:
    """Active people who may work cases, by name: the assignee pick list. One query, however
    many staff (asking `has_perm` of each would load every person's permissions)."""
    app_label, codename = access.WORK.split(".")
    may_work = (
        Q(is_superuser=True)
        | Q(
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        | Q(
            user_permissions__codename=codename,
            user_permissions__content_type__app_label=app_label,
        )
    )
    return list(
        get_user_model()
        .objects.filter(may_work, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def agent(pk: Any) -> Any | None:
    """One of `agents()`, or None."""
    return next((user for user in agents() if str(user.pk) == str(pk)), None)


def last_message_id(case: Case) -> int:
    return (
        Message.objects.filter(case=case).order_by("-pk").values_list("pk", flat=True).first() or 0
    )


def other_viewers(case: Case, user: Any, *, now: dt.datetime | None = None) -> list[CaseViewer]:
    since = (now or timezone.now()) - PRESENCE_WINDOW
    return list(
        CaseViewer.objects.filter(case=case, seen_at__gte=since)
        .exclude(user=user)
        .select_related("user")
        .order_by("user__first_name", "user__username")
    )


def messages_after(case: Case, message_id: int) -> list[Message]:
    return list(
        Message.objects.filter(case=case, pk__gt=message_id)
        .exclude(direction=Message.Direction.NOTE)
        .select_related("author")
    )


def attachment_for(user: Any, pk: int) -> Attachment | None:
    """An attachment of a case the user may see; None for any other (the caller answers 404)."""
    found = Attachment.objects.select_related("message").filter(pk=pk).first()
    if found is None or not access.visible_cases(user).filter(pk=found.message.case_id).exists():
        return None
    return found
