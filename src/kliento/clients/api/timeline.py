"""A client's timeline, newest first, paged with the opaque cursors of `selectors.timeline_page`
(the card's "show earlier" uses the same ones)."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from kliento.clients import selectors
from kliento.clients.api.common import MAX_PAGE_SIZE, NOT_FOUND, ClientId, get_or_404
from kliento.clients.api.schemas import TimelinePage
from kliento.clients.models import Client
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["timeline"])


class TimelineQuery(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the previous page."
    )
    limit: int = Field(30, ge=1, le=MAX_PAGE_SIZE, description="Entries per page.")


@router.get(
    "/clients/{client_id}/timeline",
    response={200: TimelinePage, **NOT_FOUND},
    summary="A client's timeline, newest first",
    **needs("clients.view_client"),
)
def timeline(
    request: AuthenticatedHttpRequest, client_id: ClientId, query: Query[TimelineQuery]
) -> selectors.TimelinePage:
    client = get_or_404(Client, pk=client_id)
    try:
        return selectors.timeline_page(
            client, user=request.user, cursor=query.cursor, limit=query.limit
        )
    except selectors.InvalidCursor:
        raise NinjaValidationError(
            [{"loc": ["query", "cursor"], "msg": _("Invalid cursor."), "type": "invalid_cursor"}]
        ) from None
