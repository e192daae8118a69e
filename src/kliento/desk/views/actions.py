"""What an agent does on a case page: reply or note, status, assignment, fields, merge, a
call, a macro. Each is a POST through the desk's services; a refused one draws the case page
again with the error beside its field (400), a done one goes back to the page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import selectors, services
from kliento.desk.forms import (
    AssignForm,
    CallForm,
    EditForm,
    MergeForm,
    MessageForm,
    StatusForm,
)
from kliento.desk.models import Message
from kliento.desk.selectors import workspace as ws
from kliento.desk.services import workspace as ws_services
from kliento.desk.services.workspace import NewerReply
from kliento.desk.views.common import VIEW, WORK, back_to_case, case_page, working_case_or_404


def _drafts(files: list[Any]) -> list[services.AttachmentDraft]:
    return [
        services.AttachmentDraft(
            filename=item.name or "attachment",
            content=item.read(),
            content_type=getattr(item, "content_type", "") or "",
        )
        for item in files
    ]


@require_POST
@require(VIEW, WORK)
def reply(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """A reply to the client (optionally changing the status), or with `note` an internal note."""
    case = working_case_or_404(request, case_id)
    is_note = "note-body" in request.POST
    form = MessageForm(request.POST, request.FILES, prefix="note" if is_note else None)
    name = "note_form" if is_note else "reply_form"
    if not form.is_valid():
        return case_page(request, case, status=400, **{name: form})
    data = form.cleaned_data
    draft = services.MessageDraft(
        direction=Message.Direction.NOTE if is_note else Message.Direction.OUTBOUND,
        body_text=data["body"],
        attachments=_drafts(data["attachments"]),
    )
    try:
        ws_services.reply(
            actor=request.user,
            case=case,
            draft=draft,
            status="" if is_note else data.get("after") or "",
            seen_message_id=None if is_note else (data.get("seen") or 0),
        )
    except NewerReply as exc:
        # Not sent: the agent reads the new reply first; sending again confirms.
        newest = ws.last_message_id(case)
        again = MessageForm(
            initial={"body": data["body"], "after": data.get("after"), "seen": newest}
        )
        messages.warning(request, str(exc))
        return case_page(request, case, status=409, reply_form=again, newer=exc.messages)
    except ValidationError as exc:
        form.apply(exc)
        return case_page(request, case, status=400, **{name: form})
    messages.success(request, _("Note added.") if is_note else _("Reply sent."))
    return back_to_case(request, case)


def _run(
    request: AuthenticatedHttpRequest, case: Any, form: Any, name: str, run: Any, done: str
) -> HttpResponse:
    if not form.is_valid():
        return case_page(request, case, status=400, **{name: form})
    try:
        run(form.cleaned_data)
    except services.CaseTaken as exc:
        messages.error(request, str(exc))
        return back_to_case(request, case)
    except ValidationError as exc:
        form.apply(exc)
        return case_page(request, case, status=400, **{name: form})
    messages.success(request, done)
    return back_to_case(request, case)


@require_POST
@require(VIEW, WORK)
def change_status(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)
    return _run(
        request,
        case,
        StatusForm(request.POST),
        "status_form",
        lambda d: services.set_status(actor=request.user, case=case, status=d["status"]),
        _("Status changed."),
    )


@require_POST
@require(VIEW, WORK)
def take(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)
    try:
        services.take(actor=request.user, case=case)
    except services.CaseTaken as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The case is yours."))
    return back_to_case(request, case)


@require_POST
@require(VIEW, WORK)
def assign(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)

    def run(data: dict[str, Any]) -> None:
        person = ws.agent(data["assignee"]) if data["assignee"] else None
        services.assign(actor=request.user, case=case, assignee=person)

    return _run(request, case, AssignForm(request.POST), "assign_form", run, _("Assignee changed."))


@require_POST
@require(VIEW, WORK)
def edit(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)
    form = EditForm(request.POST)

    def run(data: dict[str, Any]) -> None:
        services.update_case(
            actor=request.user,
            case=case,
            changes=form.changes(),
            tags=ws_services.tag_list(data["tags"]),
        )

    return _run(request, case, form, "edit_form", run, _("Case changed."))


@require_POST
@require(VIEW, WORK)
def merge(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)
    form = MergeForm(request.POST)

    def run(data: dict[str, Any]) -> None:
        # Only a case this agent may work can be merged into: an invisible one reads "not found".
        found = selectors.search_cases(request.user, data["into"]).first()
        if found is None or not selectors.case_for(request.user, found.pk):
            raise ValidationError({"into": _("There is no such case.")})
        services.merge_cases(actor=request.user, duplicate=case, survivor=found)
        messages.info(request, _("Now on %(number)s.") % {"number": found.number})

    return _run(request, case, form, "merge_form", run, _("Cases merged."))


@require_POST
@require(VIEW, WORK)
def log_call(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)

    def run(data: dict[str, Any]) -> None:
        services.log_call(actor=request.user, case=case, draft=call_draft(data))

    return _run(request, case, CallForm(request.POST), "call_form", run, _("Call logged."))


def call_draft(data: dict[str, Any]) -> services.CallDraft:
    return services.CallDraft(
        direction=data["direction"],
        outcome=data["outcome"],
        number=data.get("number") or "",
        duration_seconds=(data.get("duration_minutes") or 0) * 60,
        notes=data.get("notes") or "",
    )


@require_POST
@require(VIEW, WORK)
def apply_macro(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    case = working_case_or_404(request, case_id)
    raw = request.POST.get("macro", "")
    macro = ws.macro(int(raw)) if raw.isdigit() and len(raw) < 12 else None
    if macro is None:
        return case_page(request, case, status=400, macro_error=_("Choose a macro."))
    try:
        ws_services.apply_macro(actor=request.user, case=case, macro=macro)
    except services.CaseTaken as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        return case_page(request, case, status=400, macro_error=" ".join(exc.messages))
    else:
        messages.success(request, _("Macro “%(name)s” applied.") % {"name": macro.name})
    return back_to_case(request, case)
