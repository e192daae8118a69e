"""Evaluations: started against a published checklist version, answered item by item (with
notes and evidence), completed once (scored by `quality.scoring`, audited), amended only with a
reason. Findings marked "the standard did not work" raise one revision request each on the
standard they test, through the standards book's own service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.types import Actor
from kliento.quality import rules, scoring
from kliento.quality.models import (
    AreaKind,
    ChecklistVersion,
    Evaluation,
    Evidence,
    ItemResult,
    Outcome,
)
from kliento.standards import services as standards

EVALUATION_COMPLETED = "quality.evaluation_completed"
EVALUATION_AMENDED = "quality.evaluation_amended"
EXEMPLARY_MARKED = "quality.exemplary_marked"
SOURCE = "quality"

NOTE_MAX = 2_000
MAX_EVIDENCE_PER_RESULT = 10


def evidence_max_bytes() -> int:
    return int(getattr(settings, "KLIENTO_QUALITY_EVIDENCE_MAX_MB", 20)) * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    item_id: int
    outcome: str
    note: str = ""
    standard_did_not_work: bool = False


# The subject each kind of checklist needs.
_AREA_FIELD = {
    AreaKind.TOUCHPOINT: "touchpoint",
    AreaKind.STAGE: "stage",
    AreaKind.TEAM: "team",
    AreaKind.EMPLOYEE: "employee",
    AreaKind.CASE: "case",
}


def _related(field: str) -> type[models.Model]:
    # Another app's model, reached through our own foreign key (never imported by name).
    model = Evaluation._meta.get_field(field).related_model
    assert isinstance(model, type) and issubclass(model, models.Model)
    return model


def _lookup(field: str, pk: int | None, errors: dict[str, list[str]]) -> Any:
    if pk is None:
        return None
    found = _related(field)._default_manager.filter(pk=pk).first()
    if found is None:
        errors[field] = [_("No such record.")]
    return found


def _team_of(user: Any) -> OrgUnit | None:
    profile = StaffProfile.objects.filter(user=user).select_related("unit").first()
    return profile.unit if profile is not None else None


@transaction.atomic
def start_evaluation(
    *,
    actor: Actor,
    version: ChecklistVersion,
    kind: str,
    performed_at: dt.datetime | None = None,
    employee_id: int | None = None,
    team_id: int | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    case_id: int | None = None,
    call_id: int | None = None,
) -> Evaluation:
    """A draft evaluation by `actor` (None: an external shopper or the system).

    Subjects not given are filled from those given: a call names its case, a case its
    assignee, team, touchpoint and stage, an employee their team. The checklist's own area
    (a touchpoint checklist needs a touchpoint, …) must be named."""
    # Read afresh: the caller's copy may predate a publication or a supersession.
    version = ChecklistVersion.objects.select_related("checklist").get(pk=version.pk)
    errors: dict[str, list[str]] = {}
    if kind not in Evaluation.Kind.values:
        errors["kind"] = [_("Choose the kind of control.")]
    if version.status != ChecklistVersion.Status.PUBLISHED:
        errors["version"] = [_("Only a published checklist can be used.")]
    call = _lookup("call", call_id, errors)
    case = _lookup("case", case_id, errors)
    employee = _lookup("employee", employee_id, errors)
    team = _lookup("team", team_id, errors)
    touchpoint = _lookup("touchpoint", touchpoint_id, errors)
    stage = _lookup("stage", stage_id, errors)
    if performed_at is not None and performed_at > timezone.now() + dt.timedelta(minutes=5):
        errors["performed_at"] = [_("A control cannot have happened in the future.")]
    rules.raise_if(errors)
    if call is not None:
        if case is not None and case.pk != call.case_id:
            raise ValidationError({"call": [_("This call belongs to another case.")]})
        case = call.case
        employee = employee or call.agent
    if case is not None:
        employee = employee or case.assignee
        team = team or case.team
        touchpoint = touchpoint or case.touchpoint
        stage = stage or case.stage
    if employee is not None and team is None:
        team = _team_of(employee)
    subjects = {
        "touchpoint": touchpoint,
        "stage": stage,
        "team": team,
        "employee": employee,
        "case": case,
    }
    needed = _AREA_FIELD[AreaKind(version.checklist.area_kind)]
    if subjects[needed] is None:
        raise ValidationError(
            {
                needed: [
                    _("Choose the area this checklist controls (%(area)s).")
                    % {"area": AreaKind(version.checklist.area_kind).label}
                ]
            }
        )
    return Evaluation.objects.create(
        version=version,
        kind=kind,
        performed_by=actor,
        performed_at=performed_at or timezone.now(),
        call=call,
        **subjects,
    )


def _open(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.status != Evaluation.Status.DRAFT:
        raise ValidationError({"evaluation": [_("This evaluation is already completed.")]})
    return locked


def _save_answer(evaluation: Evaluation, answer: Answer) -> ItemResult:
    item = evaluation.version.items.filter(pk=answer.item_id).first()
    errors: dict[str, list[str]] = {}
    note = rules.clean_text(answer.note)
    if item is None:
        raise ValidationError({"item": [_("This item is not on the evaluation's checklist.")]})
    if answer.outcome not in Outcome.values:
        errors["outcome"] = [_("Choose met, not met or not applicable.")]
    elif answer.outcome == Outcome.NA and not item.allows_na:
        errors["outcome"] = [_("This item always applies.")]
    if answer.standard_did_not_work:
        if item.standard_id is None:
            errors["standard_did_not_work"] = [_("This item cites no standard.")]
        elif answer.outcome == Outcome.NA:
            errors["standard_did_not_work"] = [
                _("A standard that did not apply cannot have failed to work.")
            ]
    rules.limit(errors, "note", note, NOTE_MAX)
    rules.raise_if(errors)
    result, _created = ItemResult.objects.update_or_create(
        evaluation=evaluation,
        item=item,
        defaults={
            "outcome": answer.outcome,
            "note": note,
            "standard_did_not_work": answer.standard_did_not_work,
        },
    )
    return result


@transaction.atomic
def record_result(
    *,
    actor: Actor,
    evaluation: Evaluation,
    item_id: int,
    outcome: str,
    note: str = "",
    standard_did_not_work: bool = False,
) -> ItemResult:
    """Answer (or re-answer) one item of an evaluation in progress."""
    evaluation = _open(evaluation)
    return _save_answer(evaluation, Answer(item_id, outcome, note, standard_did_not_work))


@transaction.atomic
def record_results(
    *, actor: Actor, evaluation: Evaluation, answers: Sequence[Answer]
) -> list[ItemResult]:
    """Answer several items at once (the form); all or none are saved. Errors are keyed
    "item-<id>-<field>" so a form can show them beside the item."""
    evaluation = _open(evaluation)
    saved, errors = [], {}
    for answer in answers:
        try:
            with transaction.atomic():
                saved.append(_save_answer(evaluation, answer))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"item-{answer.item_id}-{field}"] = messages
    rules.raise_if(errors)
    return saved


def _lines(evaluation: Evaluation) -> tuple[list[scoring.Line], list[ItemResult]]:
    results = list(evaluation.results.select_related("item"))
    return [scoring.Line(r.item.weight, r.item.critical, r.outcome) for r in results], results


def _apply_score(evaluation: Evaluation) -> scoring.Score:
    lines, _results = _lines(evaluation)
    result = scoring.score(lines)
    evaluation.score, evaluation.critical_failed = result.value, result.critical_failed
    return result


@transaction.atomic
def complete_evaluation(
    *, actor: Actor, evaluation: Evaluation, summary: str | None = None
) -> Evaluation:
    """Score and close an evaluation: every item must be answered. Findings marked "the
    standard did not work" each raise one revision request on their standard."""
    evaluation = _open(evaluation)
    errors: dict[str, list[str]] = {}
    if summary is not None:
        evaluation.summary = rules.clean_text(summary)
        rules.limit(errors, "summary", evaluation.summary, 5_000)
    answered = set(evaluation.results.values_list("item_id", flat=True))
    missing = [item for item in evaluation.version.items.all() if item.pk not in answered]
    if missing:
        errors["results"] = [
            _("Answer every item first; %(count)s still open: %(items)s")
            % {"count": len(missing), "items": "; ".join(i.text[:60] for i in missing[:5])}
        ]
    rules.raise_if(errors)
    result = _apply_score(evaluation)
    evaluation.status = Evaluation.Status.COMPLETED
    evaluation.completed_at = timezone.now()
    evaluation.save()
    audit.record(
        actor=actor,
        action=EVALUATION_COMPLETED,
        target=evaluation,
        data={
            "score": None if result.value is None else str(result.value),
            "critical_failed": result.critical_failed,
            "checklist_version": evaluation.version_id,
        },
    )
    raise_revision_requests(evaluation=evaluation)
    return evaluation


@transaction.atomic
def amend_results(
    *, actor: Actor, evaluation: Evaluation, answers: Sequence[Answer], reason: str
) -> Evaluation:
    """Change answers of a completed evaluation (a decided dispute, a corrected mistake): the
    score is recomputed, the old and new scores and the reason are audited."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    reason = rules.clean_text(reason)
    errors: dict[str, list[str]] = {}
    if evaluation.status != Evaluation.Status.COMPLETED:
        errors["evaluation"] = [_("Only a completed evaluation is amended.")]
    if not reason:
        errors["reason"] = [_("Say why the result changes.")]
    rules.limit(errors, "reason", reason, 1_000)
    rules.raise_if(errors)
    before = evaluation.score
    for answer in answers:
        _save_answer(evaluation, answer)
    _apply_score(evaluation)
    evaluation.save()
    audit.record(
        actor=actor,
        action=EVALUATION_AMENDED,
        target=evaluation,
        data={
            "before": None if before is None else str(before),
            "after": None if evaluation.score is None else str(evaluation.score),
            "reason": reason,
        },
    )
    raise_revision_requests(evaluation=evaluation)
    return evaluation


def raise_revision_requests(*, evaluation: Evaluation) -> int:
    """One revision request per completed finding marked "the standard did not work", never
    two for the same finding (each is claimed by a conditional UPDATE first). Returns how many
    were raised now."""
    if evaluation.status != Evaluation.Status.COMPLETED:
        return 0
    pending = evaluation.results.filter(
        standard_did_not_work=True,
        revision_requested_at__isnull=True,
        item__standard__isnull=False,
    ).select_related("item")
    raised = 0
    for result in pending:
        with transaction.atomic():
            claimed = ItemResult.objects.filter(
                pk=result.pk, revision_requested_at__isnull=True
            ).update(revision_requested_at=timezone.now())
            if not claimed:
                continue
            assert result.item.standard_id is not None
            request = standards.raise_revision_request(
                actor=None,
                source=SOURCE,
                standard_id=result.item.standard_id,
                reason=_("%(kind)s #%(id)s: the rule “%(item)s” was kept but did not work.")
                % {
                    "kind": evaluation.get_kind_display(),
                    "id": evaluation.pk,
                    "item": result.item.text[:300],
                },
                evidence=result.note,
            )
            ItemResult.objects.filter(pk=result.pk).update(revision_request=request)
            raised += 1
    return raised


@transaction.atomic
def add_evidence(*, actor: Actor, result: ItemResult, upload: UploadedFile) -> Evidence:
    """Attach a photo or file to an item's result while the evaluation is in progress."""
    _open(result.evaluation)
    errors: dict[str, list[str]] = {}
    size = upload.size or 0
    if size <= 0:
        errors["file"] = [_("The file is empty.")]
    elif size > evidence_max_bytes():
        errors["file"] = [
            _("The file is larger than %(max)s MB.")
            % {"max": evidence_max_bytes() // (1024 * 1024)}
        ]
    if result.evidence.count() >= MAX_EVIDENCE_PER_RESULT:
        errors["file"] = [
            _("An item takes at most %(max)s files.") % {"max": MAX_EVIDENCE_PER_RESULT}
        ]
    rules.raise_if(errors)
    name = (upload.name or "evidence").replace("/", "_").replace("\\", "_")[-255:]
    return Evidence.objects.create(
        result=result,
        file=upload,
        filename=name,
        content_type=(upload.content_type or "")[:150],
        size=size,
        uploaded_by=actor,
    )


@transaction.atomic
def mark_exemplary(
    *, actor: Actor, evaluation: Evaluation, exemplary: bool = True, note: str = ""
) -> Evaluation:
    """Put a completed result on (or take it off) the company-wide exemplary feed."""
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    note = rules.clean_text(note)
    errors: dict[str, list[str]] = {}
    if evaluation.status != Evaluation.Status.COMPLETED:
        errors["exemplary"] = [_("Only a completed result can be exemplary.")]
    rules.limit(errors, "note", note, 500)
    rules.raise_if(errors)
    evaluation.exemplary = exemplary
    evaluation.exemplary_note = note if exemplary else ""
    evaluation.exemplary_by = actor if exemplary else None
    evaluation.exemplary_at = timezone.now() if exemplary else None
    evaluation.save()
    audit.record(
        actor=actor,
        action=EXEMPLARY_MARKED,
        target=evaluation,
        data={"exemplary": exemplary, "note": note},
    )
    return evaluation
