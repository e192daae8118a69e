"""The card's portrait: adding, confirming and removing facts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kliento.clients import forms, services
from kliento.clients.models import Client, PortraitFact
from kliento.clients.views.card import render_card
from kliento.clients.views.common import apply_errors, confirm_then_remove, join_errors
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest


@require_POST
@require("clients.add_portraitfact")
def fact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.PortraitFactForm(request.POST)
    if form.is_valid():
        try:
            services.add_portrait_fact(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Portrait fact added."))
            return redirect(client)
    # The card again, each problem beside its field.
    return render_card(request, client.pk, fact_form=form)


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


@require_http_methods(["GET", "POST"])
@require("clients.delete_portraitfact")
def fact_remove(request: AuthenticatedHttpRequest, pk: int, fact_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes, with a message offering to undo it for a while."""
    fact = get_object_or_404(
        PortraitFact.objects.select_related("client"), pk=fact_id, client_id=pk
    )
    return confirm_then_remove(
        request,
        client=fact.client,
        question=_("Remove this portrait fact?"),
        item=f"{fact.get_category_display()}: {fact.text}",
        button=_("Remove fact"),
        remove=lambda: services.remove_portrait_fact(actor=request.user, fact=fact),
        removed=_("Fact removed."),
        already_removed=_("The fact was already removed."),
        restore_url_name="clients:fact_restore",
    )


@require_POST
@require("clients.add_portraitfact")
def fact_restore(request: AuthenticatedHttpRequest, pk: int, entry_id: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    try:
        services.restore_portrait_fact(actor=request.user, client=client, entry_id=entry_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Fact restored."))
    return redirect(client)
