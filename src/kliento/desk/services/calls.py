"""Phone calls: logged by an agent or posted by a telephony system, as a new case or on one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.channels import Channel
from kliento.core.types import Actor
from kliento.desk import hooks
from kliento.desk.hooks import CaseChange
from kliento.desk.models import Call, Case, CaseEvent, Message
from kliento.desk.services.cases import CaseDraft, MessageDraft, add_message, open_case

MAX_DURATION = 24 * 3600


@dataclass
class CallDraft:
    direction: str
    outcome: str
    number: str = ""
    duration_seconds: int = 0
    notes: str = ""
    started_at: dt.datetime | None = None
    external_id: str = ""
    agent: Any = None


def clean_call(draft: CallDraft) -> None:
    errors: dict[str, str] = {}
    if draft.direction not in Call.Direction.values:
        errors["direction"] = _("Choose one of the listed values.")
    if draft.outcome not in Call.Outcome.values:
        errors["outcome"] = _("Choose one of the listed values.")
    if isinstance(draft.duration_seconds, bool) or not 0 <= draft.duration_seconds <= MAX_DURATION:
        errors["duration_seconds"] = _("A call lasts between 0 seconds and 24 hours.")
    if len(draft.notes) > 10_000:
        errors["notes"] = _("Notes are limited to 10,000 characters.")
    if draft.started_at is not None and draft.started_at > timezone.now() + dt.timedelta(minutes=5):
        errors["started_at"] = _("A call cannot start in the future.")
    if errors:
        raise ValidationError(errors)


def _summary(draft: CallDraft) -> str:
    minutes, seconds = divmod(draft.duration_seconds, 60)
    head = _("%(direction)s call, %(outcome)s, %(minutes)d:%(seconds)02d") % {
        "direction": Call.Direction(draft.direction).label,
        "outcome": Call.Outcome(draft.outcome).label.lower(),
        "minutes": minutes,
        "seconds": seconds,
    }
    return f"{head}\n\n{draft.notes}".strip()


@transaction.atomic
def log_call(
    *,
    actor: Actor,
    draft: CallDraft,
    case: Case | None = None,
    client: Any = None,
    subject: str = "",
) -> Call:
    """Log a call on `case`, or open a phone case for `client` with it. A call whose
    telephony id was logged before is returned as it was."""
    clean_call(draft)
    if draft.external_id:
        existing = Call.objects.filter(external_id=draft.external_id[:255]).first()
        if existing is not None:
            return existing
    started = draft.started_at or timezone.now()
    message = MessageDraft(
        direction=Message.Direction.INBOUND
        if draft.direction == Call.Direction.INBOUND
        else Message.Direction.OUTBOUND,
        channel=Channel.PHONE,
        body_text=_summary(draft),
        author_address=draft.number[:40],
        created_at=started,
    )
    if case is None:
        if client is None:
            raise ValidationError({"client": _("Choose the client or the case of this call.")})
        case = open_case(
            actor=actor,
            draft=CaseDraft(
                subject=subject or _("Phone call"), client=client, channel=Channel.PHONE
            ),
            message=message,
        )
        logged = case.messages.order_by("-id").first()
    else:
        logged = add_message(actor=actor, case=case, draft=message)
    try:
        with transaction.atomic():
            call = Call.objects.create(
                case=case,
                message=logged,
                direction=draft.direction,
                number=draft.number[:40],
                duration_seconds=draft.duration_seconds,
                outcome=draft.outcome,
                notes=draft.notes,
                agent=draft.agent or (actor if getattr(actor, "pk", None) else None),
                started_at=started,
                external_id=draft.external_id[:255],
            )
    except IntegrityError:
        # The same telephony call posted twice at once: the other request wrote it.
        transaction.set_rollback(True)
        raise ValidationError({"external_id": _("This call was logged already.")}) from None
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.CALL,
        actor=actor if getattr(actor, "pk", None) else None,
        data={"call_id": call.pk, "outcome": call.outcome},
        created_at=timezone.now(),
    )
    hooks.emit(CaseChange(case=case, kind="call", actor=actor, message=logged))
    return call
