"""Every write of the activities app: keyword-only, typed, one transaction each, and each
records its timeline entry on the client's card in that transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.activities import rules
from kliento.activities.models import Activity, Task
from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import notifications
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ACTIVITY_LOGGED = "activity.logged"
TASK_ADDED = "task.added"
TASK_DONE = "task.done"
TASK_REOPENED = "task.reopened"
TASK_REASSIGNED = "task.reassigned"
TASK_ASSIGNED = "task.assigned"  # a notification kind
EXCERPT = 300


class ClientNotFound(ObjectDoesNotExist):
    """No client with that id (the API answers 404)."""


@dataclass(frozen=True)
class FollowUp:
    """A task to create together with an activity. No assignee: the activity's author."""

    title: str
    due_on: dt.date | None
    due_time: dt.time | None = None
    assignee: User | None = None


def _client_name(client_id: int) -> str:
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise ClientNotFound(f"Client {client_id} does not exist")
    return label.name


@transaction.atomic
def log_activity(
    *,
    actor: Actor,
    client_id: int,
    kind: str,
    subject: str = "",
    body: str = "",
    direction: str = "",
    occurred_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    contact_id: int | None = None,
    follow_up: FollowUp | None = None,
) -> Activity:
    """Log a call, meeting, note or e-mail; with `follow_up`, add its follow-up task too.

    Errors of the follow-up are keyed `follow_up_<field>`, so a form shows them beside its own
    fields; nothing is saved unless both are valid.
    """
    client_name = _client_name(client_id)
    subject, body = rules.clean_text(subject), rules.clean_text(body)
    occurred_at = occurred_at or timezone.now()
    errors: dict[str, list[str]] = {}
    try:
        rules.check_activity(
            kind=kind,
            direction=direction,
            duration_minutes=duration_minutes,
            subject=subject,
            body=body,
            occurred_at=occurred_at,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if contact_id is not None and contact_id not in {c.pk for c in clients.contacts(client_id)}:
        errors["contact_id"] = [_("Choose one of this client's contacts.")]
    if follow_up is not None:
        try:
            rules.check_task(
                title=rules.clean_text(follow_up.title),
                due_on=follow_up.due_on,
                assignee=follow_up.assignee or actor,
            )
        except ValidationError as exc:
            errors.update({f"follow_up_{k}": v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    activity = Activity.objects.create(
        client_id=client_id,
        kind=kind,
        direction=direction,
        occurred_at=occurred_at,
        duration_minutes=duration_minutes,
        subject=subject,
        body=body,
        author=actor,
        contact_id=contact_id,
    )
    timeline.record(
        client=client_id,
        kind=ACTIVITY_LOGGED,
        actor=actor,
        summary=subject,
        occurred_at=occurred_at,
        data={
            "activity_id": activity.pk,
            "kind": kind,
            "direction": direction,
            "duration": duration_minutes,
            "excerpt": body[:EXCERPT],
        },
    )
    if follow_up is not None:
        assert follow_up.due_on is not None  # checked above
        _create_task(
            actor=actor,
            client_id=client_id,
            client_name=client_name,
            title=rules.clean_text(follow_up.title),
            due_on=follow_up.due_on,
            due_time=follow_up.due_time,
            assignee=follow_up.assignee,
            activity=activity,
        )
    return activity


@transaction.atomic
def add_task(
    *,
    actor: Actor,
    client_id: int,
    title: str,
    due_on: dt.date | None,
    due_time: dt.time | None = None,
    assignee: User | None = None,
    activity: Activity | None = None,
) -> Task:
    """A task for a client, by default for whoever adds it; someone else given it is notified."""
    client_name = _client_name(client_id)
    title = rules.clean_text(title)
    rules.check_task(title=title, due_on=due_on, assignee=assignee or actor)
    assert due_on is not None  # checked above
    if activity is not None and activity.client_id != client_id:
        raise ValidationError({"activity": _("The activity belongs to another client.")})
    return _create_task(
        actor=actor,
        client_id=client_id,
        client_name=client_name,
        title=title,
        due_on=due_on,
        due_time=due_time,
        assignee=assignee,
        activity=activity,
    )


def _create_task(
    *,
    actor: Actor,
    client_id: int,
    client_name: str,
    title: str,
    due_on: dt.date,
    due_time: dt.time | None,
    assignee: User | None,
    activity: Activity | None,
) -> Task:
    person = assignee or actor
    assert person is not None  # rules.check_task refuses a task for nobody
    task = Task.objects.create(
        client_id=client_id,
        title=title,
        due_on=due_on,
        due_time=due_time,
        assignee=person,
        author=actor,
        activity=activity,
    )
    timeline.record(
        client=client_id,
        kind=TASK_ADDED,
        actor=actor,
        summary=title,
        data={
            "task_id": task.pk,
            "due_on": due_on.isoformat(),
            "due_time": due_time.strftime("%H:%M") if due_time else None,
            "assignee_id": person.pk,
        },
    )
    _tell_assignee(task, actor=actor, client_name=client_name)
    return task


def _tell_assignee(task: Task, *, actor: Actor, client_name: str) -> None:
    # notify() skips the actor: nobody is told of a task they gave themselves.
    notifications.notify(
        recipients=[task.assignee],
        kind=TASK_ASSIGNED,
        actor=actor,
        target_url=reverse("clients:detail", args=[task.client_id]),
        params={
            "title": task.title,
            "client": client_name,
            "due_on": task.due_on.isoformat(),
            "due_time": task.due_time.strftime("%H:%M") if task.due_time else None,
        },
    )


def _check_may_handle(actor: Actor, task: Task) -> None:
    if not rules.may_handle(actor, task):
        raise PermissionDenied(_("Only the assignee or a manager can change this task."))


@transaction.atomic
def complete_task(*, actor: Actor, task: Task) -> Task:
    """Mark a task done (its assignee or a manager). Done already: left as it was, so a second
    click or a retried request changes nothing and records nothing."""
    _check_may_handle(actor, task)
    now = timezone.now()
    claimed = Task.objects.filter(pk=task.pk, done_at__isnull=True).update(
        done_at=now, done_by=actor
    )
    if claimed:
        timeline.record(
            client=task.client_id,
            kind=TASK_DONE,
            actor=actor,
            summary=task.title,
            data={"task_id": task.pk},
        )
    task.refresh_from_db()
    return task


@transaction.atomic
def reopen_task(*, actor: Actor, task: Task) -> Task:
    """Open a done task again (its assignee or a manager); an open one is left as it is."""
    _check_may_handle(actor, task)
    reopened = Task.objects.filter(pk=task.pk, done_at__isnull=False).update(
        done_at=None, done_by=None
    )
    if reopened:
        timeline.record(
            client=task.client_id,
            kind=TASK_REOPENED,
            actor=actor,
            summary=task.title,
            data={"task_id": task.pk},
        )
    task.refresh_from_db()
    return task


@transaction.atomic
def reassign_task(*, actor: Actor, task: Task, assignee: User) -> Task:
    """Give an open task to someone else (its assignee hands it on, or a manager); they are
    told, and the client's timeline says who passed it to whom. Given to its assignee already:
    left as it is, so a repeated request records nothing."""
    # Locked, so two people handing the task on at once are recorded one after the other.
    current = Task.objects.select_for_update().get(pk=task.pk)
    _check_may_handle(actor, current)
    rules.check_task(title=current.title, due_on=current.due_on, assignee=assignee)
    if current.done_at is not None:
        raise ValidationError({"assignee": _("This task is done: reopen it to hand it on.")})
    if assignee.pk == current.assignee_id:
        return current
    previous = current.assignee_id
    Task.objects.filter(pk=current.pk).update(assignee=assignee)
    current.refresh_from_db()
    timeline.record(
        client=current.client_id,
        kind=TASK_REASSIGNED,
        actor=actor,
        summary=current.title,
        data={"task_id": current.pk, "from_id": previous, "to_id": assignee.pk},
    )
    _tell_assignee(current, actor=actor, client_name=_client_name(current.client_id))
    return current
