"""The case page and what it asks for while open: the presence poll, a script filled in as
a reply, and the attachments (served only to those who may see the case)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import placeholders
from kliento.desk.forms import MessageForm
from kliento.desk.selectors import workspace as ws
from kliento.desk.services import presence
from kliento.desk.views.common import VIEW, WORK, case_or_404, case_page, working_case_or_404
from kliento.standards import selectors as standards


@require_GET
@require(VIEW)
def case(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    found = case_or_404(request, case_id)
    presence.seen(user=request.user, case=found, composing=False)
    return case_page(request, found)


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0


@require_POST
@require(VIEW)
def case_presence(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """Polled by the open page: records this viewer, answers who else is there and whether
    the conversation moved on since the page was drawn."""
    found = case_or_404(request, case_id)
    presence.seen(user=request.user, case=found, composing=bool(request.POST.get("composing")))
    seen = _int(request.POST.get("seen"))
    return render(
        request,
        "desk/_presence.html",
        {
            "case": found,
            "seen": seen,
            "viewers": ws.other_viewers(found, request.user),
            "newer": ws.messages_after(found, seen),
        },
    )


@require_GET
@require(VIEW, WORK)
def case_script(request: AuthenticatedHttpRequest, case_id: int) -> HttpResponse:
    """The reply box filled with a script's text, placeholders filled for this case."""
    found = working_case_or_404(request, case_id)
    script_id = _int(request.GET.get("script"))
    text = ""
    if script_id:
        item = standards.script(script_id)
        if item is None:
            raise Http404(_("No such script."))
        text = placeholders.fill(item.text, case=found, agent=request.user)
    form = MessageForm(initial={"body": text})
    return render(request, "desk/_reply_body.html", {"reply_form": form})


@require_GET
@require(VIEW)
def attachment(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    found = ws.attachment_for(request.user, attachment_id)
    if found is None:
        raise Http404(_("No such attachment."))
    try:
        handle = found.file.open("rb")
    except OSError:  # listed, but the file is gone (MEDIA_ROOT lost or not shared)
        raise Http404(_("No such attachment.")) from None
    # Always a download of opaque bytes: a file a client sent is never rendered by the browser.
    return FileResponse(
        handle,
        as_attachment=True,
        filename=found.filename or "attachment",
        content_type="application/octet-stream",
    )
