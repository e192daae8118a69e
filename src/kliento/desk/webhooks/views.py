"""The setup page of outbound webhooks (endpoints, their secret, the delivery log with "send
again") and the web form's embedding instructions. Managers only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access
from kliento.desk.models import WebhookDelivery, WebhookEndpoint
from kliento.desk.webhooks import services
from kliento.desk.webhooks.forms import EndpointForm

LOG_SIZE = 50


def _embed(request: AuthenticatedHttpRequest) -> dict[str, str]:
    contact = request.build_absolute_uri(reverse("desk:contact"))
    script = request.build_absolute_uri(static("desk/contact-embed.js"))
    return {
        "contact_url": contact,
        "iframe": f'<iframe src="{contact}?embed=1" title="Contact" '
        'style="width:100%;min-height:640px;border:0" loading="lazy"></iframe>',
        "script": f'<script src="{script}" data-kliento-contact="{contact}" defer></script>',
    }


@require(access.MANAGE)
def webhooks(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = services.create_endpoint(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The endpoint was added. Copy its signing secret."))
            return redirect("desk:webhook", endpoint_id=endpoint.pk)
    context = {
        "endpoints": WebhookEndpoint.objects.order_by("id"),
        "form": form,
        "embed": _embed(request),
    }
    return render(request, "desk/webhooks/list.html", context, status=400 if form.errors else 200)


@require(access.MANAGE)
def webhook(request: AuthenticatedHttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    initial = {
        "url": endpoint.url,
        "description": endpoint.description,
        "events": endpoint.events,
        "active": endpoint.active,
        "allow_private": endpoint.allow_private,
    }
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_endpoint(
                actor=request.user,
                endpoint=endpoint,
                changes=form.cleaned_data,
                new_secret=request.POST.get("new_secret") == "1",
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The endpoint was saved."))
            return redirect("desk:webhook", endpoint_id=endpoint.pk)
    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")
    context = {"endpoint": endpoint, "form": form, "deliveries": deliveries[:LOG_SIZE]}
    return render(request, "desk/webhooks/detail.html", context, status=400 if form.errors else 200)


@require_POST
@require(access.MANAGE)
def delete_webhook(request: AuthenticatedHttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    services.delete_endpoint(actor=request.user, endpoint=endpoint)
    messages.success(request, _("The endpoint was removed."))
    return redirect("desk:webhooks")


@require_POST
@require(access.MANAGE)
def send_again(request: AuthenticatedHttpRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    try:
        services.send_again(actor=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery will be sent again."))
    return redirect("desk:webhook", endpoint_id=delivery.endpoint_id)
