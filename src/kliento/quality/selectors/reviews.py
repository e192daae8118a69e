"""Reads of QA reviews: the reviewers' queue, reviews an agent may see, disputes, and
calibration sessions with their blind-until-submitted results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kliento.quality import agreement
from kliento.quality.models import (
    CalibrationSeat,
    CalibrationSession,
    Dispute,
    Evaluation,
    ItemResult,
    Outcome,
    ReviewAssignment,
)
from kliento.quality.selectors.access import VIEW_ALL, visible_evaluations

PERFORM = "quality.perform_evaluations"


def _active(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def queue(user: Any) -> QuerySet[ReviewAssignment]:
    """Open and in-progress assignments, for quality staff; never their own cases."""
    if not _active(user) or not user.has_perm(PERFORM):
        return ReviewAssignment.objects.none()
    return (
        ReviewAssignment.objects.exclude(status=ReviewAssignment.Status.DONE)
        .exclude(agent=user)
        .select_related("case", "agent", "reviewer")
        .order_by("week", "id")
    )


def assignment_for(user: Any, pk: int) -> ReviewAssignment | None:
    return queue(user).filter(pk=pk).first()


def reviews_for(user: Any) -> QuerySet[Evaluation]:
    """Reviews a person may see, by the rule of every evaluation (selectors/access.py): quality
    staff every one, a manager their team's completed ones, an agent the completed reviews of
    their own work, a reviewer the ones they scored."""
    return visible_evaluations(user).filter(kind=Evaluation.Kind.REVIEW).select_related("case")


def completed_reviews_for(user: Any) -> QuerySet[Evaluation]:
    return reviews_for(user).filter(status=Evaluation.Status.COMPLETED).order_by("-completed_at")


def review_for(user: Any, pk: int) -> Evaluation | None:
    return reviews_for(user).filter(pk=pk).first()


def results_of(evaluation: Evaluation) -> QuerySet[ItemResult]:
    return evaluation.results.select_related("item").order_by("item__position", "item_id")


def dispute_of(evaluation: Evaluation) -> Dispute | None:
    return Dispute.objects.filter(evaluation=evaluation).select_related("decided_by").first()


def disputes_for(user: Any) -> QuerySet[Dispute]:
    """Quality staff see every dispute; a manager those about reviews they may see; an agent
    their own."""
    found = Dispute.objects.select_related("evaluation__case", "raised_by", "decided_by")
    if not _active(user):
        return found.none()
    if user.has_perm(VIEW_ALL):
        return found
    return found.filter(Q(raised_by=user) | Q(evaluation__in=reviews_for(user).values("pk")))


def dispute_for(user: Any, pk: int) -> Dispute | None:
    return disputes_for(user).filter(pk=pk).first()


def sessions_for(user: Any) -> QuerySet[CalibrationSession]:
    """Quality staff and whoever runs calibration (managers) see every session, whose scores
    stay blind until the close (`may_see_scores`); a reviewer the sessions they sit in."""
    found = CalibrationSession.objects.select_related("case", "facilitator", "version__checklist")
    if not _active(user):
        return found.none()
    if user.has_perm(VIEW_ALL) or user.has_perm(PERFORM):
        return found
    return found.filter(Q(seats__reviewer=user) | Q(facilitator=user)).distinct()


def session_for(user: Any, pk: int) -> CalibrationSession | None:
    return sessions_for(user).filter(pk=pk).first()


def seat_of(user: Any, session: CalibrationSession) -> CalibrationSeat | None:
    return session.seats.filter(reviewer=user).first() if _active(user) else None


def may_see_scores(user: Any, session: CalibrationSession) -> bool:
    """Blind scoring: others' scores show once the session is closed, or to a reviewer who has
    submitted their own. The facilitator too waits for the close."""
    if session.status == CalibrationSession.Status.CLOSED:
        return True
    seat = seat_of(user, session)
    return seat is not None and seat.submitted_at is not None


@dataclass(frozen=True)
class ItemAgreement:
    item_id: int
    text: str
    outcomes: list[str | None]  # per reviewer, in seat order; None: not scored
    reference: str | None
    agreement: float | None

    @property
    def labels(self) -> list[str]:
        return [_label(o) for o in self.outcomes]

    @property
    def reference_label(self) -> str:
        return _label(self.reference)


def _label(outcome: str | None) -> str:
    return str(Outcome(outcome).label) if outcome in Outcome.values else "—"


@dataclass(frozen=True)
class CalibrationResult:
    reviewers: list[Any]
    scores: list[Any]  # per reviewer: Decimal score or None
    items: list[ItemAgreement]
    percent: float | None
    alpha: float | None
    kappa: float | None
    kappa_items: int
    reference_score: Any


def calibration_result(session: CalibrationSession) -> CalibrationResult:
    seats = list(
        session.seats.filter(submitted_at__isnull=False).select_related("reviewer", "evaluation")
    )
    evaluation_ids = [s.evaluation_id for s in seats if s.evaluation_id is not None]
    if session.reference_id:
        evaluation_ids.append(session.reference_id)
    outcome: dict[tuple[int | None, int], str] = {
        (r.evaluation_id, r.item_id): r.outcome
        for r in ItemResult.objects.filter(evaluation_id__in=evaluation_ids)
    }
    items = []
    units = []
    for item in session.version.items.order_by("position", "id"):
        given = [outcome.get((s.evaluation_id, item.pk)) for s in seats]
        units.append(given)
        items.append(
            ItemAgreement(
                item_id=item.pk,
                text=item.text,
                outcomes=given,
                reference=outcome.get((session.reference_id, item.pk)),
                agreement=agreement.unit_agreement(given),
            )
        )
    kappa = agreement.fleiss_kappa(units)
    reference = session.reference
    return CalibrationResult(
        reviewers=[s.reviewer for s in seats],
        scores=[s.evaluation.score if s.evaluation else None for s in seats],
        items=items,
        percent=agreement.percent_agreement(units),
        alpha=agreement.krippendorff_alpha_nominal(units),
        kappa=kappa.value,
        kappa_items=kappa.units_used,
        reference_score=reference.score if reference is not None else None,
    )
