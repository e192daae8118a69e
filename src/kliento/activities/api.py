"""The activities API: a client's activities and tasks, logging and completing.

Mounted at /api/v1 next to the client card's endpoints (see docs/api.md).
"""

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthorizationError
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from kliento.activities import selectors, services
from kliento.activities.models import Activity, Task
from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_errors import BODY, error_items
from kliento.core.api_types import MAX_ID, Id

router = Router(tags=["activities"])

ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Client id.")]
TaskId = Annotated[int, Path(ge=1, le=MAX_ID, description="Task id.")]


class PersonOut(Schema):
    id: int
    username: str
    full_name: str

    @staticmethod
    def resolve_full_name(obj: Any) -> str:
        return str(obj.get_full_name())


class ActivityOut(Schema):
    id: int
    client_id: int
    kind: str = Field(examples=["call"], description="call, meeting, note or email.")
    direction: str = Field(examples=["out"], description="in or out (calls, e-mails); else empty.")
    occurred_at: dt.datetime
    duration_minutes: int | None
    subject: str
    body: str = Field(description="Plain text.")
    author: PersonOut | None
    contact_id: int | None


class TaskOut(Schema):
    id: int
    client_id: int
    title: str
    due_on: dt.date
    due_time: dt.time | None
    state: str = Field(
        examples=["overdue"], description="overdue, today, upcoming or done, as of the request."
    )
    assignee: PersonOut
    author: PersonOut | None
    activity_id: int | None
    done_at: dt.datetime | None
    done_by: PersonOut | None


class TaskFields(Schema):
    title: str = Field(max_length=200, examples=["Send the offer"])
    due_on: dt.date = Field(examples=["2026-07-01"])
    due_time: dt.time | None = Field(None, examples=["14:00"])
    assignee_id: Id | None = Field(None, description="Default: the caller.")


class TaskIn(TaskFields):
    activity_id: Id | None = Field(None, description="The activity this task follows up.")


class ActivityIn(Schema):
    kind: str = Field(examples=["call"], description="call, meeting, note or email.")
    direction: str = Field("", examples=["out"], description="in or out; calls and e-mails only.")
    occurred_at: dt.datetime | None = Field(None, description="Default: now. Not in the future.")
    duration_minutes: int | None = Field(None, ge=1, le=24 * 60)
    subject: str = Field("", max_length=200)
    body: str = Field("", max_length=10_000, description="Plain text.")
    contact_id: Id | None = Field(None, description="One of the client's contact points.")
    follow_up: TaskFields | None = Field(
        None, description="A task to add with the activity (needs `activities.add_task`)."
    )


class ReassignIn(Schema):
    assignee_id: Id = Field(description="Who gets the task: someone who can work on tasks.")


class TaskFilters(Schema):
    open: bool | None = Field(None, description="true: open tasks only; false: done ones only.")


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


def _client(client_id: int) -> int:
    if client_id not in clients.client_labels([client_id]):
        raise Http404
    return client_id


def _user(user_id: int | None, field: tuple[str, ...]) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise RequestInvalid(
            [{"loc": [*BODY, *field], "msg": "There is no such person.", "type": "unknown_id"}]
        )
    return user


def _invalid(exc: ValidationError) -> RequestInvalid:
    """A service's errors at the payload's own locations (`follow_up_title` → follow_up.title)."""
    items = error_items(exc)
    for item in items:
        loc = item["loc"]
        if len(loc) > len(BODY) and str(loc[len(BODY)]).startswith("follow_up_"):
            name = str(loc[len(BODY)]).removeprefix("follow_up_")
            name = "assignee_id" if name == "assignee" else name
            item["loc"] = [*BODY, "follow_up", name, *loc[len(BODY) + 1 :]]
    return RequestInvalid(items)


def _task(task_id: int) -> Task:
    return get_object_or_404(
        Task.objects.select_related("assignee", "author", "done_by"), pk=task_id
    )


@router.get(
    "/clients/{client_id}/activities",
    response={200: list[ActivityOut], **ERRORS},
    summary="A client's activities, newest first",
    **needs("clients.view_client", "activities.view_activity"),
)
@paginate(PageNumberPagination, page_size=50)
def list_activities(request: Any, client_id: ClientId) -> Any:
    return selectors.activities_of(_client(client_id))


@router.post(
    "/clients/{client_id}/activities",
    response={201: ActivityOut, **ERRORS},
    summary="Log a call, meeting, note or e-mail (optionally with a follow-up task)",
    **needs("clients.view_client", "activities.add_activity"),
)
def log_activity(request: Any, client_id: ClientId, payload: ActivityIn) -> Status[Activity]:
    _client(client_id)
    follow_up = None
    if payload.follow_up is not None:
        if not request.user.has_perm("activities.add_task"):
            raise AuthorizationError(
                message="You do not have permission to add tasks (requires activities.add_task)."
            )
        task = payload.follow_up
        follow_up = services.FollowUp(
            title=task.title,
            due_on=task.due_on,
            due_time=task.due_time,
            assignee=_user(task.assignee_id, ("follow_up", "assignee_id")),
        )
    try:
        activity = services.log_activity(
            actor=request.user,
            client_id=client_id,
            kind=payload.kind,
            direction=payload.direction,
            occurred_at=payload.occurred_at,
            duration_minutes=payload.duration_minutes,
            subject=payload.subject,
            body=payload.body,
            contact_id=payload.contact_id,
            follow_up=follow_up,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, selectors.activities_of(client_id).get(pk=activity.pk))


@router.get(
    "/clients/{client_id}/tasks",
    response={200: list[TaskOut], **ERRORS},
    summary="A client's tasks, soonest due first",
    **needs("clients.view_client", "activities.view_task"),
)
@paginate(PageNumberPagination, page_size=50)
def list_tasks(request: Any, client_id: ClientId, filters: Query[TaskFilters]) -> Any:
    tasks = selectors.tasks_of(_client(client_id))
    if filters.open is not None:
        tasks = tasks.filter(done_at__isnull=filters.open)
    return tasks


@router.post(
    "/clients/{client_id}/tasks",
    response={201: TaskOut, **ERRORS},
    summary="Add a task for a client (its assignee, if not the caller, is notified)",
    **needs("clients.view_client", "activities.add_task"),
)
def add_task(request: Any, client_id: ClientId, payload: TaskIn) -> Status[Task]:
    _client(client_id)
    activity = None
    if payload.activity_id is not None:
        activity = Activity.objects.filter(pk=payload.activity_id, client_id=client_id).first()
        if activity is None:
            raise RequestInvalid(
                [
                    {
                        "loc": [*BODY, "activity_id"],
                        "msg": "This client has no such activity.",
                        "type": "unknown_id",
                    }
                ]
            )
    try:
        task = services.add_task(
            actor=request.user,
            client_id=client_id,
            title=payload.title,
            due_on=payload.due_on,
            due_time=payload.due_time,
            assignee=_user(payload.assignee_id, ("assignee_id",)),
            activity=activity,
        )
    except ValidationError as exc:
        items = error_items(exc)
        for item in items:
            if item["loc"] == [*BODY, "assignee"]:
                item["loc"] = [*BODY, "assignee_id"]
        raise RequestInvalid(items) from None
    return Status(201, _task(task.pk))


def _handle(request: Any, task_id: int, action: Any) -> Task:
    task = _task(task_id)
    try:
        action(actor=request.user, task=task)
    except PermissionDenied as exc:
        raise AuthorizationError(message=str(exc)) from None
    return _task(task_id)


@router.post(
    "/tasks/{task_id}/complete",
    response={200: TaskOut, **ERRORS},
    summary="Mark a task done (its assignee, or a manager); done already: unchanged",
    **needs("activities.change_task"),
)
def complete_task(request: Any, task_id: TaskId) -> Task:
    return _handle(request, task_id, services.complete_task)


@router.post(
    "/tasks/{task_id}/reopen",
    response={200: TaskOut, **ERRORS},
    summary="Open a done task again (its assignee, or a manager)",
    **needs("activities.change_task"),
)
def reopen_task(request: Any, task_id: TaskId) -> Task:
    return _handle(request, task_id, services.reopen_task)


@router.post(
    "/tasks/{task_id}/reassign",
    response={200: TaskOut, **ERRORS},
    summary="Hand an open task on to someone else (its assignee, or a manager); they are told",
    **needs("activities.change_task"),
)
def reassign_task(request: Any, task_id: TaskId, payload: ReassignIn) -> Task:
    task = _task(task_id)
    assignee = _user(payload.assignee_id, ("assignee_id",))
    try:
        services.reassign_task(actor=request.user, task=task, assignee=assignee)
    except PermissionDenied as exc:
        raise AuthorizationError(message=str(exc)) from None
    except ValidationError as exc:
        items = error_items(exc)
        for item in items:
            if item["loc"] == [*BODY, "assignee"]:
                item["loc"] = [*BODY, "assignee_id"]
        raise RequestInvalid(items) from None
    return _task(task_id)
