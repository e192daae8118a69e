"""The quality API: checklists (read for staff, write for quality staff), evaluations (audits
and mystery shops: start, answer, complete), mystery-shop assignments, corrective actions and
compliance. Mounted at /api/v1 (see docs/quality.md); invalid input answers 422."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import AfterValidator

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.quality import selectors, services
from kliento.quality.models import (
    Checklist,
    ChecklistItem,
    ChecklistVersion,
    CorrectiveAction,
    Evaluation,
    ItemResult,
    ShopAssignment,
)
from kliento.quality.services import programme

router = Router(tags=["quality"])

ChecklistId = Annotated[int, Path(ge=1, le=MAX_ID, description="Checklist id.")]
EvaluationId = Annotated[int, Path(ge=1, le=MAX_ID, description="Evaluation id.")]
ActionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Corrective action id.")]

VIEW_CHECKLISTS = "quality.view_checklist"
MANAGE = "quality.manage_checklists"
VIEW = "quality.view_evaluation"
VIEW_ALL = "quality.view_all_evaluations"
PERFORM = "quality.perform_evaluations"
PLAN = "quality.plan_control"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class ItemOut(Schema):
    id: int
    position: int
    text: str
    standard_id: int | None
    standard_version_id: int | None
    weight: int
    critical: bool
    allows_na: bool


class VersionOut(Schema):
    id: int
    number: int
    status: str = Field(description="draft, published or superseded.")
    published_at: dt.datetime | None
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: ChecklistVersion) -> list[ChecklistItem]:
        return list(obj.items.all())


class ChecklistOut(Schema):
    id: int
    name: str
    area_kind: str = Field(description="touchpoint, stage, team, employee or case.")
    description: str
    owner_id: int
    published: VersionOut | None
    draft: VersionOut | None = Field(description="Only for those who write checklists.")


class ChecklistIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    area_kind: str = Field(examples=["touchpoint"])
    owner_id: Id
    description: Text = Field("", max_length=2_000)
    standard_ids: list[Id] = Field(
        [], max_length=200, description="Build the draft from these published standards."
    )


class ItemIn(Schema):
    text: Text = Field(min_length=1, max_length=1_000)
    standard_id: Id | None = None
    weight: int = Field(1, ge=1, le=100)
    critical: bool = False
    allows_na: bool = False


class PublishIn(Schema):
    change_note: Text = Field("", max_length=300)


class EvaluationAnswerIn(Schema):
    item_id: Id
    outcome: str = Field(description="pass, fail or na.")
    note: Text = Field("", max_length=2_000)
    standard_did_not_work: bool = False


class EvaluationAnswersIn(Schema):
    answers: list[EvaluationAnswerIn] = Field([], max_length=200)
    complete: bool = False
    summary: Text = Field("", max_length=5_000)


class EvaluationIn(EvaluationAnswersIn):
    checklist_id: Id
    kind: str = Field("audit", description="audit or mystery_shop.")
    performed_at: dt.datetime | None = None
    employee_id: Id | None = None
    team_id: Id | None = None
    touchpoint_id: Id | None = None
    stage_id: Id | None = None


class EvaluationResultOut(Schema):
    id: int
    item_id: int
    outcome: str
    note: str
    standard_did_not_work: bool
    revision_request_id: int | None


class EvaluationOut(Schema):
    id: int
    checklist_id: int
    version_id: int
    kind: str
    status: str
    performed_by_id: int | None
    performed_at: dt.datetime
    employee_id: int | None
    team_id: int | None
    touchpoint_id: int | None
    stage_id: int | None
    case_id: int | None
    call_id: int | None
    score: Decimal | None = Field(
        description="0–100; null until completed or when nothing applied."
    )
    critical_failed: bool
    exemplary: bool
    summary: str
    results: list[EvaluationResultOut]

    @staticmethod
    def resolve_checklist_id(obj: Evaluation) -> int:
        return obj.version.checklist_id

    @staticmethod
    def resolve_results(obj: Evaluation) -> list[ItemResult]:
        return list(obj.results.all())


class EvaluationFilters(Schema):
    kind: str = Field("", description="Only this kind.")
    employee_id: QueryId | None = None
    since: dt.date | None = None


class AssignmentOut(Schema):
    id: int
    checklist_id: int
    channel: str
    scenario: str
    window_start: dt.date
    window_end: dt.date
    touchpoint_id: int | None
    stage_id: int | None
    employee_id: int | None
    shopper_id: int | None
    external_name: str
    status: str
    evaluation_id: int | None


class AssignmentIn(Schema):
    checklist_id: Id
    channel: str = Field(examples=["call"], description="visit, call, chat or email.")
    scenario: Text = Field(min_length=1, max_length=5_000)
    window_start: dt.date | None = Field(None, description="Both left out: the current quarter.")
    window_end: dt.date | None = None
    touchpoint_id: Id | None = None
    stage_id: Id | None = None
    employee_id: Id | None = None
    shopper_id: Id | None = Field(None, description="An internal shopper (a user).")
    external_name: Text = Field("", max_length=200)
    external_email: Text = Field("", max_length=254)


class ActionOut(Schema):
    id: int
    result_id: int
    evaluation_id: int
    description: str
    owner_id: int
    due_on: dt.date
    status: str
    outcome_note: str

    @staticmethod
    def resolve_evaluation_id(obj: CorrectiveAction) -> int:
        return obj.result.evaluation_id


class ActionIn(Schema):
    result_id: Id
    description: Text = Field(min_length=1, max_length=2_000)
    owner_id: Id
    due_on: dt.date


class CloseIn(Schema):
    done: bool = True
    note: Text = Field("", max_length=1_000)


class ComplianceFilters(Schema):
    start: dt.date
    end: dt.date
    employee_id: QueryId | None = None
    team_id: QueryId | None = None
    touchpoint_id: QueryId | None = None
    stage_id: QueryId | None = None
    standard_id: QueryId | None = None


class ComplianceOut(Schema):
    score_mean: Decimal | None
    item_rate: Decimal | None
    n_evaluations: int
    n_scored: int
    zeroed: int
    n_items: int
    passed_items: int
    failed_items: int
    na_items: int
    critical_failures: int
    protected_findings: int


def _user(pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = get_user_model().objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise ValidationError({field: ["There is no such active person."]})
    return found


def _checklist_out(request: Any, checklist: Checklist) -> dict[str, Any]:
    return {
        "id": checklist.pk,
        "name": checklist.name,
        "area_kind": checklist.area_kind,
        "description": checklist.description,
        "owner_id": checklist.owner_id,
        "published": selectors.published_version(checklist),
        "draft": selectors.draft_version(checklist) if request.user.has_perm(MANAGE) else None,
    }


def _checklist(checklist_id: int) -> Checklist:
    return get_object_or_404(selectors.checklists(), pk=checklist_id)


@router.get(
    "/quality/checklists",
    response={200: list[ChecklistOut], **ERRORS},
    summary="Every checklist with its published version (and draft, for quality staff)",
    **needs(VIEW_CHECKLISTS),
)
def list_checklists(request: Any) -> list[dict[str, Any]]:
    return [_checklist_out(request, c) for c in selectors.checklists()]


@router.get(
    "/quality/checklists/{checklist_id}",
    response={200: ChecklistOut, **ERRORS},
    summary="One checklist",
    **needs(VIEW_CHECKLISTS),
)
def get_checklist(request: Any, checklist_id: ChecklistId) -> dict[str, Any]:
    return _checklist_out(request, _checklist(checklist_id))


@router.post(
    "/quality/checklists",
    response={201: ChecklistOut, **ERRORS},
    summary="Create a checklist (empty draft, or built from published standards)",
    **needs(VIEW_CHECKLISTS, MANAGE),
)
def create_checklist(request: Any, payload: ChecklistIn) -> Status[dict[str, Any]]:
    fields = {
        "actor": request.user,
        "name": payload.name,
        "area_kind": payload.area_kind,
        "owner": _user(payload.owner_id, "owner_id"),
        "description": payload.description,
    }
    if payload.standard_ids:
        made = services.build_from_standards(standard_ids=payload.standard_ids, **fields)
    else:
        made = services.create_checklist(**fields)
    return Status(201, _checklist_out(request, _checklist(made.pk)))


@router.post(
    "/quality/checklists/{checklist_id}/items",
    response={201: ItemOut, **ERRORS},
    summary="Add an item to the checklist's draft (a new draft is started if needed)",
    **needs(VIEW_CHECKLISTS, MANAGE),
)
def add_item(request: Any, checklist_id: ChecklistId, payload: ItemIn) -> Status[ChecklistItem]:
    checklist = _checklist(checklist_id)
    with transaction.atomic():
        draft = services.start_revision(actor=request.user, checklist=checklist)
        item = services.add_item(
            actor=request.user,
            version=draft,
            text=payload.text,
            standard_id=payload.standard_id,
            weight=payload.weight,
            critical=payload.critical,
            allows_na=payload.allows_na,
        )
    return Status(201, item)


@router.post(
    "/quality/checklists/{checklist_id}/publish",
    response={200: ChecklistOut, **ERRORS},
    summary="Publish the draft; the version in use before is superseded",
    **needs(VIEW_CHECKLISTS, MANAGE),
)
def publish(request: Any, checklist_id: ChecklistId, payload: PublishIn) -> dict[str, Any]:
    checklist = _checklist(checklist_id)
    draft = selectors.draft_version(checklist)
    if draft is None:
        raise ValidationError({"version": ["There is no draft to publish."]})
    services.publish_version(actor=request.user, version=draft, change_note=payload.change_note)
    return _checklist_out(request, _checklist(checklist_id))


def _evaluations(request: Any) -> Any:
    return selectors.visible_evaluations(request.user).prefetch_related("results")


@router.get(
    "/quality/evaluations",
    response={200: list[EvaluationOut], **ERRORS},
    summary="Evaluations the caller may see (all for quality staff, else their own), newest first",
    **needs(VIEW),
)
def list_evaluations(request: Any, filters: Query[EvaluationFilters]) -> list[Evaluation]:
    found = _evaluations(request)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.employee_id:
        found = found.filter(employee_id=filters.employee_id)
    if filters.since:
        found = found.filter(performed_at__date__gte=filters.since)
    return list(found[:500])


@router.get(
    "/quality/evaluations/{evaluation_id}",
    response={200: EvaluationOut, **ERRORS},
    summary="One evaluation with its item results",
    **needs(VIEW),
)
def get_evaluation(request: Any, evaluation_id: EvaluationId) -> Evaluation:
    return get_object_or_404(_evaluations(request), pk=evaluation_id)


def _answers(payload: EvaluationAnswersIn) -> list[services.Answer]:
    return [
        services.Answer(a.item_id, a.outcome, a.note, a.standard_did_not_work)
        for a in payload.answers
    ]


@router.post(
    "/quality/evaluations",
    response={201: EvaluationOut, **ERRORS},
    summary="Record an audit or mystery shop: start it, answer items, optionally complete it",
    **needs(VIEW, PERFORM),
)
def create_evaluation(request: Any, payload: EvaluationIn) -> Status[Evaluation]:
    checklist = _checklist(payload.checklist_id)
    version = selectors.published_version(checklist)
    if version is None:
        raise ValidationError({"checklist_id": ["This checklist has no published version."]})
    if payload.kind not in (Evaluation.Kind.AUDIT, Evaluation.Kind.MYSTERY_SHOP):
        raise ValidationError({"kind": ["Use audit or mystery_shop here."]})
    with transaction.atomic():
        evaluation = services.start_evaluation(
            actor=request.user,
            version=version,
            kind=payload.kind,
            performed_at=payload.performed_at,
            employee_id=payload.employee_id,
            team_id=payload.team_id,
            touchpoint_id=payload.touchpoint_id,
            stage_id=payload.stage_id,
        )
        if payload.answers:
            services.record_results(
                actor=request.user, evaluation=evaluation, answers=_answers(payload)
            )
        if payload.complete:
            services.complete_evaluation(
                actor=request.user, evaluation=evaluation, summary=payload.summary
            )
    return Status(201, _evaluations(request).get(pk=evaluation.pk))


@router.post(
    "/quality/evaluations/{evaluation_id}/results",
    response={200: EvaluationOut, **ERRORS},
    summary="Answer items of an evaluation in progress, optionally completing it",
    **needs(VIEW, PERFORM),
)
def answer(request: Any, evaluation_id: EvaluationId, payload: EvaluationAnswersIn) -> Evaluation:
    evaluation = get_object_or_404(_evaluations(request), pk=evaluation_id)
    with transaction.atomic():
        if payload.answers:
            services.record_results(
                actor=request.user, evaluation=evaluation, answers=_answers(payload)
            )
        if payload.complete:
            services.complete_evaluation(
                actor=request.user, evaluation=evaluation, summary=payload.summary
            )
    return _evaluations(request).get(pk=evaluation.pk)


@router.get(
    "/quality/assignments",
    response={200: list[AssignmentOut], **ERRORS},
    summary="Mystery-shop assignments (all for planners, else the caller's own)",
    **needs(VIEW),
)
def list_assignments(request: Any) -> list[ShopAssignment]:
    return list(selectors.assignments_for(request.user).order_by("-window_start", "-id")[:500])


@router.post(
    "/quality/assignments",
    response={201: AssignmentOut, **ERRORS},
    summary="Assign a mystery shop to an internal or external shopper",
    **needs(VIEW, PLAN),
)
def create_assignment(request: Any, payload: AssignmentIn) -> Status[ShopAssignment]:
    checklist = _checklist(payload.checklist_id)
    made = programme.assign_shop(
        actor=request.user,
        checklist=checklist,
        channel=payload.channel,
        scenario=payload.scenario,
        window_start=payload.window_start,
        window_end=payload.window_end,
        touchpoint_id=payload.touchpoint_id,
        stage_id=payload.stage_id,
        employee_id=payload.employee_id,
        shopper=_user(payload.shopper_id, "shopper_id"),
        external_name=payload.external_name,
        external_email=payload.external_email,
    )
    return Status(201, made)


@router.get(
    "/quality/actions",
    response={200: list[ActionOut], **ERRORS},
    summary="Corrective actions (all for quality staff, else the caller's own)",
    **needs(VIEW),
)
def list_actions(request: Any) -> list[CorrectiveAction]:
    return list(selectors.actions_for(request.user)[:500])


@router.post(
    "/quality/actions",
    response={201: ActionOut, **ERRORS},
    summary="Open the corrective action of a failed item",
    **needs(VIEW, PERFORM),
)
def open_action(request: Any, payload: ActionIn) -> Status[CorrectiveAction]:
    result = ItemResult.objects.filter(pk=payload.result_id).first()
    if result is None or not selectors.may_see_evaluation(request.user, result.evaluation):
        raise ValidationError({"result_id": ["There is no such finding."]})
    action = programme.open_corrective_action(
        actor=request.user,
        result=result,
        description=payload.description,
        owner=_user(payload.owner_id, "owner_id"),
        due_on=payload.due_on,
    )
    return Status(201, action)


@router.post(
    "/quality/actions/{action_id}/close",
    response={200: ActionOut, **ERRORS},
    summary="Close a corrective action as done or cancelled",
    **needs(VIEW),
)
def close_action(request: Any, action_id: ActionId, payload: CloseIn) -> CorrectiveAction:
    found = selectors.actions_for(request.user).filter(pk=action_id).first()
    if found is None:
        raise Http404
    return programme.close_corrective_action(
        actor=request.user, action=found, done=payload.done, note=payload.note
    )


@router.get(
    "/quality/compliance",
    response={200: ComplianceOut, **ERRORS},
    summary="Compliance of an area (or the company) over an inclusive period of dates",
    **needs(VIEW, VIEW_ALL),
)
def compliance(request: Any, filters: Query[ComplianceFilters]) -> dict[str, Any]:
    if filters.end < filters.start:
        raise ValidationError({"end": ["The period ends before it starts."]})
    found = selectors.compliance(**filters.dict())
    return {**found.__dict__, "item_rate": found.item_rate}
