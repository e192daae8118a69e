"""QA reviews of desk cases: sampling the week's cases into the reviewers' queue, scoring a
case on a "case" checklist, and the agent's dispute that a second reviewer decides.

Sampling is deterministic: each case's place in its agent's draw is a hash of a seed, the
week and the case id, so the same week sampled again picks the same cases; one assignment per
case (a unique constraint) makes a rerun add nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.notifications import notify
from kliento.core.types import Actor
from kliento.quality import rules
from kliento.quality.models import (
    AreaKind,
    ChecklistVersion,
    Dispute,
    Evaluation,
    ReviewAssignment,
)
from kliento.quality.services import evaluations
from kliento.surveys import selectors as surveys

REVIEW_COMPLETED = "quality.review_completed"
DISPUTE_OPENED = "quality.dispute_opened"
DISPUTE_DECIDED = "quality.dispute_decided"
PERFORM = "quality.perform_evaluations"

Reason = ReviewAssignment.Reason


def sample_share() -> Decimal:
    return Decimal(str(getattr(settings, "KLIENTO_QA_SAMPLE_SHARE", "0.05")))


def dispute_days() -> int:
    return int(getattr(settings, "KLIENTO_QA_DISPUTE_DAYS", 7))


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def draw_key(seed: str, week: dt.date, case_id: int) -> str:
    return hashlib.sha256(f"{seed}:{week.isoformat()}:{case_id}".encode()).hexdigest()


@dataclass(frozen=True)
class Sampled:
    week: dt.date
    complaints: int
    low_csat: int
    random: int


def _case_model() -> Any:
    return ReviewAssignment._meta.get_field("case").related_model


def sample_week(*, week: dt.date, share: Decimal | None = None, seed: str | None = None) -> Sampled:
    """Queue the reviews of the week starting `week` (a Monday): every complaint and every
    case with a dissatisfied CSAT answer, and a random share of each agent's resolved cases
    (at least one when the agent resolved any and the share is above zero)."""
    week = monday(week)
    share = sample_share() if share is None else share
    seed = seed if seed is not None else str(getattr(settings, "KLIENTO_QA_SAMPLE_SEED", "kliento"))
    if not Decimal(0) <= share <= Decimal(1):
        raise ValidationError({"share": [_("The share is between 0 and 1.")]})
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(week, dt.time.min, tzinfo=tz)
    end = start + dt.timedelta(days=7)
    Case = _case_model()
    resolved = Case.objects.filter(
        resolved_at__gte=start, resolved_at__lt=end, assignee__isnull=False
    ).values_list("pk", "assignee_id", "kind")
    complaints = {pk: agent for pk, agent, kind in resolved if kind == "complaint"}
    poor_ids = surveys.dissatisfied_case_ids(start=start, end=end)
    low = dict(Case.objects.filter(pk__in=poor_ids).values_list("pk", "assignee_id"))
    by_agent: dict[int, list[int]] = defaultdict(list)
    for pk, agent, _kind in resolved:
        by_agent[agent].append(pk)
    picked: dict[int, int] = {}
    for agent, cases in by_agent.items():
        take = math.ceil(share * len(cases)) if share > 0 else 0
        for pk in sorted(cases, key=lambda c: draw_key(seed, week, c))[:take]:
            picked[pk] = agent
    counts = {}
    # Complaints first: a case picked by several rules is queued once, for the weightiest one.
    for reason, chosen in (
        (Reason.COMPLAINT, complaints),
        (Reason.LOW_CSAT, low),
        (Reason.RANDOM, picked),
    ):
        rows = [
            ReviewAssignment(case_id=pk, agent_id=agent, reason=reason, week=week)
            for pk, agent in chosen.items()
        ]
        before = ReviewAssignment.objects.filter(week=week, reason=reason).count()
        ReviewAssignment.objects.bulk_create(rows, ignore_conflicts=True)
        counts[reason] = ReviewAssignment.objects.filter(week=week, reason=reason).count() - before
    return Sampled(week, counts[Reason.COMPLAINT], counts[Reason.LOW_CSAT], counts[Reason.RANDOM])


@transaction.atomic
def queue_case(*, actor: Actor, case_id: int) -> ReviewAssignment:
    """A reviewer picks a case by hand (the existing assignment when it is queued already)."""
    case = _case_model().objects.filter(pk=case_id).first()
    if case is None:
        raise ValidationError({"case": [_("No such record.")]})
    found, _created = ReviewAssignment.objects.get_or_create(
        case=case,
        defaults={
            "agent_id": case.assignee_id,
            "reason": Reason.MANUAL,
            "week": monday(timezone.localdate()),
        },
    )
    return found


def _check_reviewer(actor: Any, assignment: ReviewAssignment) -> None:
    if actor is None or not actor.has_perm(PERFORM):
        raise ValidationError({"reviewer": [_("Only quality staff review cases.")]})
    if assignment.agent_id is not None and assignment.agent_id == actor.pk:
        raise ValidationError({"reviewer": [_("Nobody reviews their own case.")]})


@transaction.atomic
def start_review(
    *, actor: Any, assignment: ReviewAssignment, version: ChecklistVersion
) -> Evaluation:
    """Claim a queued case and start its scorecard (a draft evaluation of kind "review")."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    _check_reviewer(actor, assignment)
    if assignment.evaluation_id is not None:
        if assignment.reviewer_id != actor.pk:
            raise ValidationError({"reviewer": [_("Another reviewer has taken this case.")]})
        assert assignment.evaluation is not None
        return assignment.evaluation
    if version.checklist.area_kind != AreaKind.CASE:
        raise ValidationError({"version": [_("Choose a checklist for cases.")]})
    evaluation = evaluations.start_evaluation(
        actor=actor,
        version=version,
        kind=Evaluation.Kind.REVIEW,
        case_id=assignment.case_id,
        call_id=assignment.call_id,
    )
    assignment.evaluation = evaluation
    assignment.reviewer = actor
    assignment.status = ReviewAssignment.Status.IN_PROGRESS
    assignment.save(update_fields=["evaluation", "reviewer", "status"])
    return evaluation


@transaction.atomic
def submit_review(
    *,
    actor: Any,
    assignment: ReviewAssignment,
    answers: Sequence[evaluations.Answer],
    summary: str = "",
) -> Evaluation:
    """Save the scorecard and complete the review (all or nothing); the agent is told."""
    assignment = ReviewAssignment.objects.select_for_update().get(pk=assignment.pk)
    _check_reviewer(actor, assignment)
    evaluation = assignment.evaluation
    if evaluation is None or assignment.reviewer_id != actor.pk:
        raise ValidationError({"reviewer": [_("Start the review first.")]})
    evaluations.record_results(actor=actor, evaluation=evaluation, answers=answers)
    evaluation = evaluations.complete_evaluation(
        actor=actor, evaluation=evaluation, summary=summary
    )
    assignment.status = ReviewAssignment.Status.DONE
    assignment.save(update_fields=["status"])
    if evaluation.employee is not None:
        notify(
            recipients=[evaluation.employee],
            kind=REVIEW_COMPLETED,
            target_url=reverse("qareviews:review", args=[evaluation.pk]),
            params={"score": _score_text(evaluation.score), "case": assignment.case_id},
            actor=actor,
        )
    return evaluation


def _score_text(score: Decimal | None) -> str:
    return "—" if score is None else f"{score}"


def _reviewers(exclude: Sequence[int | None]) -> list[Any]:
    User = get_user_model()
    people = User.objects.filter(is_active=True).exclude(pk__in=[p for p in exclude if p])
    return [u for u in people if u.has_perm(PERFORM)]


@transaction.atomic
def open_dispute(*, actor: Any, evaluation: Evaluation, reason: str) -> Dispute:
    """The reviewed agent objects to a completed review within the dispute window."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    reason = rules.clean_text(reason)
    errors: dict[str, list[str]] = {}
    if (
        evaluation.kind != Evaluation.Kind.REVIEW
        or evaluation.status != Evaluation.Status.COMPLETED
        or evaluation.employee_id != getattr(actor, "pk", None)
    ):
        raise ValidationError({"evaluation": [_("Only the reviewed agent disputes a review.")]})
    assert evaluation.completed_at is not None
    if timezone.now() > evaluation.completed_at + dt.timedelta(days=dispute_days()):
        errors["evaluation"] = [
            _("A review can be disputed within %(days)s days.") % {"days": dispute_days()}
        ]
    if Dispute.objects.filter(evaluation=evaluation).exists():
        errors["evaluation"] = [_("This review has been disputed already.")]
    if not reason:
        errors["reason"] = [_("Say what the review got wrong.")]
    rules.limit(errors, "reason", reason, 2_000)
    rules.raise_if(errors)
    dispute = Dispute.objects.create(
        evaluation=evaluation, raised_by=actor, reason=reason, score_before=evaluation.score
    )
    audit.record(actor=actor, action=DISPUTE_OPENED, target=evaluation, data={"reason": reason})
    notify(
        recipients=_reviewers([evaluation.performed_by_id, actor.pk]),
        kind=DISPUTE_OPENED,
        target_url=reverse("qareviews:dispute", args=[dispute.pk]),
        params={"agent": str(actor), "review": evaluation.pk},
        actor=actor,
    )
    return dispute


@transaction.atomic
def decide_dispute(
    *,
    actor: Any,
    dispute: Dispute,
    decision: str,
    note: str,
    answers: Sequence[evaluations.Answer] = (),
) -> Dispute:
    """A second reviewer (never the original one, never the agent) upholds the review or
    amends its answers; an amendment rescores it (audited by `amend_results`)."""
    dispute = Dispute.objects.select_for_update().select_related("evaluation").get(pk=dispute.pk)
    evaluation = dispute.evaluation
    note = rules.clean_text(note)
    errors: dict[str, list[str]] = {}
    if actor is None or not actor.has_perm(PERFORM):
        raise ValidationError({"decision": [_("Only quality staff decide disputes.")]})
    if actor.pk in (evaluation.performed_by_id, dispute.raised_by_id, evaluation.employee_id):
        raise ValidationError(
            {"decision": [_("A second reviewer decides: not the original reviewer or the agent.")]}
        )
    if dispute.status != Dispute.Status.OPEN:
        raise ValidationError({"decision": [_("This dispute has been decided already.")]})
    if decision not in (Dispute.Status.UPHELD, Dispute.Status.AMENDED):
        errors["decision"] = [_("Uphold the review or amend it.")]
    if not note:
        errors["note"] = [_("Explain the decision to the agent.")]
    rules.limit(errors, "note", note, 2_000)
    if decision == Dispute.Status.AMENDED and not answers:
        errors["decision"] = [_("Change at least one answer to amend the review.")]
    rules.raise_if(errors)
    if decision == Dispute.Status.AMENDED:
        evaluation = evaluations.amend_results(
            actor=actor, evaluation=evaluation, answers=answers, reason=note
        )
    dispute.status = decision
    dispute.decided_by = actor
    dispute.decided_at = timezone.now()
    dispute.decision_note = note
    dispute.score_after = evaluation.score
    dispute.save()
    audit.record(
        actor=actor,
        action=DISPUTE_DECIDED,
        target=evaluation,
        data={
            "decision": decision,
            "before": _score_text(dispute.score_before),
            "after": _score_text(evaluation.score),
        },
    )
    if dispute.raised_by is not None:
        notify(
            recipients=[dispute.raised_by],
            kind=DISPUTE_DECIDED,
            target_url=reverse("qareviews:review", args=[evaluation.pk]),
            params={
                "decision": decision,
                "before": _score_text(dispute.score_before),
                "after": _score_text(evaluation.score),
            },
            actor=actor,
        )
    return dispute
