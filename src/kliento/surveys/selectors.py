"""Reads of the surveys app: who sees which answers, the results of a survey, follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from kliento.surveys import scoring
from kliento.surveys.models import (
    FollowUp,
    Invitation,
    Praise,
    Question,
    Response,
    StaffAnswer,
    Survey,
)

VIEW_ALL = "surveys.view_all_responses"
HANDLE_ALL = "surveys.handle_all_followups"


def surveys() -> QuerySet[Survey]:
    return Survey.objects.annotate(answers=Count("responses"))


def concerning(user: Any) -> Q:
    """The answers about a person's own work: as the agent, or as the owner of the touchpoint,
    the stage or the follow-up, or as the client's account manager."""
    return (
        Q(agent=user)
        | Q(touchpoint__owner=user)
        | Q(stage__owner=user)
        | Q(follow_up__owner=user)
        | Q(client__account_manager=user)
    )


def responses_for(user: Any, survey: Survey | None = None) -> QuerySet[Response]:
    qs = Response.objects.select_related("survey", "client", "agent", "follow_up")
    if survey is not None:
        qs = qs.filter(survey=survey)
    if not user.has_perm(VIEW_ALL):
        qs = qs.filter(concerning(user))
    return qs.order_by("-submitted_at", "-id")


def search_comments(qs: QuerySet[Response], q: str) -> QuerySet[Response]:
    q = " ".join(q.split())[:100]
    if not q:
        return qs
    for word in q.split():
        qs = qs.filter(comment__icontains=word)
    return qs


@dataclass(frozen=True)
class Month:
    month: dt.date
    answers: int


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey
    results: scoring.Results
    sent: int
    answered_invitations: int
    months: list[Month]

    @property
    def response_rate(self) -> scoring.Estimate | None:
        if not self.sent:
            return None
        return scoring.wilson(self.answered_invitations, self.sent)


def results(
    survey: Survey,
    responses: QuerySet[Response],
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> SurveyResults:
    """The survey's figures over the answers given (already narrowed to what the viewer may
    see) and the invitations sent in the same period."""
    if since is not None:
        responses = responses.filter(submitted_at__date__gte=since)
    if until is not None:
        responses = responses.filter(submitted_at__date__lte=until)
    scores = [
        s
        for s in responses.filter(score__isnull=False).values_list("score", flat=True)
        if s is not None
    ]
    invitations = Invitation.objects.filter(survey=survey, status=Invitation.Status.SENT)
    if since is not None:
        invitations = invitations.filter(sent_at__date__gte=since)
    if until is not None:
        invitations = invitations.filter(sent_at__date__lte=until)
    months = [
        Month(
            row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"], row["n"]
        )
        for row in responses.annotate(month=TruncMonth("submitted_at"))
        .order_by()
        .values("month")
        .annotate(n=Count("id"))
        .order_by("month")
    ]
    return SurveyResults(
        survey=survey,
        results=scoring.results(survey.kind, survey.scale or "1-5", survey.direction, scores),
        sent=invitations.count(),
        answered_invitations=invitations.filter(response__isnull=False).count(),
        months=months,
    )


def follow_ups_for(user: Any) -> QuerySet[FollowUp]:
    qs = FollowUp.objects.select_related("response__survey", "response__client", "owner")
    if not user.has_perm(HANDLE_ALL):
        qs = qs.filter(owner=user)
    return qs


def overdue(qs: QuerySet[FollowUp]) -> QuerySet[FollowUp]:
    return qs.exclude(status=FollowUp.Status.CLOSED).filter(due_at__lt=timezone.now())


def open_follow_ups_of(user: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(owner=user).exclude(status=FollowUp.Status.CLOSED)


def active_surveys() -> QuerySet[Survey]:
    return Survey.objects.filter(is_active=True)


# Results of a team smaller than this are not shown (anonymity in a small team).
MIN_GROUP = 5


@dataclass(frozen=True)
class GroupResult:
    unit_id: int | None
    name: str
    n: int
    results: scoring.Results | None  # None: fewer than MIN_GROUP answers, hidden


def staff_results(survey: Survey) -> tuple[GroupResult, list[GroupResult]]:
    """The whole survey and each team; a group under MIN_GROUP answers shows its size only
    ("fewer than five"), never its scores or comments."""
    from kliento.core.models import OrgUnit

    rows = list(survey.staff_answers.values_list("unit_id", "score"))

    def group(unit_id: int | None, name: str, scores: list[int]) -> GroupResult:
        shown = (
            scoring.results(survey.kind, survey.scale or "1-5", survey.direction, scores)
            if len(scores) >= MIN_GROUP
            else None
        )
        return GroupResult(unit_id, name, len(scores), shown)

    everyone = [s for _u, s in rows if s is not None]
    by_unit: dict[int | None, list[int]] = {}
    for unit_id, score in rows:
        if score is not None:
            by_unit.setdefault(unit_id, []).append(score)
    names = dict(OrgUnit.objects.filter(pk__in=[u for u in by_unit if u]).values_list("pk", "name"))
    groups = [
        group(unit_id, names.get(unit_id or 0, "—"), scores)
        for unit_id, scores in sorted(by_unit.items(), key=lambda item: names.get(item[0] or 0, ""))
    ]
    overall = group(None, "", everyone)
    # The whole minus the teams shown would give away the hidden ones when, together, they are
    # fewer than MIN_GROUP: then the whole is hidden too.
    hidden = sum(g.n for g in groups if g.results is None)
    if 0 < hidden < MIN_GROUP:
        overall = GroupResult(None, "", overall.n, None)
    return overall, groups


def staff_comments(survey: Survey) -> list[str]:
    """Comments, only when the survey has MIN_GROUP answers or more, in random key order (not
    the order they were given)."""
    if survey.staff_answers.count() < MIN_GROUP:
        return []
    return [c for c in survey.staff_answers.order_by("id").values_list("comment", flat=True) if c]


def praise_feed() -> QuerySet[Praise]:
    """The recognition feed, newest first: every member of staff sees all of it."""
    return Praise.objects.select_related("employee", "team", "touchpoint")


@dataclass(frozen=True)
class ScoreGroup:
    """The scores given on one scale (and, for CES, one direction): how many chose each point,
    and how many fell in each category of the survey's kind (promoter, satisfied, low effort…),
    read as the survey's own pages read them (kliento.surveys.scoring)."""

    scale: str
    direction: str
    counts: dict[int, int]
    categories: dict[str, int]

    @property
    def n(self) -> int:
        return sum(self.counts.values())


def score_groups(kind: str, rows: Iterable[tuple[str, str, int, int]]) -> list[ScoreGroup]:
    """(scale, direction, score, count) rows counted elsewhere (the metrics' daily rollups)
    read into groups exactly as `score_counts` reads the answers."""
    return _groups(kind, rows)


def _groups(kind: str, rows: Iterable[tuple[str, str, int, int]]) -> list[ScoreGroup]:
    merged: dict[tuple[str, str], dict[int, int]] = {}
    for scale, direction, score, count in rows:
        key = (scale or scoring.SCALES[kind][0], direction if kind == "ces" else "")
        points = merged.setdefault(key, {})
        points[score] = points.get(score, 0) + count
    groups = []
    for (scale, direction), counts in sorted(merged.items()):
        categories: dict[str, int] = {}
        for score, count in counts.items():
            category = scoring.read_score(kind, scale, direction, score).category
            categories[category] = categories.get(category, 0) + count
        groups.append(ScoreGroup(scale, direction, counts, categories))
    return groups


@dataclass(frozen=True)
class AnswerFilter:
    """Which answers a metric counts (every condition given must hold), for the metric layer's
    slices. An answer belongs to a team by the team recorded on it, or, when none was, by its
    agent's membership (`team_members`); to an employee as its agent."""

    agent_id: int | None = None
    unit_ids: tuple[int, ...] | None = None
    team_members: QuerySet[Any] | None = None  # user ids of the units' members
    touchpoint_id: int | None = None
    stage_id: int | None = None
    channel: str | None = None
    client_ids: QuerySet[Any] | None = None  # a subquery of client pks

    def q(self) -> Q:
        found = Q()
        if self.agent_id is not None:
            found &= Q(agent_id=self.agent_id)
        if self.unit_ids is not None:
            by_member = Q(team__isnull=True, agent_id__in=self.team_members)
            found &= Q(team_id__in=self.unit_ids) | by_member
        if self.touchpoint_id is not None:
            found &= Q(touchpoint_id=self.touchpoint_id)
        if self.stage_id is not None:
            found &= Q(stage_id=self.stage_id)
        if self.channel is not None:
            found &= Q(channel=self.channel)
        if self.client_ids is not None:
            found &= Q(client_id__in=self.client_ids)
        return found


def score_counts(
    *,
    kind: str,
    since: dt.date,
    until: dt.date,
    survey_id: int | None = None,
    where: AnswerFilter | None = None,
) -> list[ScoreGroup]:
    """Company-wide (or the answers `where` picks): the clients' scores on surveys of `kind`
    answered from `since` to `until` (both days included), grouped by scale, counted in the
    database. For metrics, not for a viewer's page: it is not narrowed to what one person may
    see."""
    qs = Response.objects.filter(
        survey__kind=kind,
        score__isnull=False,
        submitted_at__date__gte=since,
        submitted_at__date__lte=until,
    )
    if survey_id is not None:
        qs = qs.filter(survey_id=survey_id)
    if where is not None:
        qs = qs.filter(where.q())
    rows = (
        qs.values_list("survey__scale", "survey__direction", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _groups(kind, rows)


def staff_score_counts(
    *,
    kind: str,
    since: dt.date,
    until: dt.date,
    survey_id: int | None = None,
    unit_ids: tuple[int, ...] | None = None,
) -> list[ScoreGroup]:
    """Staff answers (eNPS, climate) of the months from `since`'s to `until`'s: an anonymous
    answer keeps only its month, so a period is counted in whole months. `unit_ids`: only the
    answers given in those units."""
    qs = StaffAnswer.objects.filter(
        survey__kind=kind,
        score__isnull=False,
        period__gte=since.strftime("%Y-%m"),
        period__lte=until.strftime("%Y-%m"),
    )
    if survey_id is not None:
        qs = qs.filter(survey_id=survey_id)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    rows = (
        qs.values_list("survey__scale", "survey__direction", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _groups(kind, rows)


def survey_kind(survey_id: int) -> str | None:
    """The kind of a survey (None when there is no such survey)."""
    return Survey.objects.filter(pk=survey_id).values_list("kind", flat=True).first()


# ---------------------------------------------------------------------------------------------
# Answers per area of service (the self-assessment gap, kliento.metrics.self_assessment)


@dataclass(frozen=True)
class AreaAnswer:
    area: str
    team_id: int | None
    score: int


def client_surveys_with_areas() -> QuerySet[Survey]:
    """Client surveys that have at least one scale question tagged with an area."""
    return (
        Survey.objects.filter(audience=Survey.Audience.CLIENTS, questions__area__gt="")
        .distinct()
        .order_by("name")
    )


def survey_scale(survey_id: int) -> tuple[int, int] | None:
    """The survey's scale as (lowest, highest) score; None for no such survey."""
    survey = Survey.objects.filter(pk=survey_id).only("scale").first()
    if survey is None or not survey.scale:
        return None
    return scoring.bounds(survey.scale)


def area_answers(*, survey_id: int, since: dt.date, until: dt.date) -> list[AreaAnswer]:
    """Each client's score on each area-tagged question of the survey, answered from `since` to
    `until` (both included), with the team the answer is about."""
    areas = dict(
        Question.objects.filter(
            survey_id=survey_id, kind=Question.Kind.SCALE, area__gt=""
        ).values_list("pk", "area")
    )
    if not areas:
        return []
    rows = Response.objects.filter(
        survey_id=survey_id, submitted_at__date__gte=since, submitted_at__date__lte=until
    ).values_list("team_id", "answers")
    found = []
    for team_id, answers in rows.iterator(chunk_size=2000):
        for question_id, area in areas.items():
            value = (answers or {}).get(str(question_id))
            if isinstance(value, int) and not isinstance(value, bool):
                found.append(AreaAnswer(area, team_id, value))
    return found


# The answers' columns the metrics' daily rollup counts by (kliento.metrics.rollups).
ROLLUP_DIMENSIONS = (
    "survey__kind",
    "survey__scale",
    "survey__direction",
    "score",
    "survey_id",
    "team_id",
    "agent_id",
    "channel",
    "touchpoint_id",
    "stage_id",
    "client__segment_id",
    "pilot",
)


def daily_score_rows(first: dt.date, last: dt.date) -> list[dict[str, Any]]:
    """The clients' scored answers from `first` to `last` (days as `score_counts` reads them),
    counted per day ("day") and combination of ROLLUP_DIMENSIONS ("n")."""
    return list(
        Response.objects.filter(
            score__isnull=False,
            submitted_at__gte=_day_start(first),
            submitted_at__lt=_day_start(last + dt.timedelta(days=1)),
        )
        .annotate(day=TruncDate("submitted_at"))
        .values("day", *ROLLUP_DIMENSIONS)
        .annotate(n=Count("id"))
        .order_by()
    )


def _day_start(day: dt.date) -> dt.datetime:
    # A bound on the column itself (not on its date) lets an index on it be used.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def answer_days_changed_since(stamp: dt.datetime | None) -> set[dt.date]:
    """The days whose answers were given or changed after `stamp` (every day when None)."""
    qs = Response.objects.all()
    if stamp is not None:
        qs = qs.filter(updated_at__gt=stamp)
    return set(qs.dates("submitted_at", "day").order_by())


def agent_score_counts(
    *, kind: str, since: dt.date, until: dt.date, agent_ids: Iterable[int]
) -> list[ScoreGroup]:
    """The clients' scores on surveys of `kind` answered from `since` to `until` (both days
    included) about the work of the given employees (the answer's agent), counted in the
    database: the team app's refresher triggers read an employee's or a team's CSAT here."""
    qs = Response.objects.filter(
        survey__kind=kind,
        score__isnull=False,
        agent_id__in=list(agent_ids),
        submitted_at__date__gte=since,
        submitted_at__date__lte=until,
    )
    rows = (
        qs.values_list("survey__scale", "survey__direction", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _groups(kind, rows)


def scores_about(
    *,
    kind: str,
    since: dt.date,
    until: dt.date,
    agent_id: int | None = None,
    account_manager_id: int | None = None,
) -> list[ScoreGroup]:
    """The clients' scores on surveys of `kind` answered from `since` to `until` (both days
    included) about one agent's work, or given by the clients one account manager manages
    (for the motivation KPIs). Not narrowed to a viewer."""
    qs = Response.objects.filter(
        survey__kind=kind,
        score__isnull=False,
        submitted_at__date__gte=since,
        submitted_at__date__lte=until,
    )
    if agent_id is not None:
        qs = qs.filter(agent_id=agent_id)
    if account_manager_id is not None:
        qs = qs.filter(client__account_manager_id=account_manager_id)
    rows = (
        qs.values_list("survey__scale", "survey__direction", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return _groups(kind, rows)


def staff_surveys() -> QuerySet[Survey]:
    """The internal (eNPS, climate) surveys, newest first."""
    return Survey.objects.filter(kind__in=[Survey.Kind.ENPS, Survey.Kind.CLIMATE]).order_by(
        "-created_at", "-id"
    )


def dissatisfied_case_ids(*, start: dt.datetime, end: dt.datetime) -> set[int]:
    """The desk cases that a CSAT answer submitted in [start, end) calls dissatisfied (read by
    `scoring.read_score`, as the results page reads it). For QA review sampling."""
    rows = Response.objects.filter(
        survey__kind=Survey.Kind.CSAT,
        case_id__isnull=False,
        score__isnull=False,
        submitted_at__gte=start,
        submitted_at__lt=end,
    ).values_list("case_id", "score", "survey__scale", "survey__direction")
    found: set[int] = set()
    for case_id, score, scale, direction in rows:
        if case_id is None or score is None:
            continue
        try:
            reading = scoring.read_score("csat", scale or "1-5", direction, score)
        except ValueError:
            continue
        if reading.category == "dissatisfied":
            found.add(case_id)
    return found


@dataclass(frozen=True)
class OnTime:
    on_time: int  # closed at or before the due time
    counted: int  # due in the period and closed, or already overdue


def follow_ups_on_time(
    *, owner_id: int, since: dt.date, until: dt.date, now: dt.datetime | None = None
) -> OnTime:
    """One owner's follow-ups due from `since` to `until`: how many were closed in time. One
    still open counts only once it is overdue (before that it may still be closed in time)."""
    now = now or timezone.now()
    due = FollowUp.objects.filter(
        owner_id=owner_id, due_at__date__gte=since, due_at__date__lte=until
    )
    counted = due.filter(Q(closed_at__isnull=False) | Q(due_at__lte=now))
    on_time = counted.filter(closed_at__lte=models.F("due_at"))
    return OnTime(on_time=on_time.count(), counted=counted.count())
