"""A client's contacts and per-channel consents."""

from ninja import Router
from ninja.responses import Status

from kliento.clients import selectors, services
from kliento.clients.api.common import NOT_FOUND, WRITE, ClientId, ObjectId, get_or_404
from kliento.clients.api.schemas import Channel, ConsentIn, ConsentOut, ContactIn, ContactOut
from kliento.clients.models import ChannelConsent, Client, ContactPoint
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["contacts and consents"])


@router.get(
    "/clients/{client_id}/contacts",
    response={200: list[ContactOut], **NOT_FOUND},
    summary="A client's contacts",
    **needs("clients.view_client"),
)
def list_contacts(request: AuthenticatedHttpRequest, client_id: ClientId) -> list[ContactPoint]:
    return selectors.contacts(get_or_404(Client, pk=client_id))


@router.post(
    "/clients/{client_id}/contacts",
    response={201: ContactOut, **WRITE},
    summary="Add a contact",
    **needs("clients.change_client"),
)
def add_contact(
    request: AuthenticatedHttpRequest, client_id: ClientId, payload: ContactIn
) -> Status[ContactPoint]:
    client = get_or_404(Client, pk=client_id)
    contact = services.add_contact(
        actor=request.user,
        client=client,
        kind=payload.kind,
        value=payload.value,
        label=payload.label,
        messenger=payload.messenger or "",
        is_primary=payload.is_primary,
    )
    return Status(201, contact)


@router.delete(
    "/clients/{client_id}/contacts/{contact_id}",
    response={204: None, **WRITE},
    summary="Remove a contact",
    **needs("clients.change_client"),
)
def remove_contact(
    request: AuthenticatedHttpRequest, client_id: ClientId, contact_id: ObjectId
) -> Status[None]:
    contact = get_or_404(
        ContactPoint.objects.select_related("client"), pk=contact_id, client_id=client_id
    )
    services.remove_contact(actor=request.user, contact=contact)
    return Status(204, None)


@router.get(
    "/clients/{client_id}/consents",
    response={200: list[ConsentOut], **NOT_FOUND},
    summary="A client's recorded consents",
    **needs("clients.view_client"),
)
def list_consents(request: AuthenticatedHttpRequest, client_id: ClientId) -> list[ChannelConsent]:
    return selectors.consents(get_or_404(Client, pk=client_id))


@router.put(
    "/clients/{client_id}/consents/{channel}",
    response={200: ConsentOut, **WRITE},
    summary="Record whether the client consents to a channel",
    **needs("clients.change_client"),
)
def set_consent(
    request: AuthenticatedHttpRequest, client_id: ClientId, channel: Channel, payload: ConsentIn
) -> ChannelConsent:
    client = get_or_404(Client, pk=client_id)
    return services.set_consent(
        actor=request.user, client=client, channel=channel, granted=payload.granted
    )
