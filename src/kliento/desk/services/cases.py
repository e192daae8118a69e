"""Opening cases, the conversation and every change of a case.

Each function is one transaction: the change, its history line, the client's timeline entry
and the hooks (SLA clock, escalation, mail, webhooks) commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.services import timeline
from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor
from kliento.desk import hooks, rules
from kliento.desk.hooks import CaseChange
from kliento.desk.models import Attachment, Case, CaseEvent, CaseTag, Message, format_number
from kliento.desk.models.cases import history_data

# Client timeline kinds (registered in kliento.desk.registrations).
TIMELINE_OPENED = "case_opened"
TIMELINE_MESSAGE = "case_message"
TIMELINE_STATUS = "case_status"
TIMELINE_CHANGED = "case_changed"


@dataclass
class CaseDraft:
    subject: str
    client: Any
    channel: str
    kind: str = Case.Kind.QUESTION
    priority: str = Case.Priority.NORMAL
    contact: Any = None
    team: Any = None
    assignee: Any = None
    tags: Iterable[str] = ()
    stage_id: int | None = None
    touchpoint_id: int | None = None
    procedure_id: int | None = None
    follow_up_of: Case | None = None


@dataclass
class AttachmentDraft:
    filename: str
    content: bytes
    content_type: str = ""
    content_id: str = ""


@dataclass
class MessageDraft:
    direction: str
    body_text: str = ""
    body_html: str = ""
    channel: str = ""  # empty: the case's channel
    author_name: str = ""
    author_address: str = ""
    external_id: str = ""
    created_at: dt.datetime | None = None
    automated: bool = False
    attachments: list[AttachmentDraft] = field(default_factory=list)


def _event(case: Case, kind: str, actor: Actor, data: dict[str, Any], at: dt.datetime) -> None:
    CaseEvent.objects.create(
        case=case,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        data=data,
        created_at=at,
    )


def _on_timeline(case: Case, kind: str, actor: Actor, data: dict[str, Any]) -> None:
    timeline.record(
        client=case.client_id,
        kind=kind,
        actor=actor,
        summary=f"{case.number} {case.subject}",
        data={"case_id": case.pk, "number": case.number, **data},
    )


def _tags(names: Iterable[str]) -> list[CaseTag]:
    found = []
    for raw in names:
        name = rules.clean_tag(raw)
        if name:
            found.append(CaseTag.objects.get_or_create(name=name)[0])
    return found


@retry_on_conflict
@transaction.atomic
def open_case(*, actor: Actor, draft: CaseDraft, message: MessageDraft | None = None) -> Case:
    """Open a case, with its first message when there is one. A team with automatic
    assignment hands the case to an agent at once."""
    now = timezone.now()
    values = rules.clean_case(
        {
            "subject": draft.subject,
            "channel": draft.channel,
            "kind": draft.kind,
            "priority": draft.priority,
            "team": draft.team,
            "assignee": draft.assignee,
            "stage_id": draft.stage_id,
            "touchpoint_id": draft.touchpoint_id,
            "procedure_id": draft.procedure_id,
        }
    )
    opened_at = message.created_at if message and message.created_at else now
    case = Case.objects.create(
        client=draft.client,
        contact=draft.contact,
        follow_up_of=draft.follow_up_of,
        created_at=opened_at,
        updated_at=now,
        **values,
    )
    case.number = format_number(case.pk)
    case.save(update_fields=["number"])
    case.tags.set(_tags(draft.tags))
    _event(case, CaseEvent.Kind.OPENED, actor, {"channel": case.channel}, opened_at)
    _on_timeline(case, TIMELINE_OPENED, actor, {"channel": case.channel, "kind": case.kind})
    hooks.emit(CaseChange(case=case, kind="opened", actor=actor))
    if message is not None:
        _add_message(actor=actor, case=case, draft=message, opening=True)
    if case.assignee_id is None and case.team_id is not None:
        from kliento.desk.services.assignment import route

        case = route(case=case)
    return case


def _store_attachments(message: Message, drafts: Iterable[AttachmentDraft]) -> None:
    for item in drafts:
        attachment = Attachment(
            message=message,
            filename=rules.clean_filename(item.filename),
            content_type=item.content_type[:150],
            size=len(item.content),
            content_id=item.content_id[:255],
        )
        attachment.file.save(attachment.filename, ContentFile(item.content), save=False)
        attachment.save()


def _add_message(*, actor: Actor, case: Case, draft: MessageDraft, opening: bool) -> Message:
    now = timezone.now()
    at = draft.created_at or now
    rules.clean_message(draft)
    message = Message.objects.create(
        case=case,
        direction=draft.direction,
        channel=draft.channel or case.channel,
        author=actor if draft.direction != Message.Direction.INBOUND and actor else None,
        author_name=draft.author_name[:200],
        author_address=draft.author_address[:254],
        body_text=draft.body_text,
        body_html=draft.body_html,
        created_at=at,
        external_id=draft.external_id[:255],
        automated=draft.automated,
        delivery=Message.Delivery.PENDING
        if draft.direction == Message.Direction.OUTBOUND
        else Message.Delivery.NONE,
    )
    _store_attachments(message, draft.attachments)
    changes: dict[str, tuple[Any, Any]] = {}
    fields = ["updated_at"]
    case.updated_at = now
    if draft.direction == Message.Direction.INBOUND:
        case.last_inbound_at = at
        fields.append("last_inbound_at")
        # The client wrote again: a case waiting on them, on hold or resolved needs the
        # company again (a closed case does not reopen: the caller opens a follow-up).
        if (
            not opening
            and case.status
            in (
                Case.Status.WAITING,
                Case.Status.ON_HOLD,
                Case.Status.RESOLVED,
            )
            and not draft.automated
        ):
            changes["status"] = (case.status, Case.Status.OPEN)
            if case.status == Case.Status.RESOLVED:
                case.reopened_count += 1
                case.resolved_at = None
                fields += ["reopened_count", "resolved_at"]
            case.status = Case.Status.OPEN
            fields.append("status")
    elif draft.direction == Message.Direction.OUTBOUND:
        case.last_outbound_at = at
        fields.append("last_outbound_at")
        if case.first_response_at is None:
            case.first_response_at = at
            fields.append("first_response_at")
        if case.status == Case.Status.NEW:
            changes["status"] = (case.status, Case.Status.OPEN)
            case.status = Case.Status.OPEN
            fields.append("status")
    case.save(update_fields=fields)
    _event(
        case,
        CaseEvent.Kind.MESSAGE,
        actor,
        {"message_id": message.pk, "direction": message.direction},
        at,
    )
    if changes:
        _event(case, CaseEvent.Kind.STATUS, None, history_data(changes), now)
    if message.direction != Message.Direction.NOTE:
        _on_timeline(
            case,
            TIMELINE_MESSAGE,
            actor,
            {"message_id": message.pk, "direction": message.direction},
        )
    hooks.emit(CaseChange(case=case, kind="message", actor=actor, message=message))
    if changes:
        hooks.emit(CaseChange(case=case, kind="status", actor=None, changes=changes))
    return message


@retry_on_conflict
@transaction.atomic
def add_message(*, actor: Actor, case: Case, draft: MessageDraft) -> Message:
    """Add a message to the conversation. A message whose channel id the case has already
    seen (the same e-mail delivered twice) is returned as it was, not written again."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.merged_into_id is not None:
        raise ValidationError(
            _("This case was merged into %(number)s.")
            % {"number": case.merged_into.number if case.merged_into else "—"}
        )
    if draft.external_id:
        existing = Message.objects.filter(case=case, external_id=draft.external_id[:255]).first()
        if existing is not None:
            return existing
    return _add_message(actor=actor, case=case, draft=draft, opening=False)


# Fields `update_case` changes, as the form and the API name them.
EDITABLE = (
    "subject",
    "kind",
    "priority",
    "channel",
    "team",
    "stage_id",
    "touchpoint_id",
    "procedure_id",
)


@retry_on_conflict
@transaction.atomic
def update_case(
    *, actor: Actor, case: Case, changes: Mapping[str, Any], tags: Iterable[str] | None = None
) -> Case:
    """Change a case's fields (EDITABLE) and, when given, its tags; each change goes to the
    history. The assignee and the status have their own services."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    case = Case.objects.select_for_update().get(pk=case.pk)
    values = rules.clean_case(dict(changes), partial=True)
    diff: dict[str, tuple[Any, Any]] = {}
    for name, new in values.items():
        attname = name if name.endswith("_id") else f"{name}_id" if name == "team" else name
        old = getattr(case, attname)
        new_value = getattr(new, "pk", new)
        if old != new_value:
            diff[name.removesuffix("_id")] = (old, new_value)
            setattr(case, attname, new_value)
    if tags is not None:
        old_tags = sorted(case.tags.values_list("name", flat=True))
        new_tags = _tags(tags)
        if sorted(t.name for t in new_tags) != old_tags:
            case.tags.set(new_tags)
            diff["tags"] = (old_tags, sorted(t.name for t in new_tags))
    if not diff:
        return case
    now = timezone.now()
    case.updated_at = now
    case.save()
    _event(case, CaseEvent.Kind.CHANGED, actor, history_data(diff), now)
    _on_timeline(case, TIMELINE_CHANGED, actor, {"changes": history_data(diff)})
    if "priority" in diff:
        hooks.emit(CaseChange(case=case, kind="priority", actor=actor, changes=diff))
    hooks.emit(CaseChange(case=case, kind="changed", actor=actor, changes=diff))
    return case


@retry_on_conflict
@transaction.atomic
def set_status(*, actor: Actor, case: Case, status: str) -> Case:
    """Move a case to `status` (rules.check_transition says which moves are allowed)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    old = case.status
    rules.check_transition(case, status)
    if old == status:
        return case
    now = timezone.now()
    case.status = status
    case.updated_at = now
    if status == Case.Status.RESOLVED:
        case.resolved_at = now
    elif status == Case.Status.CLOSED:
        case.closed_at = now
        case.resolved_at = case.resolved_at or now
    elif old in Case.DONE:
        case.resolved_at = None
        case.closed_at = None
        case.reopened_count += 1
    case.save()
    diff = {"status": (old, status)}
    _event(case, CaseEvent.Kind.STATUS, actor, history_data(diff), now)
    _on_timeline(case, TIMELINE_STATUS, actor, {"old": old, "new": status})
    hooks.emit(CaseChange(case=case, kind="status", actor=actor, changes=diff))
    return case
