"""Reads of the touchpoints app: the registry and its filters, a touchpoint's impressions with
their counts and trend, an owner's touchpoints, a client's impressions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from kliento.core.folding import fold_words
from kliento.journeys.selectors import current_stage_ids
from kliento.touchpoints import rules
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint

Period = Literal["week", "month"]
PERIODS: tuple[Period, ...] = ("week", "month")
# How many periods the trend shows: a quarter by weeks, a year by months.
PERIODS_SHOWN: dict[Period, int] = {"week": 12, "month": 12}
RECENT_DAYS = 30
LATEST_SHOWN = 5


def stage_model() -> Any:
    # The journeys app's Stage, reached through our own relation (no import of its models).
    return Touchpoint._meta.get_field("stages").related_model


def stages() -> QuerySet[Any]:
    """Every stage, by journey and position, for choices and filters."""
    return stage_model().objects.select_related("journey").order_by("journey__name", "position")


def stage_label(stage: Any) -> str:
    return f"{stage.journey} · {stage}"


@dataclass(frozen=True)
class TouchpointFilters:
    kind: str = ""
    category: str = ""
    channel: str = ""
    stage_id: int | None = None
    owner_id: int | None = None
    q: str = ""
    active: bool | None = True


def touchpoints(filters: TouchpointFilters | None = None) -> QuerySet[Touchpoint]:
    """The registry, filtered, by name."""
    filters = filters or TouchpointFilters()
    found = Touchpoint.objects.select_related("owner")
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.category:
        found = found.filter(category=filters.category)
    if filters.channel:
        found = found.filter(channel=filters.channel)
    if filters.stage_id is not None:
        found = found.filter(stages__pk=filters.stage_id)
    if filters.owner_id is not None:
        found = found.filter(owner_id=filters.owner_id)
    if filters.active is not None:
        found = found.filter(is_active=filters.active)
    for word in fold_words(filters.q):
        found = found.filter(search_name__contains=word)
    return found.prefetch_related("stages__journey").distinct().order_by("name")


def touchpoint(pk: int) -> Touchpoint | None:
    return (
        Touchpoint.objects.select_related("owner")
        .prefetch_related("stages__journey", "parameters")
        .filter(pk=pk)
        .first()
    )


def eligible_owners() -> QuerySet[Any]:
    """Who can own a touchpoint: active people who work with clients (through a role or a
    permission of their own)."""
    app_label, codename = rules.OWN.split(".")
    perm = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions=perm) | Q(user_permissions=perm) | Q(is_superuser=True))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# ---------------------------------------------------------------------------------------------
# Impressions: counts and trend


@dataclass(frozen=True)
class Counts:
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def net(self) -> int | None:
        """Positive minus negative, as a whole percentage of all impressions (-100 … 100);
        None when there are none."""
        if not self.total:
            return None
        return round(100 * (self.positive - self.negative) / self.total)

    @property
    def positive_share(self) -> int | None:
        return round(100 * self.positive / self.total) if self.total else None


def _counts(rows: Any) -> Counts:
    by = {row["sentiment"]: row["n"] for row in rows}
    return Counts(
        positive=by.get(Impression.Sentiment.POSITIVE, 0),
        neutral=by.get(Impression.Sentiment.NEUTRAL, 0),
        negative=by.get(Impression.Sentiment.NEGATIVE, 0),
    )


def counts(touchpoint_id: int, *, since: dt.datetime | None = None) -> Counts:
    impressions = Impression.objects.filter(touchpoint_id=touchpoint_id)
    if since is not None:
        impressions = impressions.filter(occurred_at__gte=since)
    return _counts(impressions.values("sentiment").annotate(n=Count("id")).order_by())


def period_start(day: dt.date, period: Period) -> dt.date:
    """The first day of the week (Monday) or month that holds `day`."""
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def _step_back(start: dt.date, period: Period, steps: int) -> dt.date:
    if period == "week":
        return start - dt.timedelta(weeks=steps)
    months = start.year * 12 + start.month - 1 - steps
    return dt.date(months // 12, months % 12 + 1, 1)


@dataclass(frozen=True)
class PeriodCounts:
    start: dt.date
    counts: Counts


@dataclass(frozen=True)
class Trend:
    """Impressions per week or month over the window that ends with the current period, and
    the same window just before it, to say whether things get better."""

    period: Period
    periods: list[PeriodCounts]
    window: Counts
    previous: Counts
    all_time: Counts = field(default_factory=Counts)

    @property
    def change(self) -> int | None:
        """The window's net score less the previous window's (points); None if either is
        empty."""
        if self.window.net is None or self.previous.net is None:
            return None
        return self.window.net - self.previous.net

    def chart(self) -> dict[str, Any]:
        return {
            # ISO days and months: read the same in every language, and sort as they read.
            "labels": [
                p.start.isoformat() if self.period == "week" else p.start.isoformat()[:7]
                for p in self.periods
            ],
            "period": self.period,
            "positive": [p.counts.positive for p in self.periods],
            "neutral": [p.counts.neutral for p in self.periods],
            "negative": [p.counts.negative for p in self.periods],
        }


def trend(
    touchpoint_id: int,
    *,
    period: Period = "week",
    shown: int | None = None,
    now: dt.datetime | None = None,
) -> Trend:
    """Counts per period (in local time) for the last `shown` periods, the current one
    included, and for the window of as many periods before them."""
    shown = shown or PERIODS_SHOWN[period]
    local_now = timezone.localtime(now)
    current = period_start(local_now.date(), period)
    first = _step_back(current, period, shown - 1)
    previous_first = _step_back(first, period, shown)
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(previous_first, dt.time.min, tzinfo=tz)
    # Counted per local day in the database (at most ~750 days times 3 rows back, however many
    # impressions there are), then summed into weeks or months here.
    rows = (
        Impression.objects.filter(
            touchpoint_id=touchpoint_id, occurred_at__gte=since, occurred_at__lte=local_now
        )
        .annotate(day=TruncDate("occurred_at", tzinfo=tz))
        .values("day", "sentiment")
        .annotate(n=Count("id"))
        .order_by()
    )
    starts = [_step_back(current, period, steps) for steps in range(shown - 1, -1, -1)]
    tally: dict[dt.date, dict[str, int]] = {start: {} for start in starts}
    before: dict[str, int] = {}
    for row in rows:
        start = period_start(row["day"], period)
        bucket = tally.get(start) if start >= first else before
        if bucket is not None:
            bucket[row["sentiment"]] = bucket.get(row["sentiment"], 0) + row["n"]

    def as_counts(by: dict[str, int]) -> Counts:
        return Counts(
            positive=by.get("positive", 0),
            neutral=by.get("neutral", 0),
            negative=by.get("negative", 0),
        )

    periods = [PeriodCounts(start, as_counts(tally[start])) for start in starts]
    window = Counts(
        positive=sum(p.counts.positive for p in periods),
        neutral=sum(p.counts.neutral for p in periods),
        negative=sum(p.counts.negative for p in periods),
    )
    return Trend(
        period=period,
        periods=periods,
        window=window,
        previous=as_counts(before),
        all_time=counts(touchpoint_id),
    )


def impressions_of_touchpoint(touchpoint_id: int) -> QuerySet[Impression]:
    return Impression.objects.filter(touchpoint_id=touchpoint_id).select_related(
        "client", "recorded_by"
    )


def impressions_of_client(client_id: int) -> QuerySet[Impression]:
    return Impression.objects.filter(client_id=client_id).select_related(
        "touchpoint", "recorded_by"
    )


# ---------------------------------------------------------------------------------------------
# The owner's view


@dataclass(frozen=True)
class OwnedTouchpoint:
    touchpoint: Touchpoint
    recent: Counts
    latest: list[Impression]


def my_touchpoints(
    user: Any, *, latest: int = LATEST_SHOWN, now: dt.datetime | None = None
) -> list[OwnedTouchpoint]:
    """The active touchpoints `user` owns, with their quality parameters, the last
    RECENT_DAYS' counts and their latest impressions."""
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    owned = list(
        Touchpoint.objects.filter(owner=user, is_active=True)
        .prefetch_related(Prefetch("parameters", QualityParameter.objects.order_by("id")))
        .order_by("name")
    )
    if not owned:
        return []
    ids = [t.pk for t in owned]
    recent_rows = (
        Impression.objects.filter(touchpoint_id__in=ids, occurred_at__gte=since)
        .values("touchpoint_id", "sentiment")
        .annotate(n=Count("id"))
        .order_by()
    )
    by_touchpoint: dict[int, list[Any]] = {}
    for row in recent_rows:
        by_touchpoint.setdefault(row["touchpoint_id"], []).append(row)
    result = []
    for item in owned:
        newest = list(impressions_of_touchpoint(item.pk)[:latest]) if latest else []
        result.append(OwnedTouchpoint(item, _counts(by_touchpoint.get(item.pk, [])), newest))
    return result


def for_client_card(client_id: int) -> list[Touchpoint]:
    """Active touchpoints to record an impression against: those of the stages the client is
    at now first (marked `at_stage`), then the rest by name."""
    current = set(current_stage_ids(client_id=client_id))
    active = list(Touchpoint.objects.filter(is_active=True).order_by("name"))
    at_stage = (
        set(
            Touchpoint.stages.through.objects.filter(
                stage_id__in=current, touchpoint__is_active=True
            ).values_list("touchpoint_id", flat=True)
        )
        if current
        else set()
    )
    for item in active:
        item.at_stage = item.pk in at_stage  # type: ignore[attr-defined]
    return sorted(active, key=lambda t: (t.pk not in at_stage, t.name.casefold()))


def impression(pk: int) -> Impression | None:
    return Impression.objects.select_related("touchpoint", "client").filter(pk=pk).first()


def positive_impressions(*, owner: Any | None = None) -> QuerySet[Impression]:
    """Positive impressions with words, newest first; only at `owner`'s touchpoints if given
    (the recognition feed offers them for sharing)."""
    qs = Impression.objects.filter(sentiment=Impression.Sentiment.POSITIVE).exclude(text="")
    if owner is not None:
        qs = qs.filter(touchpoint__owner=owner)
    return qs.select_related("touchpoint", "client").order_by("-occurred_at", "-id")
