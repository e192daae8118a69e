"""A client's timeline, newest first, with an opaque keyset cursor.

A keyset cursor (moment, id) stays correct while new entries arrive, which page numbers do not,
and costs one index range scan however deep the client scrolls.
"""

import base64
import binascii
import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError

from kliento.clients import selectors
from kliento.clients.api.common import MAX_PAGE_SIZE, NOT_FOUND, ClientId, get_or_404
from kliento.clients.api.schemas import TimelinePage
from kliento.clients.models import Client
from kliento.core.api_auth import needs

router = Router(tags=["timeline"])


class TimelineQuery(Schema):
    cursor: str | None = Field(
        None, max_length=200, description="`next_cursor` of the previous page."
    )
    limit: int = Field(30, ge=1, le=MAX_PAGE_SIZE, description="Entries per page.")


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        stamp, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = dt.datetime.fromisoformat(stamp)
        if moment.tzinfo is None:
            raise ValueError("naive")
        # In UTC now, so a moment beyond year 1-9999 in UTC fails here, not in the query.
        return moment.astimezone(dt.UTC), int(pk)
    except (ValueError, OverflowError, UnicodeError, binascii.Error):
        raise NinjaValidationError(
            [{"loc": ["query", "cursor"], "msg": _("Invalid cursor."), "type": "invalid_cursor"}]
        ) from None


@router.get(
    "/clients/{client_id}/timeline",
    response={200: TimelinePage, **NOT_FOUND},
    summary="A client's timeline, newest first",
    **needs("clients.view_client"),
)
def timeline(request: HttpRequest, client_id: ClientId, query: Query[TimelineQuery]):
    client = get_or_404(Client, pk=client_id)
    before = decode_cursor(query.cursor) if query.cursor else None
    rows = list(
        selectors.timeline_before(client, user=request.user, before=before)[: query.limit + 1]
    )
    more = len(rows) > query.limit
    rows = rows[: query.limit]
    next_cursor = encode_cursor(rows[-1].occurred_at, rows[-1].pk) if more else None
    return {"items": rows, "next_cursor": next_cursor}
