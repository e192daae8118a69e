"""Purchases: per client and across all clients, with date filters."""

from django.db.models import QuerySet
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from kliento.clients import selectors, services
from kliento.clients.api.common import NOT_FOUND, WRITE, ClientId, ObjectId, Pages, get_or_404
from kliento.clients.api.schemas import (
    AllPurchaseFilters,
    PurchaseFilters,
    PurchaseIn,
    PurchaseOut,
)
from kliento.clients.models import Client, Purchase
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["purchases"])


@router.get(
    "/purchases",
    response={200: list[PurchaseOut], **NOT_FOUND},
    summary="Purchases of all clients",
    **needs("clients.view_client", "clients.view_purchase"),
)
@paginate(Pages)
def list_all_purchases(
    request: AuthenticatedHttpRequest, filters: Query[AllPurchaseFilters]
) -> QuerySet[Purchase]:
    client = get_or_404(Client, pk=filters.client) if filters.client else None
    return selectors.purchases_between(
        client=client, since=filters.since, until=filters.until, currency=filters.currency
    )


@router.get(
    "/clients/{client_id}/purchases",
    response={200: list[PurchaseOut], **NOT_FOUND},
    summary="A client's purchases",
    **needs("clients.view_client", "clients.view_purchase"),
)
@paginate(Pages)
def list_purchases(
    request: AuthenticatedHttpRequest, client_id: ClientId, filters: Query[PurchaseFilters]
) -> QuerySet[Purchase]:
    client = get_or_404(Client, pk=client_id)
    return selectors.purchases_between(
        client=client, since=filters.since, until=filters.until, currency=filters.currency
    )


@router.post(
    "/clients/{client_id}/purchases",
    response={201: PurchaseOut, **WRITE},
    summary="Record a purchase",
    **needs("clients.add_purchase"),
)
def create_purchase(
    request: AuthenticatedHttpRequest, client_id: ClientId, payload: PurchaseIn
) -> Status[Purchase]:
    client = get_or_404(Client, pk=client_id)
    purchase = services.record_purchase(
        actor=request.user,
        client=client,
        occurred_on=payload.occurred_on,
        amount=payload.amount,
        currency=payload.currency,
        description=payload.description,
        items=[item.model_dump(mode="json") for item in payload.items],
        channel=payload.channel,
        external_ref=payload.external_ref,
        cost=payload.cost,
    )
    return Status(201, purchase)


@router.delete(
    "/clients/{client_id}/purchases/{purchase_id}",
    response={204: None, **WRITE},
    summary="Remove a purchase",
    **needs("clients.delete_purchase"),
)
def remove_purchase(
    request: AuthenticatedHttpRequest, client_id: ClientId, purchase_id: ObjectId
) -> Status[None]:
    purchase = get_or_404(Purchase, pk=purchase_id, client_id=client_id)
    services.remove_purchase(actor=request.user, purchase=purchase)
    return Status(204, None)
