from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.clients import forms, selectors, services
from kliento.clients.models import ChannelConsent, Client, ContactPoint, PortraitFact, Purchase
from kliento.core.permissions import require

TIMELINE_PAGE = 30
FLAGGED_SHOWN = 200


def _apply_errors(form, exc: ValidationError) -> None:
    """Show a service's validation errors on the form fields they concern."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@require("clients.view_client")
def client_list(request: HttpRequest) -> HttpResponse:
    form = forms.ClientFilterForm(request.GET or None)
    filters = form.to_filters()
    page = Paginator(selectors.search_clients(filters), settings.KLIENTO_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "clients/client_list.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


@require("clients.view_client")
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(
        Client.objects.select_related("segment", "account_manager", "company"), pk=pk
    )
    facts = list(client.portrait_facts.select_related("recorded_by", "verified_by"))
    context = {
        "client": client,
        "contacts": client.contacts.all(),
        "consents": {c.channel: c for c in client.consents.all()},
        "consent_channels": ChannelConsent.Channel.choices,
        "facts": facts,
        "stale_facts": [f for f in facts if f.is_stale],
        "stats": selectors.purchase_stats(client),
        "purchases": client.purchases.all()[:10],
        "contact_persons": client.contact_persons.all()[:50],
        "timeline": _timeline_page(client, None, request.user),
        "fact_form": forms.PortraitFactForm(),
        "contact_form": forms.ContactForm(),
        "purchase_form": forms.PurchaseForm(),
        "left_form": forms.LeftForm(initial={"left_on": timezone.localdate()}),
    }
    return render(request, "clients/client_detail.html", context)


def _timeline_page(client: Client, before: str | None, user) -> dict:
    rows = list(
        selectors.timeline_before(client, user=user, before=_cursor(before))[: TIMELINE_PAGE + 1]
    )
    more = len(rows) > TIMELINE_PAGE
    rows = rows[:TIMELINE_PAGE]
    cursor = f"{rows[-1].occurred_at.isoformat()}_{rows[-1].pk}" if more else None
    return {"entries": rows, "cursor": cursor, "client": client}


def _cursor(raw: str | None) -> tuple[dt.datetime, int] | None:
    """The "show earlier" cursor; a damaged one starts from the newest entry again."""
    if not raw:
        return None
    try:
        stamp, pk = raw.split("_")
        moment = dt.datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError("naive")
        # In UTC now, so a moment beyond year 1-9999 in UTC fails here, not in the query.
        return moment.astimezone(dt.UTC), int(pk)
    except (ValueError, OverflowError):
        return None


@require("clients.view_client")
def client_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    context = {
        "timeline": _timeline_page(client, request.GET.get("before"), request.user),
        "client": client,
    }
    return render(request, "clients/client_detail.html#timeline", context)


@require("clients.add_client")
def client_create(request: HttpRequest) -> HttpResponse:
    form = forms.NewClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        contacts = [(k, data[k]) for k in ("phone", "email") if data[k]]
        try:
            client = services.create_client(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                company=data["company"],
                job_title=data["job_title"],
                language=data["language"],
                account_manager=data["account_manager"],
                segment=data["segment"],
                tags=data["tags"],
                external_ref=data["external_ref"],
                notes=data["notes"],
                contacts=contacts,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "value" in exc.error_dict:
                form.add_error(None, exc.message_dict["value"])
            else:
                _apply_errors(form, exc)
        else:
            messages.success(request, _("Client created."))
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form})


@require("clients.change_client")
def client_edit(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.ClientForm(request.POST or None, instance=Client.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {f: data[f] for f in services.EDITABLE_FIELDS if f in data}
        try:
            services.update_client(
                actor=request.user, client=client, changes=changes, tags=data["tags"]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(client)
    return render(request, "clients/client_form.html", {"form": form, "client": client})


@require_POST
@require("clients.flag_key_clients")
def client_key_flag(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    # The form says what it wants, so a repeated submit does not flip the flag back.
    wanted = request.POST.get("is_key") == "1"
    services.set_key_flag(actor=request.user, client_ids=[client.pk], is_key=wanted)
    if wanted:
        messages.success(request, _("Flagged as a key client."))
    else:
        messages.success(request, _("The key-client flag is removed."))
    return redirect(client)


@require_POST
@require("clients.change_client")
def client_left(request: HttpRequest, pk: int) -> HttpResponse:
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
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The client is marked as left."))
    else:
        messages.error(request, _("Enter the date the client left."))
    return redirect(client)


@require_POST
@require("clients.change_client")
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.ContactForm(request.POST)
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
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Contact added."))
    else:
        messages.error(request, _("Check the contact: %(errors)s") % {"errors": _join(form)})
    return redirect(client)


@require_POST
@require("clients.change_client")
def contact_remove(request: HttpRequest, pk: int, contact_id: int) -> HttpResponse:
    contact = get_object_or_404(ContactPoint, pk=contact_id, client_id=pk)
    services.remove_contact(actor=request.user, contact=contact)
    messages.success(request, _("Contact removed."))
    return redirect(contact.client)


@require_POST
@require("clients.change_client")
def consent_set(request: HttpRequest, pk: int) -> HttpResponse:
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


@require_POST
@require("clients.add_portraitfact")
def fact_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.PortraitFactForm(request.POST)
    if form.is_valid():
        services.add_portrait_fact(actor=request.user, client=client, **form.cleaned_data)
        messages.success(request, _("Portrait fact added."))
    else:
        messages.error(request, _("Check the fact: %(errors)s") % {"errors": _join(form)})
    return redirect(client)


@require_POST
@require("clients.change_portraitfact")
def fact_verify(request: HttpRequest, pk: int, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(PortraitFact, pk=fact_id, client_id=pk)
    form = forms.VerifyFactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the fact: %(errors)s") % {"errors": _join(form)})
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
def fact_remove(request: HttpRequest, pk: int, fact_id: int) -> HttpResponse:
    fact = get_object_or_404(PortraitFact, pk=fact_id, client_id=pk)
    client = fact.client
    services.remove_portrait_fact(actor=request.user, fact=fact)
    messages.success(request, _("Fact removed."))
    return redirect(client)


@require_POST
@require("clients.add_purchase")
def purchase_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(Client, pk=pk)
    form = forms.PurchaseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_purchase(actor=request.user, client=client, **data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Purchase recorded."))
    else:
        messages.error(request, _("Check the purchase: %(errors)s") % {"errors": _join(form)})
    return redirect(client)


@require_POST
@require("clients.delete_purchase")
def purchase_remove(request: HttpRequest, pk: int, purchase_id: int) -> HttpResponse:
    purchase = get_object_or_404(Purchase, pk=purchase_id, client_id=pk)
    client = purchase.client
    services.remove_purchase(actor=request.user, purchase=purchase)
    messages.success(request, _("Purchase removed."))
    return redirect(client)


@require("clients.view_key_clients", writes=["clients.flag_key_clients"])
def key_clients(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {
        "start": _a_year_before(today) + dt.timedelta(days=1),
        "end": today,
        "currency": settings.KLIENTO_DEFAULT_CURRENCY,
    }
    form = forms.ParetoForm(request.GET or None, initial=initial)
    params = form.cleaned_data if form.is_bound and form.is_valid() else initial
    result = None
    if not form.is_bound or form.is_valid():
        result = selectors.pareto(
            start=params["start"], end=params["end"], currency=params["currency"]
        )
    if request.method == "POST" and result is not None:
        changed = services.set_key_flag(actor=request.user, client_ids=result.top_ids, is_key=True)
        messages.success(
            request, _("%(count)d clients flagged as key clients.") % {"count": changed}
        )
        return redirect(request.get_full_path())
    flagged_all = Client.objects.filter(is_key=True)
    flagged = flagged_all.order_by("name")[:FLAGGED_SHOWN]
    return render(
        request,
        "clients/key_clients.html",
        {
            "form": form,
            "result": result,
            "flagged": flagged,
            "flagged_count": flagged_all.count(),
        },
    )


def _a_year_before(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _join(form) -> str:
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)
