"""The rules a case's values obey, in one place: form, API, e-mail, import and services call
these, so every path refuses the same input with the same message."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.core.channels import Channel
from kliento.core.models import OrgUnit
from kliento.desk.models import Case, Message

if TYPE_CHECKING:
    from kliento.desk.services.cases import MessageDraft

SUBJECT_MAX = 255
TAG_MAX = 60
BODY_MAX = 200_000

# Which status a case may move to from each status. Resolving and closing are open from any
# working status; a closed case stays closed (a reply opens a follow-up case instead).
TRANSITIONS: dict[str, set[str]] = {
    Case.Status.NEW: {
        Case.Status.OPEN,
        Case.Status.WAITING,
        Case.Status.ON_HOLD,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.OPEN: {
        Case.Status.WAITING,
        Case.Status.ON_HOLD,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.WAITING: {
        Case.Status.OPEN,
        Case.Status.ON_HOLD,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.ON_HOLD: {
        Case.Status.OPEN,
        Case.Status.WAITING,
        Case.Status.RESOLVED,
        Case.Status.CLOSED,
    },
    Case.Status.RESOLVED: {Case.Status.OPEN, Case.Status.CLOSED},
    Case.Status.CLOSED: set(),
}


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    # Subjects arrive from mail headers with tabs, newlines and control characters in them.
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return " ".join(text.split())


def clean_subject(value: Any) -> str:
    subject = _text(value)
    if not subject:
        raise ValidationError({"subject": _("Give the case a subject.")})
    return subject[:SUBJECT_MAX]


def clean_tag(value: Any) -> str:
    return _text(value).lower()[:TAG_MAX]


def clean_filename(value: Any) -> str:
    name = _text(value).replace("/", "_").replace("\\", "_").strip(". ")
    return (name or "attachment")[-200:]


def _choice(field: str, value: Any, choices: list[str]) -> str:
    if value not in choices:
        raise ValidationError({field: _("Choose one of the listed values.")})
    return str(value)


def _team(value: Any) -> OrgUnit | None:
    if value in (None, ""):
        return None
    team = value if isinstance(value, OrgUnit) else OrgUnit.objects.filter(pk=value).first()
    if team is None:
        raise ValidationError({"team": _("There is no such team.")})
    return team


def _reference(field: str, model: str, value: Any) -> int | None:
    from django.apps import apps

    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise ValidationError({field: _("Not a valid id.")})
    if not apps.get_model(model).objects.filter(pk=pk).exists():
        raise ValidationError({field: _("There is no such record.")})
    return pk


def clean_case(values: dict[str, Any], *, partial: bool = False) -> dict[str, Any]:
    """Check and normalise case fields; raises one ValidationError naming every bad field."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    checks: dict[str, Any] = {
        "subject": clean_subject,
        "channel": lambda v: _choice("channel", v, Channel.values),
        "kind": lambda v: _choice("kind", v, Case.Kind.values),
        "priority": lambda v: _choice("priority", v, Case.Priority.values),
        "team": _team,
        "assignee": lambda v: v,
        "stage_id": lambda v: _reference("stage_id", "journeys.Stage", v),
        "touchpoint_id": lambda v: _reference("touchpoint_id", "touchpoints.Touchpoint", v),
        "procedure_id": lambda v: _reference("procedure_id", "policy.Procedure", v),
    }
    for name, check in checks.items():
        if name not in values:
            if not partial and name in ("subject", "channel"):
                errors.setdefault(name, []).append(_("This field is required."))
            continue
        try:
            cleaned[name] = check(values[name])
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_message(draft: MessageDraft) -> None:
    if draft.direction not in Message.Direction.values:
        raise ValidationError({"direction": _("Choose one of the listed values.")})
    if draft.channel and draft.channel not in Channel.values:
        raise ValidationError({"channel": _("Choose one of the listed values.")})
    if (
        not (draft.body_text or "").strip()
        and not (draft.body_html or "").strip()
        and not (draft.attachments)
    ):
        raise ValidationError({"body": _("Write a message.")})
    if len(draft.body_text) > BODY_MAX or len(draft.body_html) > BODY_MAX * 2:
        raise ValidationError(
            {"body": _("The message is longer than %(max)s characters.") % {"max": BODY_MAX}}
        )
    limit = int(getattr(settings, "KLIENTO_DESK_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024))
    for item in draft.attachments:
        if len(item.content) > limit:
            raise ValidationError(
                {
                    "attachments": _("“%(name)s” is larger than %(max)s MB.")
                    % {"name": item.filename, "max": limit // (1024 * 1024)}
                }
            )


def check_transition(case: Case, status: str) -> None:
    if status not in Case.Status.values:
        raise ValidationError({"status": _("Choose one of the listed values.")})
    if status != case.status and status not in TRANSITIONS[case.status]:
        raise ValidationError(
            {
                "status": _("A case that is “%(old)s” cannot become “%(new)s”.")
                % {"old": case.get_status_display(), "new": Case.Status(status).label}
            }
        )
