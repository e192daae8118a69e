"""Portrait facts: what is known about a client, and when it was last confirmed."""

from ninja import Router
from ninja.responses import Status

from kliento.clients import selectors, services
from kliento.clients.api.common import NOT_FOUND, WRITE, ClientId, ObjectId, get_or_404
from kliento.clients.api.schemas import FactIn, FactOut, FactVerifyIn
from kliento.clients.models import Client, PortraitFact
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["portrait"])


def _fact(client_id: int, fact_id: int) -> PortraitFact:
    return get_or_404(
        PortraitFact.objects.select_related("recorded_by", "verified_by"),
        pk=fact_id,
        client_id=client_id,
    )


@router.get(
    "/clients/{client_id}/facts",
    response={200: list[FactOut], **NOT_FOUND},
    summary="A client's portrait",
    **needs("clients.view_client", "clients.view_portraitfact"),
)
def list_facts(request: AuthenticatedHttpRequest, client_id: ClientId) -> list[PortraitFact]:
    return selectors.facts(get_or_404(Client, pk=client_id))


@router.post(
    "/clients/{client_id}/facts",
    response={201: FactOut, **WRITE},
    summary="Add a portrait fact",
    **needs("clients.add_portraitfact"),
)
def add_fact(
    request: AuthenticatedHttpRequest, client_id: ClientId, payload: FactIn
) -> Status[PortraitFact]:
    client = get_or_404(Client, pk=client_id)
    fact = services.add_portrait_fact(
        actor=request.user,
        client=client,
        category=payload.category,
        text=payload.text,
        source=payload.source,
    )
    return Status(201, _fact(client_id, fact.pk))


@router.post(
    "/clients/{client_id}/facts/{fact_id}/verify",
    response={200: FactOut, **WRITE},
    summary="Confirm a fact (optionally correcting its wording)",
    **needs("clients.change_portraitfact"),
)
def verify_fact(
    request: AuthenticatedHttpRequest,
    client_id: ClientId,
    fact_id: ObjectId,
    payload: FactVerifyIn | None = None,
) -> PortraitFact:
    fact = _fact(client_id, fact_id)
    text = payload.text if payload is not None else None
    services.verify_portrait_fact(actor=request.user, fact=fact, text=text)
    return _fact(client_id, fact_id)


@router.delete(
    "/clients/{client_id}/facts/{fact_id}",
    response={204: None, **WRITE},
    summary="Remove a portrait fact",
    **needs("clients.delete_portraitfact"),
)
def remove_fact(
    request: AuthenticatedHttpRequest, client_id: ClientId, fact_id: ObjectId
) -> Status[None]:
    fact = _fact(client_id, fact_id)
    services.remove_portrait_fact(actor=request.user, fact=fact)
    return Status(204, None)
