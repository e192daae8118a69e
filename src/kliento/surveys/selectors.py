"""Reads of the surveys app: who sees which answers, the results of a survey, follow-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from kliento.surveys import scoring
from kliento.surveys.models import FollowUp, Invitation, Response, Survey

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
