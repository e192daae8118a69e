"""A client's timeline, newest first, in pages with an opaque keyset cursor.

A keyset cursor (moment, id) stays correct while new entries arrive, which page numbers do not,
and costs one index range scan however deep the reader scrolls. The card and the API page the
same way, with the same cursors.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from kliento.clients.models import Client, TimelineEntry
from kliento.core.timeline import hidden_kinds, prepare

TIMELINE_PAGE = 30
# Both SQLite and PostgreSQL store ids as signed 64-bit integers.
MAX_ID = 2**63 - 1


class InvalidCursor(ValueError):
    """A cursor this module did not make (or a damaged one)."""


def encode_cursor(moment: dt.datetime, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{moment.isoformat()}|{pk}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[dt.datetime, int]:
    try:
        stamp, raw_pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = dt.datetime.fromisoformat(stamp)
        pk = int(raw_pk)
        if moment.tzinfo is None or not 0 < pk <= MAX_ID:
            raise ValueError("naive moment or id out of range")
        # In UTC now, so a moment beyond year 1-9999 in UTC fails here, not in the query.
        return moment.astimezone(dt.UTC), pk
    except (ValueError, OverflowError, UnicodeError, binascii.Error):
        raise InvalidCursor(cursor) from None


def timeline_before(
    client: Client | int, *, user: Any = None, before: tuple[dt.datetime, int] | None = None
) -> QuerySet[TimelineEntry]:
    """A client's timeline, newest first, strictly older than the (moment, id) keyset cursor.

    With `user`, entries about purchases or portrait facts are left out unless the user may
    see those, so the feed never shows what the card's own blocks hide.
    """
    qs = TimelineEntry.objects.filter(client=client).select_related("actor")
    if user is not None and (hidden := hidden_kinds(user)):
        qs = qs.exclude(kind__in=hidden)
    if before is not None:
        moment, pk = before
        qs = qs.filter(Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=pk))
    return qs.order_by("-occurred_at", "-id")


@dataclass(frozen=True)
class TimelinePage:
    entries: list[TimelineEntry]
    next_cursor: str | None  # None on the last page

    # The API's name for the entries.
    @property
    def items(self) -> list[TimelineEntry]:
        return self.entries


def timeline_page(
    client: Client | int, *, user: Any, cursor: str | None = None, limit: int = TIMELINE_PAGE
) -> TimelinePage:
    """One page of what `user` may see of the timeline, older than `cursor` (None: the newest).

    Raises InvalidCursor for a cursor that is not one of `next_cursor`'s.
    """
    before = decode_cursor(cursor) if cursor else None
    rows = list(timeline_before(client, user=user, before=before)[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    prepare(rows)  # the names the entries' details show, fetched for the page at once
    next_cursor = encode_cursor(rows[-1].occurred_at, rows[-1].pk) if more else None
    return TimelinePage(rows, next_cursor)
