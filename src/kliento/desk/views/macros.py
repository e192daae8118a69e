"""Managers set up macros: a name, the changes, an optional reply."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk.forms import MacroForm
from kliento.desk.models import Macro
from kliento.desk.placeholders import PLACEHOLDERS
from kliento.desk.selectors import workspace as ws
from kliento.desk.services import workspace as ws_services
from kliento.desk.views.common import MANAGE, VIEW


def _macro_or_404(macro_id: int) -> Macro:
    found = ws.macro(macro_id)
    if found is None:
        raise Http404(_("No such macro."))
    return found


def _save(request: AuthenticatedHttpRequest, form: MacroForm, macro: Macro | None) -> bool:
    if not form.is_valid():
        return False
    try:
        ws_services.save_macro(actor=request.user, values=dict(form.cleaned_data), macro=macro)
    except ValidationError as exc:
        form.apply(exc)
        return False
    messages.success(request, _("Macro saved."))
    return True


def _page(request: AuthenticatedHttpRequest, form: MacroForm, macro: Macro | None) -> HttpResponse:
    return render(
        request,
        "desk/macros.html",
        {"form": form, "macro": macro, "macros": ws.macros(), "placeholders": PLACEHOLDERS},
        status=400 if request.method == "POST" else 200,
    )


@require(VIEW, MANAGE)
def macros(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = MacroForm(request.POST or None)
    if request.method == "POST" and _save(request, form, None):
        return HttpResponseRedirect(reverse("desk:macros"))
    return _page(request, form, None)


@require(VIEW, MANAGE)
def macro_edit(request: AuthenticatedHttpRequest, macro_id: int) -> HttpResponse:
    macro = _macro_or_404(macro_id)
    initial = {
        "name": macro.name,
        "status": macro.status,
        "priority": macro.priority,
        "team": macro.team_id,
        "tags": macro.tags,
        "assign_to_me": macro.assign_to_me,
        "reply_text": macro.reply_text,
    }
    form = MacroForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, form, macro):
        return HttpResponseRedirect(reverse("desk:macros"))
    return _page(request, form, macro)


@require_POST
@require(VIEW, MANAGE)
def macro_delete(request: AuthenticatedHttpRequest, macro_id: int) -> HttpResponse:
    macro = _macro_or_404(macro_id)
    ws_services.delete_macro(actor=request.user, macro=macro)
    messages.success(request, _("Macro deleted."))
    return HttpResponseRedirect(reverse("desk:macros"))
