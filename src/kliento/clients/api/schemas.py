"""Request and response shapes of the client-card API.

Input types are strict about what the database cannot hold (NUL characters, ids beyond 64 bits,
non-finite amounts) so that odd input is a 422, never a database error. Business rules (phone
validity, ISO currency, dates in the future, uniqueness) stay in the services; the API maps
their ValidationError to the same 422 shape.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, StringConstraints, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from kliento.clients.contacts import normalize_contact
from kliento.clients.models import ChannelConsent, Client, ContactPoint, PortraitFact, Purchase
from kliento.clients.selectors import SORTS

# Both SQLite and PostgreSQL store ids as signed 64-bit integers; larger values would crash
# the query instead of simply matching nothing.
MAX_ID = 2**63 - 1
CENT = Decimal("0.01")


def choice(values: list[str]) -> Any:
    """A Literal type of a model's choices, so OpenAPI lists them as an enum."""
    return Literal[tuple(values)]  # type: ignore[valid-type]


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL in text columns, and JSON may smuggle in lone surrogates ("\ud800")
    # that no database encoding can hold; refuse both here with a message instead of a 500.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", _("Text cannot contain NUL characters."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_unicode", _("Text is not valid Unicode.")) from None
    return value


def Text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_storable),
    ]


Id = Annotated[int, Field(ge=1, le=MAX_ID)]

ClientKind = choice(Client.Kind.values)
ClientStatus = choice(Client.Status.values)
ContactKind = choice(ContactPoint.Kind.values)
Messenger = choice(ContactPoint.Messenger.values)
Channel = choice(ChannelConsent.Channel.values)
Category = choice(PortraitFact.Category.values)
Source = choice(PortraitFact.Source.values)
PurchaseChannel = choice(Purchase.Channel.values)
Language = choice(["", *(code for code, _name in settings.LANGUAGES)])
Sort = choice(list(SORTS))


def _reject_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("null_not_allowed", _("This field cannot be null."))
    return value


# ---------------------------------------------------------------------------- references


class RefOut(Schema):
    id: int
    name: str


class StaffOut(Schema):
    id: int
    username: str
    name: str = Field(description="Full name, or the username when the name is empty.")

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.get_full_name() or obj.username


class SegmentOut(RefOut):
    description: str


# ---------------------------------------------------------------------------- contacts


class ContactOut(Schema):
    id: int
    kind: str = Field(description="phone, email or messenger.")
    value: str = Field(
        description="E.164 for phones, lower-case for emails, the handle for messengers.",
        examples=["+48601234567"],
    )
    messenger: str = Field(description="Which messenger, for messenger handles; else empty.")
    label: str
    is_primary: bool


class NewContactIn(Schema):
    """A contact given when the client is created."""

    kind: ContactKind = Field(description="phone, email or messenger.", examples=["phone"])
    value: Text(254, 1) = Field(
        description=(
            "A phone number (national numbers are read in the server's default region), "
            "an email address or a messenger handle. Stored normalised."
        ),
        examples=["+48 601 234 567"],
    )

    @field_validator("value")
    @classmethod
    def _valid_for_kind(cls, value: str, info: ValidationInfo) -> str:
        kind = info.data.get("kind")
        if kind is None:
            return value
        try:
            normalize_contact(kind, value)
        except DjangoValidationError as exc:
            code = exc.error_list[0].code or "value_error"
            raise PydanticCustomError(code, " ".join(exc.messages)) from None
        return value


class ContactIn(NewContactIn):
    """A contact added to an existing client."""

    label: Text(60) = Field("", description="Free label, e.g. 'work'.", examples=["work"])
    messenger: Messenger | None = Field(
        None, description="For messenger handles: which messenger (default: other)."
    )
    is_primary: bool = Field(
        False,
        description="Make this the primary contact of its kind. The first one always is.",
    )


# ---------------------------------------------------------------------------- consents


class ConsentOut(Schema):
    channel: str = Field(examples=["email"])
    granted: bool
    recorded_at: dt.datetime


class ConsentIn(Schema):
    granted: bool = Field(description="Whether the client agrees to be contacted this way.")


# ---------------------------------------------------------------------------- clients


class CurrencyTotalOut(Schema):
    currency: str = Field(examples=["PLN"])
    revenue: Decimal
    count: int
    average: Decimal = Field(description="Average check in this currency.")

    @staticmethod
    def resolve_revenue(obj) -> Decimal:
        # SQLite sums decimals without their scale; money always has two places here.
        return obj.revenue.quantize(CENT)


class PurchaseStatsOut(Schema):
    count: int = Field(description="Number of purchases in all currencies.")
    first: dt.date | None = Field(description="Date of the first purchase.")
    last: dt.date | None = Field(description="Date of the latest purchase.")
    recency_days: int | None = Field(description="Days since the latest purchase.")
    totals: list[CurrencyTotalOut] = Field(
        description="Revenue per currency; amounts in different currencies are never summed."
    )


class ClientSummaryOut(Schema):
    """A client as listed."""

    id: int
    kind: str = Field(description="person or company.", examples=["person"])
    name: str = Field(examples=["Anna Nowak"])
    status: str = Field(description="active or left.", examples=["active"])
    left_on: dt.date | None
    is_key: bool = Field(description="Flagged as a key client by the Pareto analysis.")
    company: RefOut | None = Field(description="The company a contact person works for.")
    segment: RefOut | None
    account_manager: StaffOut | None
    tags: list[RefOut]
    external_ref: str | None = Field(description="Identifier in the system the client came from.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_tags(obj) -> list:
        return list(obj.tags.all())


class ClientOut(ClientSummaryOut):
    """The client card."""

    job_title: str
    language: str = Field(description="Preferred language code, or empty.", examples=["pl"])
    notes: str
    contacts: list[ContactOut]
    consents: list[ConsentOut]
    purchase_stats: PurchaseStatsOut | None = Field(
        description="Purchase figures; null without the `clients.view_purchase` permission."
    )


class ClientIn(Schema):
    """A new client. Ids refer to existing companies, staff, segments and tags."""

    kind: ClientKind = Field("person", description="person or company.")
    name: Text(200, 1) = Field(examples=["Anna Nowak"])
    company_id: Id | None = Field(
        None, description="For a person: the id of the company client they work for."
    )
    job_title: Text(200) = Field("", examples=["Office manager"])
    language: Language = Field("", description="Preferred language.", examples=["pl"])
    account_manager_id: Id | None = Field(None, description="Id of a staff member.")
    segment_id: Id | None = Field(None, description="Id of a segment (see /segments).")
    tag_ids: list[Id] = Field([], max_length=50, description="Ids of tags (see /tags).")
    external_ref: Text(100) | None = Field(
        None, description="Unique identifier in another system.", examples=["CRM-1042"]
    )
    notes: Text(10_000) = ""
    contacts: list[NewContactIn] = Field(
        [],
        max_length=20,
        description="Phones, emails and messenger handles; each is validated and normalised.",
        examples=[[{"kind": "phone", "value": "+48 601 234 567"}]],
    )


class ClientPatch(Schema):
    """Only the fields sent are changed; the timeline lists each field that changed."""

    kind: ClientKind | None = None
    name: Text(200, 1) | None = None
    company_id: Id | None = Field(None, description="null detaches the person from a company.")
    job_title: Text(200) | None = None
    language: Language | None = None
    account_manager_id: Id | None = None
    segment_id: Id | None = None
    tag_ids: list[Id] | None = Field(None, max_length=50, description="Replaces all tags.")
    external_ref: Text(100) | None = None
    notes: Text(10_000) | None = None

    # These fields have no "empty" meaning in the database; null is a mistake, not a reset.
    @field_validator("kind", "name", "job_title", "language", "tag_ids", "notes", mode="before")
    @classmethod
    def _not_null(cls, value: Any) -> Any:
        return _reject_null(value)


class LeftIn(Schema):
    left_on: dt.date = Field(description="When the client left; not in the future.")
    reason: Text(300) = ""


class ClientFilters(Schema):
    q: Text(200) = Field(
        "", description="Name (substring), exact phone, exact email or external reference."
    )
    segment: Id | None = Field(None, description="Segment id.")
    tag: Id | None = Field(None, description="Tag id.")
    manager: Id | None = Field(None, description="Account manager (staff) id.")
    status: ClientStatus | None = None
    key_only: bool = Field(False, description="Only clients flagged as key clients.")
    sort: Sort = Field("name", description="Sort order; '-' means descending.")


# ---------------------------------------------------------------------------- portrait


class FactOut(Schema):
    id: int
    category: str = Field(examples=["lifestyle"])
    text: str = Field(examples=["Plays tennis on Sundays"])
    source: str = Field(examples=["conversation"])
    recorded_by: StaffOut | None
    recorded_at: dt.datetime
    verified_by: StaffOut | None
    verified_at: dt.datetime
    is_stale: bool = Field(
        description="Not verified for longer than the configured age: confirm at next contact."
    )


class FactIn(Schema):
    category: Category = Field(examples=["lifestyle"])
    text: Text(2000, 1) = Field(examples=["Plays tennis on Sundays"])
    source: Source = Field(examples=["conversation"])


class FactVerifyIn(Schema):
    text: Text(2000) | None = Field(
        None, description="Corrected wording, if the fact changed; omit to just confirm it."
    )


# ---------------------------------------------------------------------------- purchases


class PurchaseItem(Schema):
    name: Text(200, 1) = Field(examples=["Monthly pass"])
    quantity: int = Field(1, ge=1, le=1_000_000)
    unit_price: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class PurchaseOut(Schema):
    id: int
    client_id: int
    occurred_on: dt.date
    amount: Decimal = Field(description="Sent as a string to keep it exact.", examples=["120.00"])
    currency: str = Field(examples=["PLN"])
    description: str
    items: list[dict[str, Any]]
    channel: str = Field(examples=["store"])
    external_ref: str | None = Field(description="Order number in the source system.")
    created_at: dt.datetime


class PurchaseIn(Schema):
    occurred_on: dt.date = Field(description="Not in the future.", examples=["2026-03-14"])
    amount: Decimal = Field(
        ge=0,
        max_digits=14,
        decimal_places=2,
        description="Non-negative, at most two decimals; a string keeps it exact.",
        examples=["120.00"],
    )
    currency: Text(10, 1) = Field(description="ISO 4217 code.", examples=["PLN"])
    description: Text(500) = ""
    items: list[PurchaseItem] = Field([], max_length=200)
    channel: PurchaseChannel = "store"
    external_ref: Text(100) | None = Field(
        None, description="Order number; the same order cannot be recorded twice."
    )


class PurchaseFilters(Schema):
    since: dt.date | None = Field(None, description="On or after this date.")
    until: dt.date | None = Field(None, description="On or before this date.")
    currency: Text(3) = Field("", description="Only this currency.")


class AllPurchaseFilters(PurchaseFilters):
    client: Id | None = Field(None, description="Only this client's purchases.")


# ---------------------------------------------------------------------------- timeline


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
    def resolve_label(obj) -> str:
        return obj.kind_label

    @staticmethod
    def resolve_details(obj) -> list[str]:
        return obj.lines()


class TimelinePage(Schema):
    items: list[TimelineEntryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get older entries; null on the last page."
    )


class Message(Schema):
    detail: str = Field(examples=["Not found."])


class ErrorItem(Schema):
    loc: list[str | int] = Field(
        description="Where: body/query/path, then the field path.",
        examples=[["body", "payload", "contacts", 0, "value"]],
    )
    msg: str = Field(examples=["“12” is not a phone number."])
    type: str = Field(description="Machine-readable error code.", examples=["invalid_phone"])


class ValidationErrorOut(Schema):
    """Invalid input: one item per problem. Nothing was written."""

    detail: list[ErrorItem]
