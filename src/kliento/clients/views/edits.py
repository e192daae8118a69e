"""Changing the card: create and edit a client, status, key flag, contacts and consents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kliento.clients import forms, selectors, services
from kliento.clients.contacts import format_phone
from kliento.clients.models import Client, ContactPoint
from kliento.clients.views.card import render_card
from kliento.clients.views.common import apply_errors, confirm_then_remove, fits_form, join_errors
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest


@require("clients.add_client")
def client_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = forms.NewClientForm(request.POST or None)
    duplicates: list[selectors.DuplicateMatch] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contacts = [(k, data[k]) for k in ("phone", "email") if data[k]]
        try:
            client = services.create_client(
                actor=request.user,
                **form.changes(),
                tags=data["tags"],
                contacts=contacts,
                # "Create anyway", the button the duplicate warning shows.
                allow_duplicate=request.POST.get("allow_duplicate") == "1",
            )
        except services.PossibleDuplicate as exc:
            duplicates = exc.matches
        except ValidationError as exc:
            # Who holds a taken reference (or the phone) is shown too, with a link to the card.
            duplicates = selectors.possible_duplicates(
                phones=[v for k, v in contacts if k == "phone"],
                emails=[v for k, v in contacts if k == "email"],
                external_ref=data.get("external_ref"),
            )
            if hasattr(exc, "error_dict") and "value" in exc.error_dict:
                form.add_error(None, exc.message_dict["value"])
            else:
                apply_errors(form, exc)
        else:
            messages.success(request, _("Client created."))
            return redirect(client)
    context = {"form": form, "duplicates": duplicates}
    return render(request, "clients/client_form.html", context)


@require("clients.change_client")
def client_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.ClientForm(request.POST or None, instance=Client.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_client(
                actor=request.user,
                client=client,
                changes=form.changes(),
                tags=form.cleaned_data["tags"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@require_POST
@require("clients.flag_key_clients")
def client_key_flag(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.KeyFlagForm(request.POST)
    if not form.is_valid():
        messages.error(request, join_errors(form))
        return redirect(client)
    wanted = form.cleaned_data["is_key"]
    services.set_key_flag(actor=request.user, client_ids=[client.pk], is_key=wanted)
    if wanted:
        messages.success(request, _("Flagged as a key client."))
    else:
        messages.success(request, _("The key-client flag is removed."))
    return redirect(client)


@require_POST
@require("clients.change_client")
def client_left(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    # What the user asked for is read from the form, not from the current status: the "left"
    # form sent twice (double click, second tab) must not silently make the client active again.
    if "left_on" not in request.POST:
        try:
            services.mark_returned(actor=request.user, client=client)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The client is active again."))
        return redirect(client)
    form = forms.LeftForm(request.POST)
    if form.is_valid():
        try:
            services.mark_left(
                actor=request.user,
                client=client,
                left_on=form.cleaned_data["left_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            if not fits_form(form, exc):  # e.g. already left: the card shows no form then
                messages.error(request, " ".join(exc.messages))
                return redirect(client)
            apply_errors(form, exc)
        else:
            messages.success(request, _("The client is marked as left."))
            return redirect(client)
    # The card again, with the form open and each problem beside its field.
    return render_card(request, client.pk, left_form=form)


@require_POST
@require("clients.change_client")
def contact_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.ContactForm(request.POST, client=client)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_contact(
                actor=request.user,
                client=client,
                kind=data["kind"],
                value=data["value"],
                label=data["label"],
                messenger=data["messenger"],
                is_primary=data["is_primary"],
                region=data["region"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Contact added."))
            return redirect(client)
    return render_card(request, client.pk, contact_form=form)


@require_http_methods(["GET", "POST"])
@require("clients.change_client")
def contact_remove(request: AuthenticatedHttpRequest, pk: int, contact_id: int) -> HttpResponse:
    """GET asks to confirm; POST removes, with a message offering to undo it for a while."""
    contact = get_object_or_404(
        ContactPoint.objects.select_related("client"), pk=contact_id, client_id=pk
    )
    label = contact.get_messenger_display() if contact.messenger else contact.get_kind_display()
    shown = (
        format_phone(contact.value) if contact.kind == ContactPoint.Kind.PHONE else contact.value
    )
    return confirm_then_remove(
        request,
        client=contact.client,
        question=_("Remove this contact?"),
        item=f"{label}: {shown}",
        button=_("Remove contact"),
        remove=lambda: services.remove_contact(actor=request.user, contact=contact),
        removed=_("Contact removed."),
        already_removed=_("The contact was already removed."),
        restore_url_name="clients:contact_restore",
    )


@require_POST
@require("clients.change_client")
def contact_restore(request: AuthenticatedHttpRequest, pk: int, entry_id: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    try:
        services.restore_contact(actor=request.user, client=client, entry_id=entry_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Contact restored."))
    return redirect(client)


@require_POST
@require("clients.change_client")
def consent_set(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.ConsentForm(request.POST)
    if form.is_valid():
        services.set_consent(
            actor=request.user,
            client=client,
            channel=form.cleaned_data["channel"],
            granted=form.cleaned_data["granted"],
        )
        messages.success(request, _("Consent updated."))
    else:
        messages.error(request, _("Unknown channel."))
    return redirect(client)
