"""An agent opens a case for a client: written up by hand, or from a phone call."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import services
from kliento.desk.forms import NewCallCaseForm, NewCaseForm
from kliento.desk.models import Message
from kliento.desk.views.actions import call_draft
from kliento.desk.views.common import VIEW, WORK, back_to_case

ADD = "desk.add_case"


def _client(form: Any) -> Any:
    found = clients.client(form.cleaned_data["client"])
    if found is None:
        form.add_error("client", _("There is no client with this id."))
    return found


def _initial(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    raw = request.GET.get("client", "")
    return {"client": int(raw)} if raw.isdigit() and len(raw) < 12 else {}


def _page(
    request: AuthenticatedHttpRequest, form: Any, heading: str, *, call: bool = False
) -> HttpResponse:
    chosen = None
    value = form["client"].value()
    if str(value or "").isdigit() and len(str(value)) < 12:
        chosen = clients.client(int(value))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "desk/new_case.html",
        {"form": form, "heading": heading, "chosen": chosen, "call": call},
        status=status,
    )


@require(VIEW, WORK, ADD)
def new_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewCaseForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        client = _client(form)
        if client is not None:
            data = form.cleaned_data
            body = (data.get("body") or "").strip()
            try:
                case = services.open_case(
                    actor=request.user,
                    draft=services.CaseDraft(
                        subject=data["subject"],
                        client=client,
                        channel=data["channel"],
                        kind=data["kind"],
                        priority=data["priority"],
                        team=data["team"],
                    ),
                    message=services.MessageDraft(
                        direction=Message.Direction.INBOUND, body_text=body
                    )
                    if body
                    else None,
                )
            except ValidationError as exc:
                form.apply(exc)
            else:
                return back_to_case(request, case)
    return _page(request, form, _("New case"))


@require(VIEW, WORK, ADD)
def new_call_case(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = NewCallCaseForm(request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        client = _client(form)
        if client is not None:
            try:
                call = services.log_call(
                    actor=request.user,
                    draft=call_draft(form.cleaned_data),
                    client=client,
                    subject=form.cleaned_data.get("subject") or "",
                )
            except ValidationError as exc:
                form.apply(exc)
            else:
                return back_to_case(request, call.case)
    return _page(request, form, _("New case from a call"), call=True)


@require(VIEW, WORK, ADD)
def client_search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Clients matching a name, phone or e-mail, as links that choose one for the new case."""
    q = request.GET.get("q", "")[:100].strip()
    found = list(clients.search_clients(clients.ClientFilters(q=q))[:10]) if len(q) >= 2 else []
    target = "desk:new_call_case" if request.GET.get("call") else "desk:new_case"
    return render(request, "desk/_client_hits.html", {"hits": found, "q": q, "target": target})
