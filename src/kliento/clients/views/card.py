"""The client card page and its timeline's "show earlier" pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import forms, registry, selectors
from kliento.clients.models import Client
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest

TIMELINE_PAGE = selectors.TIMELINE_PAGE


def render_card(
    request: AuthenticatedHttpRequest, pk: int, *, status: int = 200, **form_overrides: Any
) -> HttpResponse:
    """The card, as `selectors.card` assembles it for this user. A form given here (bound, with
    its errors) replaces the card's empty one, so errors show beside the fields."""
    try:
        card = selectors.card(pk, request.user)
    except Client.DoesNotExist:
        raise Http404 from None
    context = {
        "duplicates": selectors.possible_duplicates_of(card.client),
        "card": card,
        "client": card.client,
        "timeline": card.timeline,
        "card_panels": registry.render_panels(request, card.client),
        "fact_form": forms.PortraitFactForm(),
        "contact_form": forms.ContactForm(client=card.client),
        "purchase_form": forms.PurchaseForm(),
        "left_form": forms.LeftForm(initial={"left_on": timezone.localdate()}),
        **form_overrides,
    }
    return render(request, "clients/client_detail.html", context, status=status)


@require("clients.view_client")
def client_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        return render_card(request, pk)
    except Http404:
        survivor = selectors.merged_into(pk)
        if survivor is None:
            raise
    # A merged-away client's links (bookmarks, e-mails, old timelines) lead to its survivor.
    messages.info(request, _("The client you opened was merged into this card."))
    return redirect("clients:detail", pk=survivor)


@require("clients.view_client")
def client_timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    try:
        page = selectors.timeline_page(client, user=request.user, cursor=request.GET.get("before"))
    except selectors.InvalidCursor:
        # A damaged "show earlier" link starts from the newest entry again.
        page = selectors.timeline_page(client, user=request.user)
    context = {"timeline": page, "client": client}
    return render(request, "clients/client_detail.html#timeline", context)
