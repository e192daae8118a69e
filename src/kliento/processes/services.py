"""Every write of the processes app: keyword-only, typed, one transaction each.

Order rules of a run (docs/product.md, "Business processes"):
- steps are done one at a time, in order: only the open step can be completed;
- a step with a control point, once completed, waits for a manager's sign-off; the next step
  opens only when it is accepted; sent back, the step is open again with a fresh due date;
- the run is complete when its last step is done (and accepted, if it is a control point).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import TYPE_CHECKING

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import notifications
from kliento.core.types import Actor
from kliento.processes import rules
from kliento.processes.models import (
    ProcessDefinition,
    ProcessRun,
    ProcessVersion,
    RunStep,
    StepTemplate,
)
from kliento.processes.rules import StepSpec

if TYPE_CHECKING:
    from django.contrib.auth.models import User

RUN_STARTED = "process.started"
STEP_COMPLETED = "process.step_completed"
CONTROL_ACCEPTED = "process.control_accepted"
CONTROL_RETURNED = "process.control_returned"
RUN_COMPLETED = "process.completed"
STEP_OVERDUE = "process.step_overdue"  # a notification kind

ACCEPT = "accept"
RETURN = "return"


class ClientNotFound(ObjectDoesNotExist):
    """No client with that id (the API answers 404)."""


# ---------------------------------------------------------------------------------------------
# Definitions


def _clean_steps(steps: list[StepSpec]) -> list[StepSpec]:
    return [
        StepSpec(
            title=rules.clean_text(s.title),
            result=rules.clean_text(s.result),
            role=s.role,
            duration_days=s.duration_days,
            control_point=s.control_point,
            review_days=s.review_days if s.control_point else 1,
        )
        for s in steps
    ]


def _publish(
    *,
    actor: Actor,
    definition: ProcessDefinition,
    name: str,
    description: str,
    steps: list[StepSpec],
) -> ProcessVersion:
    last = definition.versions.aggregate(last=Max("number"))["last"] or 0
    version = ProcessVersion.objects.create(
        definition=definition,
        number=last + 1,
        name=name,
        description=description,
        published_by=actor,
    )
    StepTemplate.objects.bulk_create(
        StepTemplate(
            version=version,
            position=index + 1,
            title=step.title,
            result=step.result,
            role=step.role,
            duration_days=step.duration_days or 1,
            control_point=step.control_point,
            review_days=step.review_days or 1,
        )
        for index, step in enumerate(steps)
    )
    definition.name = name
    definition.current = version
    definition.save(update_fields=["name", "current"])
    return version


def _check_name_free(name: str, *, other_than: int | None = None) -> None:
    taken = ProcessDefinition.objects.filter(name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than)
    if taken.exists():
        raise ValidationError({"name": _("Another process already has this name.")})


@transaction.atomic
def create_definition(
    *, actor: Actor, name: str, description: str = "", steps: list[StepSpec]
) -> ProcessDefinition:
    """A new process with its first published version."""
    name, description, steps = (
        rules.clean_text(name),
        rules.clean_text(description),
        _clean_steps(steps),
    )
    rules.check_definition(name=name, steps=steps)
    _check_name_free(name)
    try:
        with transaction.atomic():
            definition = ProcessDefinition.objects.create(name=name)
    except IntegrityError:  # the same name created at the same moment
        raise ValidationError({"name": _("Another process already has this name.")}) from None
    _publish(actor=actor, definition=definition, name=name, description=description, steps=steps)
    return definition


@transaction.atomic
def publish_version(
    *,
    actor: Actor,
    definition: ProcessDefinition,
    name: str,
    description: str = "",
    steps: list[StepSpec],
) -> ProcessVersion:
    """Edit a process: its new name, description and steps become a new version. Runs already
    started keep the version they were started with."""
    name, description, steps = (
        rules.clean_text(name),
        rules.clean_text(description),
        _clean_steps(steps),
    )
    rules.check_definition(name=name, steps=steps)
    # One publisher at a time per process: version numbers stay gapless and unique.
    definition = ProcessDefinition.objects.select_for_update().get(pk=definition.pk)
    _check_name_free(name, other_than=definition.pk)
    return _publish(
        actor=actor, definition=definition, name=name, description=description, steps=steps
    )


# ---------------------------------------------------------------------------------------------
# Runs


def _client_name(client_id: int) -> str:
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise ClientNotFound(f"Client {client_id} does not exist")
    return label.name


def _open(step: RunStep, now: dt.datetime) -> None:
    """Open a step now; its overdue notice is enqueued for the moment it falls due."""
    due = now + dt.timedelta(days=step.template.duration_days)
    RunStep.objects.filter(pk=step.pk).update(
        state=RunStep.State.OPEN,
        opened_at=now,
        due_at=due,
        overdue_notified_at=None,
        completed_at=None,
        completed_by=None,
        review_due_at=None,
    )
    from kliento.processes.tasks import enqueue_overdue_check

    transaction.on_commit(partial(enqueue_overdue_check, step.pk, due), robust=True)


@transaction.atomic
def start_run(
    *,
    actor: Actor,
    client_id: int,
    definition: ProcessDefinition,
    subject: str = "",
    owner: User | None = None,
) -> ProcessRun:
    """Start the current version of `definition` for a client; its first step opens now."""
    _client_name(client_id)
    subject = rules.clean_text(subject)
    if len(subject) > rules.TEXT_MAX:
        raise ValidationError({"subject": _("At most %(n)d characters.") % {"n": rules.TEXT_MAX}})
    person = owner or actor
    if person is None or not getattr(person, "is_active", False):
        raise ValidationError({"owner": _("Choose an active member of staff.")})
    if not person.has_perm(rules.WORK):
        raise ValidationError({"owner": _("This person cannot work on processes.")})
    version = definition.current
    if version is None:
        raise ValidationError({"process": _("This process has no published version.")})
    now = timezone.now()
    run = ProcessRun.objects.create(
        version=version,
        client_id=client_id,
        subject=subject,
        owner=person,
        started_by=actor,
        started_at=now,
    )
    templates = list(version.steps.all())
    steps = RunStep.objects.bulk_create(
        RunStep(run=run, template=template, position=template.position) for template in templates
    )
    first = steps[0]
    first.template = templates[0]
    _open(first, now)
    timeline.record(
        client=client_id,
        kind=RUN_STARTED,
        actor=actor,
        summary=version.name,
        occurred_at=now,
        data={
            "run_id": run.pk,
            "version_id": version.pk,
            "subject": subject,
            "steps": len(templates),
        },
    )
    return run


def _locked_run(run_id: int) -> ProcessRun:
    """The run, locked: completions and sign-offs of one run are serialised, so the next step
    opens exactly once whatever arrives together."""
    # Only the run's row: locking its version too would make every run of a process wait.
    return (
        ProcessRun.objects.select_for_update(of=("self",)).select_related("version").get(pk=run_id)
    )


def _step_data(step: RunStep, run: ProcessRun) -> dict[str, object]:
    return {
        "run_id": run.pk,
        "step_id": step.pk,
        "position": step.position,
        "steps": run.steps.count(),
        "process": run.version.name,
        "subject": run.subject,
    }


def _advance(*, actor: Actor, run: ProcessRun, after: RunStep, now: dt.datetime) -> None:
    """Open the step after `after`, or complete the run when there is none."""
    following = (
        RunStep.objects.select_related("template")
        .filter(run=run, position__gt=after.position)
        .order_by("position")
        .first()
    )
    if following is not None:
        _open(following, now)
        return
    ProcessRun.objects.filter(pk=run.pk).update(completed_at=now)
    timeline.record(
        client=run.client_id,
        kind=RUN_COMPLETED,
        actor=actor,
        summary=run.version.name,
        occurred_at=now,
        data={"run_id": run.pk, "subject": run.subject, "steps": run.steps.count()},
    )


@transaction.atomic
def complete_step(
    *,
    actor: Actor,
    step: RunStep,
    result: str = "",
    attachment: UploadedFile | None = None,
) -> RunStep:
    """Record a step's result (text, a file or both) by `actor` now. Only the run's open step
    can be completed, by someone of its role or a manager."""
    run = _locked_run(step.run_id)
    step = RunStep.objects.select_related("template").get(pk=step.pk)
    if actor is None or not rules.may_complete(actor, step.template.role):
        raise PermissionDenied(_("Only people of the step's role or a manager complete it."))
    if step.state != RunStep.State.OPEN:
        raise ValidationError({"step": _state_message(step)})
    result = rules.clean_text(result)
    errors: dict[str, list[str]] = {}
    if len(result) > rules.RESULT_MAX:
        errors["result"] = [_("At most %(n)d characters.") % {"n": rules.RESULT_MAX}]
    if attachment is not None:
        try:
            rules.check_attachment(attachment.name or "", attachment.size)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if not result and attachment is None and not errors:
        errors["result"] = [_("Record the step's result: write it or attach a file.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    old_file = step.attachment.name if attachment is not None and step.attachment else ""
    if attachment is not None:
        step.attachment.save(attachment.name or "file", attachment, save=False)
        step.attachment_name = (attachment.name or "file")[:255]
    try:
        _record_completion(actor=actor, run=run, step=step, result=result, now=now)
    except BaseException:
        # The transaction rolls back; the file written for it must not stay behind.
        if attachment is not None and step.attachment.name:
            step.attachment.storage.delete(step.attachment.name)
        raise
    if old_file:  # a result sent back and done again: the earlier file goes once this commits
        storage = step.attachment.storage
        transaction.on_commit(partial(storage.delete, old_file), robust=True)
    return step


def _record_completion(
    *, actor: Actor, run: ProcessRun, step: RunStep, result: str, now: dt.datetime
) -> None:
    step.result_text = result
    step.completed_at = now
    step.completed_by = actor
    step.review_comment = ""
    if step.template.control_point:
        step.state = RunStep.State.REVIEW
        step.review_due_at = now + dt.timedelta(days=step.template.review_days)
    else:
        step.state = RunStep.State.DONE
    step.save()
    timeline.record(
        client=run.client_id,
        kind=STEP_COMPLETED,
        actor=actor,
        summary=step.template.title,
        occurred_at=now,
        data={
            **_step_data(step, run),
            "result": result[:300],
            "attachment": step.attachment_name if step.attachment else "",
            "review": step.template.control_point,
        },
    )
    if not step.template.control_point:
        _advance(actor=actor, run=run, after=step, now=now)


def _state_message(step: RunStep) -> str:
    if step.state == RunStep.State.WAITING:
        return _("Earlier steps must be done first.")
    if step.state == RunStep.State.REVIEW:
        return _("This step is done and awaits a manager's sign-off.")
    return _("This step is already done.")


@transaction.atomic
def sign_off(*, actor: Actor, step: RunStep, decision: str, comment: str = "") -> RunStep:
    """A manager accepts a completed control point (the next step opens) or sends it back with
    a comment (the step opens again, due afresh)."""
    if actor is None or not rules.may_sign_off(actor):
        raise PermissionDenied(_("Only a manager signs off control points."))
    run = _locked_run(step.run_id)
    step = RunStep.objects.select_related("template").get(pk=step.pk)
    comment = rules.clean_text(comment)
    if decision not in (ACCEPT, RETURN):
        raise ValidationError({"decision": _("Accept the step or send it back.")})
    if len(comment) > rules.COMMENT_MAX:
        raise ValidationError(
            {"comment": _("At most %(n)d characters.") % {"n": rules.COMMENT_MAX}}
        )
    if decision == RETURN and not comment:
        raise ValidationError({"comment": _("Say what is to be done again.")})
    if step.state != RunStep.State.REVIEW:
        raise ValidationError({"step": _("This step is not awaiting a sign-off.")})
    now = timezone.now()
    data = {**_step_data(step, run), "comment": comment[:500]}
    if decision == ACCEPT:
        RunStep.objects.filter(pk=step.pk).update(
            state=RunStep.State.DONE, reviewed_at=now, reviewed_by=actor, review_comment=comment
        )
        timeline.record(
            client=run.client_id,
            kind=CONTROL_ACCEPTED,
            actor=actor,
            summary=step.template.title,
            occurred_at=now,
            data=data,
        )
        _advance(actor=actor, run=run, after=step, now=now)
    else:
        _open(step, now)
        RunStep.objects.filter(pk=step.pk).update(
            reviewed_at=now, reviewed_by=actor, review_comment=comment
        )
        timeline.record(
            client=run.client_id,
            kind=CONTROL_RETURNED,
            actor=actor,
            summary=step.template.title,
            occurred_at=now,
            data=data,
        )
    step.refresh_from_db()
    return step


# ---------------------------------------------------------------------------------------------
# Overdue notices


@transaction.atomic
def notify_step_overdue(*, step_id: int, now: dt.datetime | None = None) -> bool:
    """Tell the run's owner that the step is overdue, once per opening of the step.

    The notice is claimed with a conditional UPDATE: of two workers handling the same step at
    once, the second waits on the row and then matches nothing, so nobody is told twice. A
    step completed (or not yet due) by the time this runs is left alone. True if told.
    """
    now = now or timezone.now()
    claimed = RunStep.objects.filter(
        pk=step_id,
        state=RunStep.State.OPEN,
        due_at__lt=now,
        overdue_notified_at__isnull=True,
    ).update(overdue_notified_at=now)
    if not claimed:
        return False
    step = RunStep.objects.select_related("template", "run__owner", "run__version").get(pk=step_id)
    run = step.run
    notifications.notify(
        recipients=[run.owner],
        kind=STEP_OVERDUE,
        target_url=reverse("processes:run", args=[run.pk]),
        params={
            "step": step.template.title,
            "process": run.version.name,
            "client": _client_name(run.client_id),
            "due_at": step.due_at.isoformat() if step.due_at else "",
        },
    )
    return True


def notify_overdue_steps(*, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Catch up on every overdue step not yet told (a lost task, a queue without delays);
    each is claimed on its own, so this can run beside the tasks. Returns how many were told."""
    now = now or timezone.now()
    ids = list(
        RunStep.objects.filter(
            state=RunStep.State.OPEN, due_at__lt=now, overdue_notified_at__isnull=True
        )
        .order_by("due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(notify_step_overdue(step_id=pk, now=now) for pk in ids)
