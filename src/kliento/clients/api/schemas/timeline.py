"""The client's timeline."""

import datetime as dt
from typing import Any

from ninja import Field, Schema

from kliento.clients.api.schemas.common import StaffOut


class TimelineEntryOut(Schema):
    id: int
    occurred_at: dt.datetime
    kind: str = Field(description="Event type, e.g. client.edited.", examples=["client.edited"])
    label: str = Field(description="Human-readable event name in the request's language.")
    actor: StaffOut | None
    summary: str
    data: dict[str, Any] = Field(description="Event details, e.g. changed fields.")
    details: list[str] = Field(
        description="The details as people read them, in the request's language, with names "
        "instead of ids (e.g. “Segment: Regular → VIP”)."
    )

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.kind_label)

    @staticmethod
    def resolve_details(obj: Any) -> list[str]:
        return list(obj.lines())


class TimelinePage(Schema):
    items: list[TimelineEntryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get older entries; null on the last page."
    )
