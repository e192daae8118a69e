"""Clients: as listed, the card, creation, partial update, leaving, list filters."""

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import field_validator

from kliento.clients.api.schemas.common import (
    Day,
    Id,
    Language,
    OneOf,
    QueryId,
    RefOut,
    StaffOut,
    Text,
    reject_null,
)
from kliento.clients.api.schemas.contacts import ConsentOut, ContactOut, NewContactIn
from kliento.clients.api.schemas.portrait import FactOut
from kliento.clients.api.schemas.purchases import PurchaseOut, PurchaseStatsOut
from kliento.clients.api.schemas.timeline import TimelinePage
from kliento.clients.models import Client
from kliento.clients.selectors import SORTS, Card

ClientKind = Annotated[str, OneOf(Client.Kind.values)]
ClientStatus = Annotated[str, OneOf(Client.Status.values)]
Sort = Annotated[str, OneOf(list(SORTS))]


class ClientSummaryOut(Schema):
    """A client as listed."""

    id: int
    kind: str = Field(description="person or company.", examples=["person"])
    name: str = Field(examples=["Anna Nowak"])
    status: str = Field(description="active or left.", examples=["active"])
    left_on: dt.date | None
    client_since: dt.date | None = Field(
        description="When the client became one: as given, else the first purchase, else the "
        "day the record was created; never after the first purchase."
    )
    is_key: bool = Field(description="Flagged as a key client by the Pareto analysis.")
    company: RefOut | None = Field(description="The company a contact person works for.")
    segment: RefOut | None
    account_manager: StaffOut | None
    tags: list[RefOut]
    external_ref: str | None = Field(description="Identifier in the system the client came from.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj: Any) -> list[Any]:
        return list(obj.tags.all())


class ClientOut(ClientSummaryOut):
    """The client card, as `selectors.card` assembles it for the token's owner: parts the owner
    may not see (the portrait, purchases) are null, and the timeline leaves out their entries."""

    job_title: str
    language: str = Field(description="Preferred language code, or empty.", examples=["pl"])
    notes: str
    contacts: list[ContactOut]
    consents: list[ConsentOut]
    contact_persons: list[RefOut] = Field(
        description="For a company: its contact persons (the first 50 by name)."
    )
    purchase_stats: PurchaseStatsOut | None = Field(
        description="Purchase figures; null without the permission to see purchases."
    )
    recent_purchases: list[PurchaseOut] | None = Field(
        description="The 10 latest purchases; null without the permission to see purchases."
    )
    facts: list[FactOut] | None = Field(
        description="The portrait; null without the permission to see portrait facts."
    )
    timeline: TimelinePage = Field(
        description="The newest timeline entries; more with GET /clients/{id}/timeline."
    )


class CardSource:
    """A card as `ClientOut` reads it: the card's parts, else the client's own attributes."""

    PARTS = frozenset(
        {
            "contacts",
            "consents",
            "contact_persons",
            "purchase_stats",
            "recent_purchases",
            "facts",
            "timeline",
        }
    )

    def __init__(self, card: Card) -> None:
        self._card = card

    def __getattr__(self, name: str) -> Any:
        if name in self.PARTS:
            return getattr(self._card, name)
        return getattr(self._card.client, name)


class ClientIn(Schema):
    """A new client. Ids refer to existing companies, staff, segments and tags."""

    kind: ClientKind = Field("person", description="person or company.")
    name: Annotated[str, Text(200, 1)] = Field(examples=["Anna Nowak"])
    company_id: Id | None = Field(
        None, description="For a person: the id of the company client they work for."
    )
    job_title: Annotated[str, Text(200)] = Field(
        "", description="For a person; a company has none.", examples=["Office manager"]
    )
    language: Language = Field("", description="Preferred language.", examples=["pl"])
    account_manager_id: Id | None = Field(None, description="Id of a staff member.")
    segment_id: Id | None = Field(None, description="Id of a segment (see /segments).")
    tag_ids: list[Id] = Field([], max_length=50, description="Ids of tags (see /tags).")
    external_ref: Annotated[str, Text(100)] | None = Field(
        None,
        description="Unique identifier in another system; empty means none.",
        examples=["CRM-1042"],
    )
    notes: Annotated[str, Text(10_000)] = ""
    client_since: Day | None = Field(
        None,
        description="When the client became one; not in the future. Left out: the first "
        "purchase, else today; a later purchase dated earlier moves it back.",
    )
    contacts: list[NewContactIn] = Field(
        [],
        max_length=20,
        description="Phones, emails and messenger handles; each is validated and normalised.",
        examples=[[{"kind": "phone", "value": "+48 601 234 567"}]],
    )
    allow_duplicate: bool = Field(
        False,
        description="Create the client even when existing clients share one of its phones or "
        "e-mails (without it: 409 listing them); a reference another client has is refused "
        "either way (422).",
    )


class ClientPatch(Schema):
    """Only the fields sent are changed; the timeline lists each field that changed."""

    kind: ClientKind | None = None
    name: Annotated[str, Text(200, 1)] | None = None
    company_id: Id | None = Field(None, description="null detaches the person from a company.")
    job_title: Annotated[str, Text(200)] | None = None
    language: Language | None = None
    account_manager_id: Id | None = None
    segment_id: Id | None = None
    tag_ids: list[Id] | None = Field(None, max_length=50, description="Replaces all tags.")
    external_ref: Annotated[str, Text(100)] | None = None
    notes: Annotated[str, Text(10_000)] | None = None
    client_since: Day | None = Field(
        None, description="null: back to the rule (first purchase, else the creation day)."
    )

    # These fields have no "empty" meaning in the database; null is a mistake, not a reset.
    @field_validator("kind", "name", "job_title", "language", "tag_ids", "notes", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return reject_null(value)


class LeftIn(Schema):
    left_on: Day = Field(description="When the client left; not in the future.")
    reason: Annotated[str, Text(300)] = ""


class ClientFilters(Schema):
    q: Annotated[str, Text(200)] = Field(
        "", description="Name (substring), exact phone, exact email or external reference."
    )
    segment: QueryId | None = Field(None, description="Segment id.")
    tag: QueryId | None = Field(None, description="Tag id.")
    manager: QueryId | None = Field(None, description="Account manager (staff) id.")
    status: ClientStatus | None = None
    key_only: bool = Field(False, description="Only clients flagged as key clients.")
    sort: Sort = Field("name", description="Sort order; '-' means descending.")
