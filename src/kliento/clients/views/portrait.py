"""The card's portrait: adding, confirming and removing facts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import forms, services
from kliento.clients.models import Client, PortraitFact
from kliento.clients.views.common import join_errors
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest


@require_POST
@require("clients.add_portraitfact")
def fact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.PortraitFactForm(request.POST)
    if form.is_valid():
        services.add_portrait_fact(actor=request.user, client=client, **form.cleaned_data)
        messages.success(request, _("Portrait fact added."))
    else:
        messages.error(request, _("Check the fact: %(errors)s") % {"errors": join_errors(form)})
    return redirect(client)


@require_POST
@require("clients.change_portraitfact")
def fact_verify(request: AuthenticatedHttpRequest, pk: int, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(PortraitFact, pk=fact_id, client_id=pk)
    form = forms.VerifyFactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fact: %(errors)s") % {"errors": join_errors(form)})
        return redirect(fact.client)
    try:
        services.verify_portrait_fact(actor=request.user, fact=fact, text=form.cleaned_data["text"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Fact confirmed."))
    return redirect(fact.client)


@require_POST
@require("clients.delete_portraitfact")
def fact_remove(request: AuthenticatedHttpRequest, pk: int, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(PortraitFact, pk=fact_id, client_id=pk)
    client = fact.client
    services.remove_portrait_fact(actor=request.user, fact=fact)
    messages.success(request, _("Fact removed."))
    return redirect(client)
