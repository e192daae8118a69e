"""The card's purchases: recording and removing them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import forms, services
from kliento.clients.models import Client, Purchase
from kliento.clients.views.card import render_card
from kliento.clients.views.common import apply_errors
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest


@require_POST
@require("clients.add_purchase")
def purchase_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a purchase; a refused one shows the card again with the form open and each
    problem beside its field (the same messages as the API's)."""
    client = get_object_or_404(Client, pk=pk)
    form = forms.PurchaseForm(request.POST)
    if form.is_valid():
        try:
            services.record_purchase(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Purchase recorded."))
            return redirect(client)
    return render_card(request, client.pk, purchase_form=form)


@require_POST
@require("clients.delete_purchase")
def purchase_remove(request: AuthenticatedHttpRequest, pk: int, purchase_id: int) -> HttpResponse:
    purchase = get_object_or_404(Purchase, pk=purchase_id, client_id=pk)
    client = purchase.client
    services.remove_purchase(actor=request.user, purchase=purchase)
    messages.success(request, _("Purchase removed."))
    return redirect(client)
