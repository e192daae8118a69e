"""Writes of the agent workspace: a reply with a status change, macros (set up and applied),
and each agent's saved queue views. Every write is one transaction built on the case services,
so the history, hooks and rules are those of any other path."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.models import OrgUnit
from kliento.core.types import Actor
from kliento.desk import placeholders
from kliento.desk.models import Case, Macro, Message, SavedCaseView
from kliento.desk.services.assignment import take
from kliento.desk.services.cases import MessageDraft, add_message, set_status, update_case

MACRO_CREATED = "desk.macro_created"
MACRO_CHANGED = "desk.macro_changed"
MACRO_DELETED = "desk.macro_deleted"
VIEW_NAME_MAX = 80
QUERY_MAX = 1000


class NewerReply(Exception):
    """Someone replied to the case after the page that sends this reply was opened."""

    def __init__(self, messages: list[Message]) -> None:
        self.messages = messages
        super().__init__(_("A new reply was added since you opened the case."))


def newer_replies(case: Case, seen_message_id: int) -> list[Message]:
    return list(
        Message.objects.filter(
            case=case, pk__gt=seen_message_id, direction=Message.Direction.OUTBOUND
        ).select_related("author")
    )


@transaction.atomic
def reply(
    *,
    actor: Actor,
    case: Case,
    draft: MessageDraft,
    status: str = "",
    seen_message_id: int | None = None,
) -> Message:
    """Send a reply (or write a note) and, when asked, move the case to `status`, together.

    With `seen_message_id` (the newest message the agent's page showed), a reply is refused
    with NewerReply when another reply was written since: the agent reads it first."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if seen_message_id is not None and draft.direction == Message.Direction.OUTBOUND:
        newer = newer_replies(locked, seen_message_id)
        if newer:
            raise NewerReply(newer)
    message = add_message(actor=actor, case=locked, draft=draft)
    if status:
        set_status(actor=actor, case=locked, status=status)
    return message


# ---------------------------------------------------------------------------------------------
# Macros


def _clean_macro(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    name = " ".join(str(values.get("name") or "").split())[:120]
    if not name:
        errors["name"] = _("Give the macro a name.")
    status = values.get("status") or ""
    if status and status not in Case.Status.values:
        errors["status"] = _("Choose one of the listed values.")
    priority = values.get("priority") or ""
    if priority and priority not in Case.Priority.values:
        errors["priority"] = _("Choose one of the listed values.")
    team = values.get("team")
    if team is not None and not isinstance(team, OrgUnit):
        team = OrgUnit.objects.filter(pk=team).first()
        if team is None:
            errors["team"] = _("There is no such team.")
    text = str(values.get("reply_text") or "")
    if len(text) > 20_000:
        errors["reply_text"] = _("A macro's reply is limited to 20,000 characters.")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "status": status,
        "priority": priority,
        "team": team,
        "tags": ", ".join(t.strip() for t in str(values.get("tags") or "").split(",") if t.strip())[
            :500
        ],
        "assign_to_me": bool(values.get("assign_to_me")),
        "reply_text": text,
    }


@transaction.atomic
def save_macro(*, actor: Actor, values: dict[str, Any], macro: Macro | None = None) -> Macro:
    cleaned = _clean_macro(values)
    others = Macro.objects.filter(name__iexact=cleaned["name"])
    if macro is not None:
        others = others.exclude(pk=macro.pk)
    if others.exists():
        raise ValidationError({"name": _("Another macro has this name.")})
    created = macro is None
    macro = macro or Macro(created_by=actor)
    for name, value in cleaned.items():
        setattr(macro, name, value)
    macro.updated_at = timezone.now()
    macro.save()
    audit.record(
        actor=actor,
        action=MACRO_CREATED if created else MACRO_CHANGED,
        target=macro,
        data={k: getattr(v, "pk", v) for k, v in cleaned.items()},
    )
    return macro


@transaction.atomic
def delete_macro(*, actor: Actor, macro: Macro) -> None:
    audit.record(actor=actor, action=MACRO_DELETED, target=macro, data={"name": macro.name})
    macro.delete()


@transaction.atomic
def apply_macro(*, actor: Any, case: Case, macro: Macro) -> Case:
    """Apply every change of the macro to the case, or none: a refused step (the case is
    someone else's, a status the case cannot take) rolls the whole macro back."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if macro.assign_to_me and case.assignee_id != actor.pk:
        case = take(actor=actor, case=case)
    changes: dict[str, Any] = {}
    if macro.priority:
        changes["priority"] = macro.priority
    if macro.team_id:
        changes["team"] = macro.team_id
    tags = None
    if macro.tag_names:
        tags = [*case.tags.values_list("name", flat=True), *macro.tag_names]
    if changes or tags is not None:
        case = update_case(actor=actor, case=case, changes=changes, tags=tags)
    if macro.reply_text.strip():
        text = placeholders.fill(macro.reply_text, case=case, agent=actor)
        add_message(
            actor=actor,
            case=case,
            draft=MessageDraft(direction=Message.Direction.OUTBOUND, body_text=text),
        )
    if macro.status:
        case = set_status(actor=actor, case=case, status=macro.status)
    return Case.objects.get(pk=case.pk)


# ---------------------------------------------------------------------------------------------
# Saved views


def _view_name(name: Any) -> str:
    cleaned = " ".join(str(name or "").split())
    if not cleaned:
        raise ValidationError({"name": _("Give the view a name.")})
    if len(cleaned) > VIEW_NAME_MAX:
        raise ValidationError(
            {"name": _("A name is at most %(max)d characters.") % {"max": VIEW_NAME_MAX}}
        )
    return cleaned


@transaction.atomic
def save_view(*, owner: Any, name: str, query: str) -> SavedCaseView:
    if len(query) > QUERY_MAX:
        raise ValidationError({"query": _("These filters are too long to save.")})
    return SavedCaseView.objects.create(owner=owner, name=_view_name(name), query=query)


@transaction.atomic
def rename_view(*, owner: Any, view: SavedCaseView, name: str) -> SavedCaseView:
    if view.owner_id != owner.pk:
        raise SavedCaseView.DoesNotExist
    view.name = _view_name(name)
    view.save(update_fields=["name"])
    return view


@transaction.atomic
def delete_view(*, owner: Any, view: SavedCaseView) -> None:
    if view.owner_id != owner.pk:
        raise SavedCaseView.DoesNotExist
    view.delete()


def tag_list(raw: str | Iterable[str]) -> list[str]:
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return [item.strip() for item in items if item.strip()]
