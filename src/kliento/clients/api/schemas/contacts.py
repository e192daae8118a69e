"""Contacts and per-channel consents."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from ninja import Field, Schema
from pydantic import StrictBool, ValidationInfo, field_validator

from kliento.clients.api.schemas.common import OneOf, Text, from_rule
from kliento.clients.contacts import normalize_contact
from kliento.clients.models import ContactPoint
from kliento.core.channels import ConsentChannel, ContactKind

ContactKindIn = Annotated[str, OneOf(ContactKind.values)]
MessengerIn = Annotated[str, OneOf(ContactPoint.Messenger.values)]
Channel = Annotated[str, OneOf(ConsentChannel.values)]


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

    kind: ContactKindIn = Field(description="phone, email or messenger.", examples=["phone"])
    value: Annotated[str, Text(254, 1)] = Field(
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
            raise from_rule(exc) from None
        return value


class ContactIn(NewContactIn):
    """A contact added to an existing client."""

    label: Annotated[str, Text(60)] = Field(
        "", description="Free label, e.g. 'work'.", examples=["work"]
    )
    messenger: MessengerIn | None = Field(
        None, description="For messenger handles: which messenger (default: other)."
    )
    is_primary: StrictBool = Field(
        False,
        description="Make this the primary contact of its kind. The first one always is.",
    )


class ConsentOut(Schema):
    channel: str = Field(examples=["email"])
    granted: bool
    recorded_at: dt.datetime


class ConsentIn(Schema):
    granted: StrictBool = Field(description="Whether the client agrees to be contacted this way.")
