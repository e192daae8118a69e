"""Cases as a user may see them: one case, the queues and their counts, search."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
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


# Queue counts stop at this many: "1000+" says what an agent needs to know about a huge queue,
# and counting a million resolved cases exactly would read them all on every page load
# (docs/decisions/0029-capped-queue-counts.md). A count above COUNT_CAP means "more than".
COUNT_CAP = 1000


def _queue_filter(key: str, *, user_id: int | None, teams: set[int], now: dt.datetime) -> Q:
    active = Q(status__in=Case.ACTIVE)
    working = Q(status__in=[Case.Status.NEW, Case.Status.OPEN])
    if key == "mine":
        return active & Q(assignee_id=user_id)
    if key == "team":
        return active & Q(team_id__in=teams)
    if key == "unassigned":
        return active & Q(assignee__isnull=True)
    if key == "breaching":
        return working & Q(sla_next_due_at__lte=now + BREACHING_WINDOW)
    if key == "waiting":
        return Q(status=Case.Status.WAITING)
    if key == "done":
        return Q(status__in=Case.DONE)
    return active


def _ordered(cases: QuerySet[Case], key: str) -> QuerySet[Case]:
    if key == "breaching":
        return cases.order_by("sla_next_due_at", "id")
    # Matches the partial index case_active_recent (and created_at for "done") column for
    # column, so the first page is read in order with no sort.
    return cases.order_by("-created_at", "-id")


class _Queues:
    """The user's visibility rule and teams, worked out once for every queue of a request
    (each costs a permission check and a walk down the organisation tree)."""

    def __init__(self, user: Any, now: dt.datetime) -> None:
        self.now = now
        self.user_id = user.pk
        self.teams = access.team_ids(user)
        self.rule = access.visibility(user, teams=self.teams)
        self.sees_own = (
            self.rule is not None and user.is_authenticated and user.has_perm(access.VIEW)
        )

    def cases(self, key: str) -> QuerySet[Case]:
        cases = Case.objects.filter(
            _queue_filter(key, user_id=self.user_id, teams=self.teams, now=self.now)
        )
        # "Mine" and "my team's" lie inside the visibility rule by its definition (assigned to
        # me; my unit and those below it), so they are not ANDed with it again: the OR would
        # only make PostgreSQL underestimate the rows and pick a worse plan.
        if self.rule is None or (self.sees_own and key in ("mine", "team")):
            return cases
        return cases.filter(self.rule)


def queue_cases(user: Any, key: str, *, now: dt.datetime | None = None) -> QuerySet[Case]:
    """The cases of queue `key` the user may see, newest first ("breaching": soonest due)."""
    return _ordered(_Queues(user, now or timezone.now()).cases(key), key)


@dataclass(frozen=True)
class QueuePage:
    cases: list[Case]
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def queue_page(
    user: Any, key: str, *, page: int = 1, per_page: int = 25, now: dt.datetime | None = None
) -> QueuePage:
    """One page of a queue, for the queue list: no COUNT of the whole queue (use the capped
    `queue_counts`), and the page's ids first, then their rows with client, team and
    assignee. Asked for in one statement, PostgreSQL joins every matching case to its client
    before it sorts and cuts the page; for a queue of thousands that is most of the time."""
    page = max(1, page)
    ids = list(
        queue_cases(user, key, now=now).values_list("pk", flat=True)[
            (page - 1) * per_page : page * per_page + 1
        ]
    )
    rows = Case.objects.filter(pk__in=ids[:per_page]).select_related("client", "team", "assignee")
    by_id = {case.pk: case for case in rows}
    return QueuePage(
        cases=[by_id[pk] for pk in ids[:per_page] if pk in by_id],
        number=page,
        has_next=len(ids) > per_page,
    )


def capped_count(cases: QuerySet[Case], cap: int | None = None) -> int:
    """The number of cases, or cap + 1 when there are more than cap (default COUNT_CAP): the
    database stops reading at cap + 1 rows (SELECT COUNT(*) FROM (… LIMIT cap + 1))."""
    limit = COUNT_CAP if cap is None else cap
    return cases.order_by()[: limit + 1].count()


def queue_counts(user: Any, *, now: dt.datetime | None = None) -> dict[str, int]:
    """How many cases each queue holds for the user, exact up to COUNT_CAP; a value above
    COUNT_CAP means "more than COUNT_CAP" (show it with `count_label`)."""
    queues = _Queues(user, now or timezone.now())
    # All seven in one statement, SELECT (SELECT COUNT(*) FROM (… LIMIT n)), …: one round trip
    # to the database instead of seven; each count still stops at the cap.
    limit = COUNT_CAP + 1
    parts: list[str] = []
    params: list[Any] = []
    for n, key in enumerate(QUEUE_KEYS):
        try:
            sql, part_params = (
                queues.cases(key).order_by().values("pk")[:limit].query.sql_with_params()
            )
        except EmptyResultSet:  # a filter that matches nothing (no team, no permission)
            parts.append("0")
            continue
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS q{n})")
        params.extend(part_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return dict(zip(QUEUE_KEYS, (int(value) for value in row), strict=True))


def count_label(count: int) -> str:
    """A queue count as shown: "12", or "1000+" above the cap."""
    return f"{COUNT_CAP}+" if count > COUNT_CAP else str(count)


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
