"""Webhook endpoints and their delivery log, for managers."""

from typing import Any

from django.db.models import QuerySet
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import idempotency
from kliento.desk.api.common import MANAGE, Pages, creating
from kliento.desk.api.schemas import (
    ERRORS,
    DeliveryId,
    DeliveryOut,
    EndpointId,
    WebhookIn,
    WebhookOut,
    WebhookPatch,
)
from kliento.desk.models import WebhookDelivery, WebhookEndpoint
from kliento.desk.webhooks import services

router = Router(tags=["service desk webhooks"])


@router.get(
    "/webhooks",
    response={200: list[WebhookOut], **ERRORS},
    summary="Webhook endpoints",
    **needs(MANAGE),
)
def list_webhooks(request: AuthenticatedHttpRequest) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("id")


@router.post(
    "/webhooks",
    response={201: WebhookOut, **ERRORS},
    summary="Add a webhook endpoint",
    **creating(MANAGE),
)
def create_webhook(request: AuthenticatedHttpRequest, payload: WebhookIn) -> JsonResponse:
    """The URL's host must resolve to public addresses unless `allow_private` is true."""

    def work() -> tuple[int, Any]:
        endpoint = services.create_endpoint(actor=request.user, **payload.model_dump())
        return 201, WebhookOut.from_orm(endpoint).model_dump(mode="json")

    return idempotency.run(request, work)


@router.get(
    "/webhooks/{endpoint_id}",
    response={200: WebhookOut, **ERRORS},
    summary="One webhook endpoint",
    **needs(MANAGE),
)
def get_webhook(request: AuthenticatedHttpRequest, endpoint_id: EndpointId) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id)


@router.patch(
    "/webhooks/{endpoint_id}",
    response={200: WebhookOut, **ERRORS},
    summary="Change a webhook endpoint (or its secret)",
    **needs(MANAGE),
)
def update_webhook(
    request: AuthenticatedHttpRequest, endpoint_id: EndpointId, payload: WebhookPatch
) -> WebhookEndpoint:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    changes = {k: v for k, v in payload.model_dump(exclude_unset=True).items() if v is not None}
    new_secret = bool(changes.pop("new_secret", False))
    return services.update_endpoint(
        actor=request.user, endpoint=endpoint, changes=changes, new_secret=new_secret
    )


@router.delete(
    "/webhooks/{endpoint_id}",
    response={204: None, **ERRORS},
    summary="Remove a webhook endpoint and its delivery log",
    **needs(MANAGE),
)
def delete_webhook(request: AuthenticatedHttpRequest, endpoint_id: EndpointId) -> Status[None]:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    services.delete_endpoint(actor=request.user, endpoint=endpoint)
    return Status(204, None)


@router.get(
    "/webhooks/{endpoint_id}/deliveries",
    response={200: list[DeliveryOut], **ERRORS},
    summary="An endpoint's delivery log, newest first",
    **needs(MANAGE),
)
@paginate(Pages)
def list_deliveries(
    request: AuthenticatedHttpRequest, endpoint_id: EndpointId
) -> QuerySet[WebhookDelivery]:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")


@router.post(
    "/webhook-deliveries/{delivery_id}/send-again",
    response={200: DeliveryOut, **ERRORS},
    summary="Send a delivery again (same webhook-id, fresh retries)",
    **needs(MANAGE),
)
def send_again(request: AuthenticatedHttpRequest, delivery_id: DeliveryId) -> WebhookDelivery:
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_id)
    return services.send_again(actor=request.user, delivery=delivery)
