"""Clients: list with filters, the card, create, partial update, leave/return, delete."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from kliento.clients import rules, selectors, services
from kliento.clients.api.common import (
    ERRORS,
    NOT_FOUND,
    WRITE,
    ClientId,
    Pages,
    api_field_names,
    get_or_404,
)
from kliento.clients.api.schemas import (
    CardSource,
    ClientFilters,
    ClientIn,
    ClientOut,
    ClientPatch,
    ClientSummaryOut,
    LeftIn,
    MergedOut,
    PossibleDuplicateOut,
)
from kliento.clients.models import Client, Tag
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["clients"])

# A rule's error on a field is reported where the API client sent it (`company` → `company_id`);
# errors of the contacts created with the client are reported on `contacts`.
ERROR_NAMES = {**rules.API_NAMES, "value": "contacts"}


def _fields(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The payload by the rules' field names: (plain values, objects its ids refer to)."""
    values: dict[str, Any] = {}
    ids: dict[str, Any] = {}
    for field in rules.FIELDS:
        if field.api_name in data:
            (ids if field.reference else values)[field.name] = data[field.api_name]
    with api_field_names(ERROR_NAMES):
        return values, selectors.resolve_references(ids)


def _card(request: AuthenticatedHttpRequest, client_id: int) -> CardSource:
    return CardSource(selectors.card(client_id, request.user))


@router.get(
    "/clients",
    response={200: list[ClientSummaryOut], **ERRORS},
    summary="List and search clients",
    **needs("clients.view_client"),
)
@paginate(Pages)
def list_clients(
    request: AuthenticatedHttpRequest, filters: Query[ClientFilters]
) -> QuerySet[Client]:
    found = selectors.search_clients(
        selectors.ClientFilters(
            q=filters.q,
            segment=filters.segment,
            tag=filters.tag,
            manager=filters.manager,
            status=filters.status or "",
            key_only=filters.key_only,
            sort=filters.sort,
        )
    )
    return found.prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))


@router.get(
    "/clients/{client_id}",
    response={200: ClientOut, 301: MergedOut, **NOT_FOUND},
    summary="The client card",
    **needs("clients.view_client"),
)
def get_client(request: AuthenticatedHttpRequest, client_id: ClientId) -> Any:
    """The id of a client merged into another answers 301, with the survivor's URL in
    `Location` and its id in `merged_into`."""
    try:
        return _card(request, client_id)
    except Client.DoesNotExist:
        survivor = selectors.merged_into(client_id)
        if survivor is None:
            raise
    response = JsonResponse(
        {
            "detail": _("This client was merged into client %(id)d.") % {"id": survivor},
            "merged_into": survivor,
        },
        status=301,
    )
    response["Location"] = f"{request.path.rstrip('/').rsplit('/', 1)[0]}/{survivor}"
    return response


@router.post(
    "/clients",
    response={201: ClientOut, **WRITE, 409: PossibleDuplicateOut},
    summary="Create a client",
    **needs("clients.add_client"),
)
def create_client(request: AuthenticatedHttpRequest, payload: ClientIn) -> Status[Any]:
    """409 when existing clients share a phone or an e-mail with the new one (`duplicates`
    lists them), unless `allow_duplicate` is true."""
    values, refs = _fields(payload.model_dump(exclude={"allow_duplicate"}))
    try:
        with api_field_names(ERROR_NAMES):
            client = services.create_client(
                actor=request.user,
                **values,
                **refs,
                contacts=[(c.kind, c.value) for c in payload.contacts],
                allow_duplicate=payload.allow_duplicate,
            )
    except services.PossibleDuplicate as exc:
        return Status(409, _duplicates(exc.matches))
    return Status(201, _card(request, client.pk))


def _duplicates(matches: list[selectors.DuplicateMatch]) -> dict[str, Any]:
    return {
        "detail": [
            {
                "loc": ["body", "payload"],
                "msg": _(
                    "Existing clients have the same phone or e-mail. Send allow_duplicate: true "
                    "to create this client anyway."
                ),
                "type": "possible_duplicate",
            }
        ],
        "duplicates": [
            {
                "id": m.client_id,
                "name": m.name,
                "external_ref": m.external_ref,
                "matched_on": m.matched_on,
            }
            for m in matches
        ],
    }


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut, **WRITE},
    summary="Change some fields of a client",
    **needs("clients.change_client"),
)
def update_client(
    request: AuthenticatedHttpRequest, client_id: ClientId, payload: ClientPatch
) -> CardSource:
    client = get_or_404(Client, pk=client_id)
    values, refs = _fields(payload.model_dump(exclude_unset=True))
    tags = refs.pop("tags", None)
    with api_field_names(ERROR_NAMES):
        services.update_client(actor=request.user, client=client, changes=values | refs, tags=tags)
    return _card(request, client_id)


@router.post(
    "/clients/{client_id}/left",
    response={200: ClientOut, **WRITE},
    summary="Mark a client as left",
    **needs("clients.change_client"),
)
def mark_left(
    request: AuthenticatedHttpRequest, client_id: ClientId, payload: LeftIn
) -> CardSource:
    client = get_or_404(Client, pk=client_id)
    services.mark_left(
        actor=request.user, client=client, left_on=payload.left_on, reason=payload.reason
    )
    return _card(request, client_id)


@router.post(
    "/clients/{client_id}/return",
    response={200: ClientOut, **WRITE},
    summary="Mark a client who left as active again",
    **needs("clients.change_client"),
)
def mark_returned(request: AuthenticatedHttpRequest, client_id: ClientId) -> CardSource:
    client = get_or_404(Client, pk=client_id)
    services.mark_returned(actor=request.user, client=client)
    return _card(request, client_id)


@router.delete(
    "/clients/{client_id}",
    response={204: None, **WRITE},
    summary="Delete a client with its card",
    **needs("clients.delete_client"),
)
def delete_client(request: AuthenticatedHttpRequest, client_id: ClientId) -> Status[None]:
    client = get_or_404(Client, pk=client_id)
    services.delete_client(actor=request.user, client=client)
    return Status(204, None)
