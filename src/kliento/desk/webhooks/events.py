"""What the desk's case changes send out: the case hook that turns a CaseChange into webhook
events (written as delivery rows in the change's transaction, sent after it commits)."""

from __future__ import annotations

from typing import Any

from kliento.desk.hooks import CaseChange
from kliento.desk.models import Case, ConnectorThread, Message, WebhookEvent
from kliento.desk.webhooks import services

# CaseChange kinds that are a change of the case as a whole. "priority" is always emitted
# together with "changed" (one event is enough); "call" with "message".
UPDATED_KINDS = ("status", "changed", "assigned", "merged")


def thread_of(case: Case) -> tuple[str, str] | None:
    found = (
        ConnectorThread.objects.filter(case=case)
        .order_by("-id")
        .values_list("channel", "external_thread_id")
        .first()
    )
    return (found[0], found[1]) if found else None


def case_data(case: Case) -> dict[str, Any]:
    thread = thread_of(case)
    return {
        "id": case.pk,
        "number": case.number,
        "subject": case.subject,
        "status": case.status,
        "priority": case.priority,
        "kind": case.kind,
        "channel": case.channel,
        "client_id": case.client_id,
        "team_id": case.team_id,
        "assignee_id": case.assignee_id,
        "created_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat(),
        "external_thread_id": thread[1] if thread else None,
    }


def message_data(case: Case, message: Message) -> dict[str, Any]:
    thread = thread_of(case)
    return {
        "id": message.pk,
        "case_id": case.pk,
        "case_number": case.number,
        "direction": message.direction,
        "channel": message.channel,
        "text": message.body_text,
        "html": message.body_html,
        "author_name": message.author_name,
        "author_address": message.author_address,
        "external_id": message.external_id,
        "external_thread_id": thread[1] if thread and thread[0] == message.channel else None,
        "created_at": message.created_at.isoformat(),
    }


def _changes(change: CaseChange) -> dict[str, list[Any]]:
    return {
        name: [getattr(old, "pk", old), getattr(new, "pk", new)]
        for name, (old, new) in change.changes.items()
    }


def on_case_change(change: CaseChange) -> None:
    case = change.case
    if change.kind == "opened":
        services.queue(WebhookEvent.CASE_CREATED, {"case": case_data(case)})
    elif change.kind == "message" and change.message is not None:
        if change.message.direction != Message.Direction.NOTE:
            services.queue(WebhookEvent.MESSAGE_ADDED, message_data(case, change.message))
    elif change.kind in UPDATED_KINDS:
        data = {"case": case_data(case), "changes": _changes(change)}
        services.queue(WebhookEvent.CASE_UPDATED, data)
        status = change.changes.get("status")
        if status and status[1] == Case.Status.RESOLVED:
            services.queue(WebhookEvent.CASE_RESOLVED, {"case": case_data(case)})
