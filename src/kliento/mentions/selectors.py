"""Reads of the information field: the inbox and its filters, the report figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from kliento.mentions.models import Feed, Mention, Sentiment, Situation

VIEW = "mentions.view_mention"
SHOWS = ("new", "mine", "overdue", "all")


def mentions_for(user: Any) -> QuerySet[Mention]:
    if not user.has_perm(VIEW):
        return Mention.objects.none()
    return Mention.objects.select_related("situation", "owner")


def mention_for(user: Any, pk: int) -> Mention | None:
    return mentions_for(user).select_related("client", "case", "answered_by").filter(pk=pk).first()


def inbox(
    user: Any,
    *,
    show: str = "new",
    source: str = "",
    sentiment: str = "",
    query: str = "",
    now: dt.datetime | None = None,
) -> QuerySet[Mention]:
    now = now or timezone.now()
    found = mentions_for(user)
    if show == "new":
        found = found.filter(status=Mention.Status.NEW)
    elif show == "mine":
        found = found.filter(status=Mention.Status.NEW, owner=user)
    elif show == "overdue":
        found = found.filter(status=Mention.Status.NEW, due_at__lte=now)
    if source:
        found = found.filter(source=source.lower())
    if sentiment in Sentiment.values:
        found = found.filter(sentiment=sentiment)
    if query:
        found = found.filter(
            Q(text__icontains=query) | Q(title__icontains=query) | Q(author__icontains=query)
        )
    if show in ("mine", "overdue"):
        return found.order_by("due_at", "id")
    return found.order_by("-received_at", "-id")


def sources() -> list[str]:
    return list(Mention.objects.values_list("source", flat=True).distinct().order_by("source"))


def due_for(user: Any) -> QuerySet[Mention]:
    return (
        mentions_for(user)
        .filter(status=Mention.Status.NEW, owner=user, due_at__isnull=False)
        .order_by("due_at", "id")
    )


def situations() -> QuerySet[Situation]:
    return Situation.objects.select_related("owner", "approver").prefetch_related("rules")


def feeds() -> QuerySet[Feed]:
    return Feed.objects.order_by("name")


@dataclass
class DayRow:
    day: dt.date
    total: int
    positive: int
    neutral: int
    negative: int


def volume(*, days: int = 30, now: dt.datetime | None = None) -> list[DayRow]:
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Mention.objects.filter(received_at__gte=since)
        .annotate(day=TruncDate("received_at"))
        .values_list("day", "sentiment")
    )
    for day, mood in rows:
        counts[day][mood] += 1
    return [
        DayRow(day, sum(c.values()), c["positive"], c["neutral"], c["negative"])
        for day, c in sorted(counts.items())
    ]


@dataclass
class ReactionRow:
    situation: Situation
    handled: int
    in_time: int
    late: int
    open: int
    overdue: int
    median_minutes: float | None

    @property
    def in_time_share(self) -> float | None:
        return round(100 * self.in_time / self.handled, 1) if self.handled else None


def reaction_times(*, now: dt.datetime | None = None) -> list[ReactionRow]:
    """Per situation: answered in time vs. late, still open, overdue, and the median minutes
    from arrival to the answer (dismissals count as handled)."""
    now = now or timezone.now()
    out: list[ReactionRow] = []
    by_situation: dict[int, list[Mention]] = defaultdict(list)
    for mention in Mention.objects.filter(situation__isnull=False).only(
        "situation_id", "status", "received_at", "answered_at", "due_at"
    ):
        assert mention.situation_id is not None
        by_situation[mention.situation_id].append(mention)
    for situation in Situation.objects.order_by("name"):
        mentions = by_situation.get(situation.pk, [])
        handled = [m for m in mentions if m.answered_at is not None]
        minutes = sorted(
            (m.answered_at - m.received_at).total_seconds() / 60
            for m in handled
            if m.answered_at is not None
        )
        in_time = sum(
            1 for m in handled if m.due_at and m.answered_at and m.answered_at <= m.due_at
        )
        open_ = [m for m in mentions if m.status == Mention.Status.NEW]
        out.append(
            ReactionRow(
                situation,
                handled=len(handled),
                in_time=in_time,
                late=len(handled) - in_time,
                open=len(open_),
                overdue=sum(1 for m in open_ if m.due_at and m.due_at <= now),
                median_minutes=round(minutes[len(minutes) // 2], 1) if minutes else None,
            )
        )
    return out
