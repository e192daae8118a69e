"""Clients: list with filters, the card, create, partial update, leave/return, delete."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from kliento.clients import selectors, services
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
    ClientFilters,
    ClientIn,
    ClientOut,
    ClientPatch,
    ClientSummaryOut,
    LeftIn,
)
from kliento.clients.forms import staff_choices
from kliento.clients.models import Client, Segment, Tag
from kliento.core.api_auth import needs

router = Router(tags=["clients"])

# API field → service field, and back for the service's error messages.
FK_FIELDS = {
    "company_id": "company",
    "account_manager_id": "account_manager",
    "segment_id": "segment",
}
ERROR_NAMES = {service: api for api, service in FK_FIELDS.items()} | {
    "tags": "tag_ids",
    "value": "contacts",
}


class _References:
    """Turns the ids of a payload into objects, collecting every unknown id before failing."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def _one(self, field: str, queryset, pk: int | None):
        if pk is None:
            return None
        found = queryset.filter(pk=pk).first()
        if found is None:
            self.errors.setdefault(field, []).append(
                ValidationError(
                    _("There is nothing with id %(id)s to refer to."),
                    code="unknown_id",
                    params={"id": pk},
                )
            )
        return found

    def resolve(self, data: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        sources = {
            "company_id": Client.objects.filter(kind=Client.Kind.COMPANY),
            "account_manager_id": staff_choices(),
            "segment_id": Segment.objects.all(),
        }
        for field, queryset in sources.items():
            if field in data:
                out[FK_FIELDS[field]] = self._one(field, queryset, data[field])
        if data.get("tag_ids") is not None:
            wanted = set(data["tag_ids"])
            tags = list(Tag.objects.filter(pk__in=wanted))
            missing = sorted(wanted - {t.pk for t in tags})
            if missing:
                self.errors["tag_ids"] = [
                    ValidationError(
                        _("Unknown tag ids: %(ids)s."),
                        code="unknown_id",
                        params={"ids": ", ".join(map(str, missing))},
                    )
                ]
            out["tags"] = tags
        if self.errors:
            raise ValidationError(self.errors)
        return out


def _card(pk: int) -> Client:
    return get_or_404(
        Client.objects.select_related("segment", "account_manager", "company").prefetch_related(
            "tags", "contacts", "consents"
        ),
        pk=pk,
    )


def _card_out(client: Client, user) -> Client:
    """The card with its derived purchase figures, which are not a model attribute. They are
    purchase data: only for who may view purchases, as on the card in the UI."""
    client.purchase_stats = (
        selectors.purchase_stats(client) if user.has_perm("clients.view_purchase") else None
    )
    return client


@router.get(
    "/clients",
    response={200: list[ClientSummaryOut], **ERRORS},
    summary="List and search clients",
    **needs("clients.view_client"),
)
@paginate(Pages)
def list_clients(request: HttpRequest, filters: Query[ClientFilters]):
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
    response={200: ClientOut, **NOT_FOUND},
    summary="The client card",
    **needs("clients.view_client"),
)
def get_client(request: HttpRequest, client_id: ClientId):
    return _card_out(_card(client_id), request.user)


@router.post(
    "/clients",
    response={201: ClientOut, **WRITE},
    summary="Create a client",
    **needs("clients.add_client"),
)
def create_client(request: HttpRequest, payload: ClientIn):
    data = payload.model_dump()
    refs = _References().resolve(data)
    with api_field_names(ERROR_NAMES):
        client = services.create_client(
            actor=request.user,
            name=payload.name,
            kind=payload.kind,
            company=refs["company"],
            job_title=payload.job_title,
            language=payload.language,
            account_manager=refs["account_manager"],
            segment=refs["segment"],
            tags=refs.get("tags", []),
            external_ref=payload.external_ref,
            notes=payload.notes,
            contacts=[(c.kind, c.value) for c in payload.contacts],
        )
    return Status(201, _card_out(_card(client.pk), request.user))


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut, **WRITE},
    summary="Change some fields of a client",
    **needs("clients.change_client"),
)
def update_client(request: HttpRequest, client_id: ClientId, payload: ClientPatch):
    client = get_or_404(Client, pk=client_id)
    data = payload.model_dump(exclude_unset=True)
    refs = _References().resolve(data)
    tags = refs.pop("tags", None)
    changes = {
        field: value
        for field, value in data.items()
        if field in services.EDITABLE_FIELDS and field not in FK_FIELDS
    } | refs
    with api_field_names(ERROR_NAMES):
        services.update_client(actor=request.user, client=client, changes=changes, tags=tags)
    return _card_out(_card(client_id), request.user)


@router.post(
    "/clients/{client_id}/left",
    response={200: ClientOut, **WRITE},
    summary="Mark a client as left",
    **needs("clients.change_client"),
)
def mark_left(request: HttpRequest, client_id: ClientId, payload: LeftIn):
    client = get_or_404(Client, pk=client_id)
    services.mark_left(
        actor=request.user, client=client, left_on=payload.left_on, reason=payload.reason
    )
    return _card_out(_card(client_id), request.user)


@router.post(
    "/clients/{client_id}/return",
    response={200: ClientOut, **WRITE},
    summary="Mark a client who left as active again",
    **needs("clients.change_client"),
)
def mark_returned(request: HttpRequest, client_id: ClientId):
    client = get_or_404(Client, pk=client_id)
    services.mark_returned(actor=request.user, client=client)
    return _card_out(_card(client_id), request.user)


@router.delete(
    "/clients/{client_id}",
    response={204: None, **WRITE},
    summary="Delete a client with its card",
    **needs("clients.delete_client"),
)
def delete_client(request: HttpRequest, client_id: ClientId):
    client = get_or_404(Client, pk=client_id)
    services.delete_client(actor=request.user, client=client)
    return Status(204, None)
