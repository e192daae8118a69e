"""What the workspace pages share: finding a case the way the visibility rule allows, and
the case page with its forms (so a refused form shows beside the conversation it belongs to)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access, selectors
from kliento.desk.forms import (
    AssignForm,
    CallForm,
    EditForm,
    MergeForm,
    MessageForm,
    StatusForm,
)
from kliento.desk.mail.selectors import message_parts
from kliento.desk.models import Case, Message
from kliento.desk.placeholders import PLACEHOLDERS
from kliento.desk.selectors import case_page as page
from kliento.desk.selectors import workspace as ws
from kliento.desk.sla import display as sla_display

VIEW = access.VIEW
WORK = access.WORK
MANAGE = access.MANAGE


def case_or_404(request: AuthenticatedHttpRequest, case_id: int) -> Case:
    """The case if this user may see it; any other id is a 404, whether it exists or not."""
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise Http404(_("No such case."))
    return case


def working_case_or_404(request: AuthenticatedHttpRequest, case_id: int) -> Case:
    case = case_or_404(request, case_id)
    if not access.can_work(request.user, case):
        raise Http404(_("No such case."))
    return case


def back_to_case(request: AuthenticatedHttpRequest, case: Case) -> HttpResponseRedirect:
    """Back to the case; to the queues when the change took it out of the user's sight (moved
    to a team they are not in), rather than to a 404."""
    if selectors.case_for(request.user, case.pk) is None:
        messages.info(
            request,
            _("%(number)s moved where you do not see it.") % {"number": case.number},
        )
        return HttpResponseRedirect(reverse("desk:queue"))
    return HttpResponseRedirect(reverse("desk:case", args=[case.pk]))


def _with_parts(messages: Any) -> list[Message]:
    """Each message with its new text and the quoted history the page folds away."""
    found = list(messages)
    for message in found:
        message.parts = message_parts(message)
    return found


def case_page(
    request: AuthenticatedHttpRequest, case: Case, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The case page; `forms` replaces the blank form of that name (a refused submission)."""
    user = request.user
    can_work = access.can_work(user, case)
    seen = ws.last_message_id(case)
    standards = page.applicable_standards(case)
    context: dict[str, Any] = {
        "case": case,
        "can_work": can_work,
        "can_manage": user.has_perm(MANAGE),
        "conversation": _with_parts(selectors.conversation(case)),
        "history": page.history_lines(case),
        "panel": page.client_panel(case, user),
        "standards": standards.standards,
        "scripts": standards.scripts,
        "placeholders": PLACEHOLDERS,
        "tags": list(case.tags.all()),
        "seen": seen,
        "viewers": ws.other_viewers(case, user),
        "macros": list(ws.macros()) if can_work else [],
        "Direction": Message.Direction,
        "sla_rows": sla_display.rows(case),
    }
    if can_work:
        context.update(
            reply_form=forms.get("reply_form") or MessageForm(initial={"seen": seen}),
            note_form=forms.get("note_form") or MessageForm(prefix="note"),
            status_form=forms.get("status_form") or StatusForm(initial={"status": case.status}),
            assign_form=forms.get("assign_form")
            or AssignForm(initial={"assignee": case.assignee_id}),
            edit_form=forms.get("edit_form") or EditForm(initial=EditForm.initial_for(case)),
            merge_form=forms.get("merge_form") or MergeForm(),
            call_form=forms.get("call_form") or CallForm(),
        )
    context.update({k: v for k, v in forms.items() if k not in context})
    return render(request, "desk/case.html", context, status=status)
