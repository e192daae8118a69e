"""Calibration: several reviewers score the same case blind, the facilitator closes the
session, and the agreed reference score is recorded and kept with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.quality import rules
from kliento.quality.models import (
    AreaKind,
    CalibrationSeat,
    CalibrationSession,
    ChecklistVersion,
    Evaluation,
)
from kliento.quality.services import evaluations

SESSION_CLOSED = "quality.calibration_closed"
REFERENCE_RECORDED = "quality.calibration_reference"
PERFORM = "quality.perform_evaluations"
MIN_REVIEWERS = 2


def _start(actor: Any, session: CalibrationSession) -> Evaluation:
    evaluation = evaluations.start_evaluation(
        actor=actor,
        version=session.version,
        kind=Evaluation.Kind.CALIBRATION,
        case_id=session.case_id,
    )
    # A calibration measures the reviewers, not the agent: its scores must not count in the
    # agent's (or the team's, touchpoint's, stage's) compliance, nor show on the agent's page.
    Evaluation.objects.filter(pk=evaluation.pk).update(
        employee=None, team=None, touchpoint=None, stage=None
    )
    evaluation.employee = evaluation.team = evaluation.touchpoint = evaluation.stage = None
    return evaluation


def _staff(actor: Any) -> None:
    if actor is None or not actor.has_perm(PERFORM):
        raise ValidationError({"session": [_("Only quality staff run calibration.")]})


@transaction.atomic
def create_session(
    *,
    actor: Any,
    title: str,
    case_id: int,
    version: ChecklistVersion,
    reviewer_ids: Sequence[int],
) -> CalibrationSession:
    _staff(actor)
    title = rules.clean_text(title)
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Name the session.")]
    rules.limit(errors, "title", title, 200)
    version = ChecklistVersion.objects.select_related("checklist").get(pk=version.pk)
    if (
        version.status != ChecklistVersion.Status.PUBLISHED
        or version.checklist.area_kind != AreaKind.CASE
    ):
        errors["version"] = [_("Choose a published checklist for cases.")]
    Case = CalibrationSession._meta.get_field("case").related_model
    case: Any = Case._default_manager.filter(pk=case_id).first()
    if case is None:
        errors["case"] = [_("No such record.")]
    people = list(get_user_model().objects.filter(pk__in=set(reviewer_ids), is_active=True))
    people = [p for p in people if p.has_perm(PERFORM)]
    if len(people) < MIN_REVIEWERS:
        errors["reviewers"] = [_("Choose at least two reviewers from the quality staff.")]
    rules.raise_if(errors)
    session = CalibrationSession.objects.create(
        title=title, case=case, version=version, facilitator=actor
    )
    CalibrationSeat.objects.bulk_create(
        [CalibrationSeat(session=session, reviewer=p) for p in people]
    )
    return session


@transaction.atomic
def submit_score(
    *,
    actor: Any,
    session: CalibrationSession,
    answers: Sequence[evaluations.Answer],
    summary: str = "",
) -> CalibrationSeat:
    """A reviewer's blind scoring: saved and completed at once, never changed afterwards."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    seat = (
        CalibrationSeat.objects.select_for_update().filter(session=session, reviewer=actor).first()
    )
    if seat is None:
        raise ValidationError({"session": [_("You are not a reviewer in this session.")]})
    if session.status != CalibrationSession.Status.OPEN:
        raise ValidationError({"session": [_("This session is closed.")]})
    if seat.submitted_at is not None:
        raise ValidationError({"session": [_("You have submitted your scores already.")]})
    evaluation = _start(actor, session)
    evaluations.record_results(actor=actor, evaluation=evaluation, answers=answers)
    evaluation = evaluations.complete_evaluation(
        actor=actor, evaluation=evaluation, summary=summary
    )
    seat.evaluation = evaluation
    seat.submitted_at = timezone.now()
    seat.save(update_fields=["evaluation", "submitted_at"])
    return seat


def _facilitator(actor: Any, session: CalibrationSession) -> None:
    if actor is None or actor.pk != session.facilitator_id:
        raise ValidationError({"session": [_("Only the facilitator does this.")]})


@transaction.atomic
def close_session(*, actor: Any, session: CalibrationSession) -> CalibrationSession:
    """End the blind phase: everyone's scores and the agreement become visible."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    _facilitator(actor, session)
    if session.status != CalibrationSession.Status.OPEN:
        raise ValidationError({"session": [_("This session is closed.")]})
    if session.seats.filter(submitted_at__isnull=False).count() < MIN_REVIEWERS:
        raise ValidationError({"session": [_("Wait until at least two reviewers have scored.")]})
    session.status = CalibrationSession.Status.CLOSED
    session.closed_at = timezone.now()
    session.save(update_fields=["status", "closed_at"])
    audit.record(actor=actor, action=SESSION_CLOSED, target=session, data={})
    return session


@transaction.atomic
def record_reference(
    *,
    actor: Any,
    session: CalibrationSession,
    answers: Sequence[evaluations.Answer],
    note: str,
) -> Evaluation:
    """The facilitator records the score the reviewers agreed on; it is kept for good."""
    session = CalibrationSession.objects.select_for_update().get(pk=session.pk)
    _facilitator(actor, session)
    note = rules.clean_text(note)
    if session.status != CalibrationSession.Status.CLOSED:
        raise ValidationError({"session": [_("Close the session first.")]})
    if session.reference_id is not None:
        raise ValidationError({"session": [_("The reference score is recorded already.")]})
    errors: dict[str, list[str]] = {}
    if not note:
        errors["note"] = [_("Say how the reference was agreed.")]
    rules.limit(errors, "note", note, 2_000)
    rules.raise_if(errors)
    evaluation = _start(actor, session)
    evaluations.record_results(actor=actor, evaluation=evaluation, answers=answers)
    evaluation = evaluations.complete_evaluation(actor=actor, evaluation=evaluation, summary=note)
    session.reference = evaluation
    session.reference_note = note
    session.save(update_fields=["reference", "reference_note"])
    audit.record(
        actor=actor,
        action=REFERENCE_RECORDED,
        target=session,
        data={"evaluation": evaluation.pk, "score": str(evaluation.score)},
    )
    return evaluation
