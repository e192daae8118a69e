"""The QA reviews API: reviews (an agent reads their own), disputes (an agent opens one on
their review; quality staff decide), calibration sessions (results only once visible)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import Http404
from ninja import Field, Path, Router, Schema
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID
from kliento.quality.models import Dispute, Evaluation
from kliento.quality.selectors import reviews as found
from kliento.quality.services import Answer
from kliento.quality.services import reviews as services

router = Router(tags=["quality reviews"])

VIEW = "quality.view_evaluation"
PERFORM = "quality.perform_evaluations"
ReviewId = Annotated[int, Path(ge=1, le=MAX_ID, description="Review (evaluation) id.")]
DisputeId = Annotated[int, Path(ge=1, le=MAX_ID, description="Dispute id.")]
SessionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Calibration session id.")]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class ReviewResultOut(Schema):
    item_id: int
    text: str
    weight: int
    critical: bool
    outcome: str
    note: str


class ReviewOut(Schema):
    id: int
    case_id: int | None
    call_id: int | None
    employee_id: int | None
    reviewer_id: int | None
    checklist: str
    score: Decimal | None
    critical_failed: bool
    completed_at: dt.datetime | None
    exemplary: bool


class ReviewDetail(ReviewOut):
    summary: str
    results: list[ReviewResultOut]
    dispute_id: int | None


class DisputeIn(Schema):
    reason: str = Field(max_length=2000)


class ReviewAnswerIn(Schema):
    item_id: int = Field(ge=1, le=MAX_ID)
    outcome: str = Field(description="pass, fail or na.")


class DecisionIn(Schema):
    decision: str = Field(description="upheld or amended.")
    note: str = Field(max_length=2000)
    answers: list[ReviewAnswerIn] = Field(default_factory=list, max_length=200)


class DisputeOut(Schema):
    id: int
    review_id: int
    raised_by_id: int | None
    reason: str
    status: str
    raised_at: dt.datetime
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_note: str
    score_before: Decimal | None
    score_after: Decimal | None


class ItemAgreementOut(Schema):
    item_id: int
    text: str
    outcomes: list[str | None]
    reference: str | None
    agreement: float | None


class SessionOut(Schema):
    id: int
    title: str
    case_id: int
    status: str
    facilitator_id: int | None
    reviewers: int
    submitted: int
    reference_id: int | None
    scores_visible: bool = Field(description="False while the blind phase hides them.")
    reviewer_ids: list[int] | None
    scores: list[Decimal | None] | None
    items: list[ItemAgreementOut] | None
    percent_agreement: float | None
    krippendorff_alpha: float | None
    fleiss_kappa: float | None
    reference_score: Decimal | None


def _review(e: Evaluation, detail: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": e.pk,
        "case_id": e.case_id,
        "call_id": e.call_id,
        "employee_id": e.employee_id,
        "reviewer_id": e.performed_by_id,
        "checklist": str(e.version.checklist),
        "score": e.score,
        "critical_failed": e.critical_failed,
        "completed_at": e.completed_at,
        "exemplary": e.exemplary,
    }
    if detail:
        dispute = found.dispute_of(e)
        out |= {
            "summary": e.summary,
            "dispute_id": dispute.pk if dispute else None,
            "results": [
                {
                    "item_id": r.item_id,
                    "text": r.item.text,
                    "weight": r.item.weight,
                    "critical": r.item.critical,
                    "outcome": r.outcome,
                    "note": r.note,
                }
                for r in found.results_of(e)
            ],
        }
    return out


def _dispute(d: Dispute) -> dict[str, Any]:
    return {
        "id": d.pk,
        "review_id": d.evaluation_id,
        "raised_by_id": d.raised_by_id,
        "reason": d.reason,
        "status": d.status,
        "raised_at": d.raised_at,
        "decided_by_id": d.decided_by_id,
        "decided_at": d.decided_at,
        "decision_note": d.decision_note,
        "score_before": d.score_before,
        "score_after": d.score_after,
    }


@router.get(
    "/reviews",
    response={200: list[ReviewOut], **ERRORS},
    summary="Completed QA reviews (an agent: their own)",
    **needs(VIEW),
)
def list_reviews(request: Any) -> Any:
    return [_review(e) for e in found.completed_reviews_for(request.user)[:500]]


def _visible_review(request: Any, review_id: int) -> Evaluation:
    review = found.review_for(request.user, review_id)
    if review is None or review.status != Evaluation.Status.COMPLETED:
        raise Http404
    return review


@router.get(
    "/reviews/{review_id}",
    response={200: ReviewDetail, **ERRORS},
    summary="A review with its item results",
    **needs(VIEW),
)
def get_review(request: Any, review_id: ReviewId) -> Any:
    return _review(_visible_review(request, review_id), detail=True)


@router.post(
    "/reviews/{review_id}/dispute",
    response={201: DisputeOut, **ERRORS},
    summary="Dispute one's own review (within the dispute window)",
    **needs(VIEW),
)
def open_dispute(request: Any, review_id: ReviewId, payload: DisputeIn) -> Any:
    review = _visible_review(request, review_id)
    dispute = services.open_dispute(actor=request.user, evaluation=review, reason=payload.reason)
    return Status(201, _dispute(dispute))


@router.get(
    "/disputes",
    response={200: list[DisputeOut], **ERRORS},
    summary="Disputes (an agent: their own)",
    **needs(VIEW),
)
def list_disputes(request: Any) -> Any:
    return [_dispute(d) for d in found.disputes_for(request.user)[:500]]


@router.get(
    "/disputes/{dispute_id}",
    response={200: DisputeOut, **ERRORS},
    summary="A dispute",
    **needs(VIEW),
)
def get_dispute(request: Any, dispute_id: DisputeId) -> Any:
    dispute = found.dispute_for(request.user, dispute_id)
    if dispute is None:
        raise Http404
    return _dispute(dispute)


@router.post(
    "/disputes/{dispute_id}/decision",
    response={200: DisputeOut, **ERRORS},
    summary="Decide a dispute (a second reviewer): upheld, or amended with changed answers",
    **needs(VIEW, PERFORM),
)
def decide_dispute(request: Any, dispute_id: DisputeId, payload: DecisionIn) -> Any:
    dispute = found.dispute_for(request.user, dispute_id)
    if dispute is None:
        raise Http404
    decided = services.decide_dispute(
        actor=request.user,
        dispute=dispute,
        decision=payload.decision,
        note=payload.note,
        answers=[Answer(a.item_id, a.outcome) for a in payload.answers],
    )
    return _dispute(decided)


@router.get(
    "/calibrations",
    response={200: list[SessionOut], **ERRORS},
    summary="Calibration sessions (scores only where the blind phase allows)",
    **needs(VIEW, PERFORM),
)
def list_sessions(request: Any) -> Any:
    return [_session(request, s) for s in found.sessions_for(request.user)[:100]]


@router.get(
    "/calibrations/{session_id}",
    response={200: SessionOut, **ERRORS},
    summary="A calibration session and, once visible, each reviewer's scores and agreement",
    **needs(VIEW, PERFORM),
)
def get_session(request: Any, session_id: SessionId) -> Any:
    session = found.session_for(request.user, session_id)
    if session is None:
        raise Http404
    return _session(request, session)


def _session(request: Any, s: Any) -> dict[str, Any]:
    seats = list(s.seats.all())
    visible = found.may_see_scores(request.user, s)
    out: dict[str, Any] = {
        "id": s.pk,
        "title": s.title,
        "case_id": s.case_id,
        "status": s.status,
        "facilitator_id": s.facilitator_id,
        "reviewers": len(seats),
        "submitted": sum(1 for seat in seats if seat.submitted_at),
        "reference_id": s.reference_id,
        "scores_visible": visible,
        "reviewer_ids": None,
        "scores": None,
        "items": None,
        "percent_agreement": None,
        "krippendorff_alpha": None,
        "fleiss_kappa": None,
        "reference_score": None,
    }
    if visible:
        r = found.calibration_result(s)
        out |= {
            "reviewer_ids": [p.pk for p in r.reviewers],
            "scores": r.scores,
            "items": [
                {
                    "item_id": i.item_id,
                    "text": i.text,
                    "outcomes": i.outcomes,
                    "reference": i.reference,
                    "agreement": i.agreement,
                }
                for i in r.items
            ],
            "percent_agreement": r.percent,
            "krippendorff_alpha": r.alpha,
            "fleiss_kappa": r.kappa,
            "reference_score": r.reference_score,
        }
    return out
