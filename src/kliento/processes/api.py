"""The processes API: definitions (read for staff, write for managers), a client's runs, one
run with its steps, starting a run, completing a step, signing off a control point and the
overdue list. Mounted at /api/v1 (see docs/api.md)."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import Field, File, Form, Path, Router, Schema, UploadedFile
from ninja.errors import AuthorizationError
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_errors import BODY, error_items
from kliento.core.api_types import MAX_ID, Id
from kliento.processes import rules, selectors, services
from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep

router = Router(tags=["processes"])

ProcessId = Annotated[int, Path(ge=1, le=MAX_ID, description="Process id.")]
ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Client id.")]
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="Run id.")]
StepId = Annotated[int, Path(ge=1, le=MAX_ID, description="Step id (of that run).")]
# The multipart fields of completing a step (module-level: one instance, as ninja reads it).
RESULT_FIELD: Any = Form("", max_length=rules.RESULT_MAX)
ATTACHMENT_FIELD: Any = File(None)
Role = Literal["administrator", "manager", "stage_owner", "agent", "auditor"]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class StepOut(Schema):
    position: int
    title: str
    result: str = Field(description="The concrete result the step must produce.")
    role: str
    duration_days: int
    control_point: bool
    review_days: int = Field(description="Days a manager has to sign the control point off.")


class ProcessOut(Schema):
    id: int
    name: str
    description: str
    version: int = Field(description="The current version's number.")
    version_id: int
    published_at: dt.datetime
    steps: list[StepOut]


class StepIn(Schema):
    title: str = Field(max_length=rules.TEXT_MAX, examples=["Sign the contract"])
    result: str = Field(max_length=rules.TEXT_MAX, examples=["contract signed"])
    role: Role
    duration_days: int = Field(ge=1, le=rules.MAX_DURATION_DAYS)
    control_point: bool = False
    review_days: int = Field(1, ge=1, le=rules.MAX_DURATION_DAYS)


class ProcessIn(Schema):
    name: str = Field(max_length=rules.NAME_MAX, examples=["B2B onboarding"])
    description: str = Field("", max_length=5000)
    steps: list[StepIn] = Field(description="In order; at least one.")


class RunStepOut(Schema):
    id: int
    position: int
    title: str
    result: str
    role: str
    control_point: bool
    state: str = Field(description="waiting, open, review (awaits sign-off) or done.")
    overdue: bool = Field(description="Open past its due time, or awaiting sign-off past it.")
    opened_at: dt.datetime | None
    due_at: dt.datetime | None
    result_text: str
    attachment_name: str
    completed_at: dt.datetime | None
    completed_by_id: int | None
    review_due_at: dt.datetime | None
    reviewed_at: dt.datetime | None
    reviewed_by_id: int | None
    review_comment: str


class RunOut(Schema):
    id: int
    client_id: int
    process_id: int
    process: str
    version: int
    subject: str
    owner_id: int
    started_at: dt.datetime
    completed_at: dt.datetime | None
    step_count: int
    done_count: int


class RunDetailOut(RunOut):
    steps: list[RunStepOut]


class RunIn(Schema):
    process_id: Id
    subject: str = Field("", max_length=rules.TEXT_MAX, description="A deal or project, optional.")
    owner_id: Id | None = Field(None, description="Who answers for the run. Default: the caller.")


class SignOffIn(Schema):
    decision: Literal["accept", "return"]
    comment: str = Field("", max_length=rules.COMMENT_MAX, description="Required to send back.")


class OverdueOut(Schema):
    kind: str = Field(description="step or control_point.")
    run_id: int
    step_id: int
    client_id: int
    client_name: str
    process: str
    step: str
    owner_id: int
    due_at: dt.datetime
    late_seconds: int


# ---------------------------------------------------------------------------------------------


def _process_out(definition: ProcessDefinition) -> dict[str, Any]:
    version = definition.current
    assert version is not None
    return {
        "id": definition.pk,
        "name": version.name,
        "description": version.description,
        "version": version.number,
        "version_id": version.pk,
        "published_at": version.published_at,
        "steps": list(version.steps.all()),
    }


def _step_out(step: RunStep) -> dict[str, Any]:
    t = step.template
    return {
        "id": step.pk,
        "position": step.position,
        "title": t.title,
        "result": t.result,
        "role": t.role,
        "control_point": t.control_point,
        "state": step.state,
        "overdue": step.is_overdue(),
        "opened_at": step.opened_at,
        "due_at": step.due_at,
        "result_text": step.result_text,
        "attachment_name": step.attachment_name,
        "completed_at": step.completed_at,
        "completed_by_id": step.completed_by_id,
        "review_due_at": step.review_due_at,
        "reviewed_at": step.reviewed_at,
        "reviewed_by_id": step.reviewed_by_id,
        "review_comment": step.review_comment,
    }


def _run_out(run: ProcessRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "client_id": run.client_id,
        "process_id": run.version.definition_id,
        "process": run.version.name,
        "version": run.version.number,
        "subject": run.subject,
        "owner_id": run.owner_id,
        "started_at": run.started_at,
        "completed_at": run.completed_at,
        "step_count": getattr(run, "step_count", 0),
        "done_count": getattr(run, "done_count", 0),
    }


def _run_detail(run_id: int) -> dict[str, Any]:
    try:
        run = selectors.run(run_id)
    except ProcessRun.DoesNotExist:
        raise Http404 from None
    return {**_run_out(run), "steps": [_step_out(s) for s in selectors.steps_of(run_id)]}


def _definition(pk: int) -> ProcessDefinition:
    try:
        return selectors.definition(pk)
    except ProcessDefinition.DoesNotExist:
        raise Http404 from None


def _client(client_id: int) -> int:
    if client_id not in clients.client_labels([client_id]):
        raise Http404
    return client_id


def _step(run_id: int, step_id: int) -> RunStep:
    try:
        return selectors.step_of_run(run_id, step_id)
    except RunStep.DoesNotExist:
        raise Http404 from None


def _invalid(exc: ValidationError) -> RequestInvalid:
    """Service errors at the payload's locations (`steps.1.title` → body.steps.1.title)."""
    items = error_items(exc)
    for item in items:
        loc = item["loc"]
        if len(loc) == len(BODY) + 1 and "." in str(loc[-1]):
            item["loc"] = [*BODY, *(int(p) if p.isdigit() else p for p in str(loc[-1]).split("."))]
    return RequestInvalid(items)


def _specs(payload: ProcessIn) -> list[rules.StepSpec]:
    return [
        rules.StepSpec(
            title=s.title,
            result=s.result,
            role=s.role,
            duration_days=s.duration_days,
            control_point=s.control_point,
            review_days=s.review_days,
        )
        for s in payload.steps
    ]


# ---------------------------------------------------------------------------------------------
# Definitions


@router.get(
    "/processes",
    response={200: list[ProcessOut], **ERRORS},
    summary="Process definitions (their current versions), by name",
    **needs("processes.view_processdefinition"),
)
@paginate(PageNumberPagination, page_size=50)
def list_processes(request: Any) -> Any:
    return [_process_out(d) for d in selectors.definitions().prefetch_related("current__steps")]


@router.get(
    "/processes/{process_id}",
    response={200: ProcessOut, **ERRORS},
    summary="One process definition with its current steps",
    **needs("processes.view_processdefinition"),
)
def get_process(request: Any, process_id: ProcessId) -> Any:
    return _process_out(_definition(process_id))


@router.post(
    "/processes",
    response={201: ProcessOut, **ERRORS},
    summary="Create a process (its version 1)",
    **needs("processes.add_processdefinition"),
)
def create_process(request: Any, payload: ProcessIn) -> Any:
    try:
        definition = services.create_definition(
            actor=request.user,
            name=payload.name,
            description=payload.description,
            steps=_specs(payload),
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _process_out(_definition(definition.pk)))


@router.put(
    "/processes/{process_id}",
    response={200: ProcessOut, **ERRORS},
    summary="Edit a process: publishes a new version; running processes keep theirs",
    **needs("processes.change_processdefinition"),
)
def publish_process(request: Any, process_id: ProcessId, payload: ProcessIn) -> Any:
    definition = _definition(process_id)
    try:
        services.publish_version(
            actor=request.user,
            definition=definition,
            name=payload.name,
            description=payload.description,
            steps=_specs(payload),
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _process_out(_definition(process_id))


# ---------------------------------------------------------------------------------------------
# Runs


@router.get(
    "/clients/{client_id}/process-runs",
    response={200: list[RunOut], **ERRORS},
    summary="A client's process runs, newest first",
    **needs("clients.view_client", "processes.view_processrun"),
)
@paginate(PageNumberPagination, page_size=50)
def list_runs(request: Any, client_id: ClientId) -> Any:
    return [_run_out(r) for r in selectors.runs_of(_client(client_id))]


@router.post(
    "/clients/{client_id}/process-runs",
    response={201: RunDetailOut, **ERRORS},
    summary="Start a process for a client (its current version; the first step opens)",
    **needs("clients.view_client", "processes.add_processrun"),
)
def start_run(request: Any, client_id: ClientId, payload: RunIn) -> Any:
    _client(client_id)
    definition = ProcessDefinition.objects.filter(
        pk=payload.process_id, current__isnull=False
    ).first()
    if definition is None:
        raise RequestInvalid(
            [
                {
                    "loc": [*BODY, "process_id"],
                    "msg": "There is no such process.",
                    "type": "unknown_id",
                }
            ]
        )
    owner = None
    if payload.owner_id is not None:
        owner = get_user_model().objects.filter(pk=payload.owner_id).first()
        if owner is None:
            raise RequestInvalid(
                [
                    {
                        "loc": [*BODY, "owner_id"],
                        "msg": "There is no such person.",
                        "type": "unknown_id",
                    }
                ]
            )
    try:
        run = services.start_run(
            actor=request.user,
            client_id=client_id,
            definition=definition,
            subject=payload.subject,
            owner=owner,
        )
    except ValidationError as exc:
        items = error_items(exc)
        for item in items:
            if item["loc"] == [*BODY, "owner"]:
                item["loc"] = [*BODY, "owner_id"]
        raise RequestInvalid(items) from None
    return Status(201, _run_detail(run.pk))


@router.get(
    "/process-runs/overdue",
    response={200: list[OverdueOut], **ERRORS},
    summary="Overdue steps and control points of running processes, longest overdue first",
    **needs("processes.view_processrun", "processes.sign_off"),
)
def list_overdue(request: Any) -> Any:
    found = selectors.overdue()
    return [
        {
            "kind": row.kind,
            "run_id": row.step.run_id,
            "step_id": row.step.pk,
            "client_id": row.step.run.client_id,
            "client_name": row.client_name,
            "process": row.step.run.version.name,
            "step": row.step.template.title,
            "owner_id": row.step.run.owner_id,
            "due_at": row.due_at,
            "late_seconds": int(row.late_by.total_seconds()),
        }
        for row in found.steps + found.control_points
    ]


@router.get(
    "/process-runs/{run_id}",
    response={200: RunDetailOut, **ERRORS},
    summary="One run with its steps",
    **needs("clients.view_client", "processes.view_processrun"),
)
def get_run(request: Any, run_id: RunId) -> Any:
    return _run_detail(run_id)


@router.post(
    "/process-runs/{run_id}/steps/{step_id}/complete",
    response={200: RunDetailOut, **ERRORS},
    summary="Complete the run's open step with its result (multipart: text and/or a file)",
    **needs("clients.view_client", "processes.change_runstep"),
)
def complete_step(
    request: Any,
    run_id: RunId,
    step_id: StepId,
    result: str = RESULT_FIELD,
    attachment: UploadedFile | None = ATTACHMENT_FIELD,
) -> Any:
    step = _step(run_id, step_id)
    try:
        services.complete_step(actor=request.user, step=step, result=result, attachment=attachment)
    except PermissionDenied as exc:
        raise AuthorizationError(message=str(exc)) from None
    except ValidationError as exc:
        raise RequestInvalid(error_items(exc, ("form",))) from None
    return _run_detail(run_id)


@router.post(
    "/process-runs/{run_id}/steps/{step_id}/sign-off",
    response={200: RunDetailOut, **ERRORS},
    summary="Accept a completed control point, or send it back with a comment",
    **needs("clients.view_client", "processes.sign_off"),
)
def sign_off(request: Any, run_id: RunId, step_id: StepId, payload: SignOffIn) -> Any:
    step = _step(run_id, step_id)
    try:
        services.sign_off(
            actor=request.user, step=step, decision=payload.decision, comment=payload.comment
        )
    except PermissionDenied as exc:
        raise AuthorizationError(message=str(exc)) from None
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _run_detail(run_id)
