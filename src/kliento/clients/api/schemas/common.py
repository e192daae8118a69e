"""Building blocks of the API's shapes: bounded text and ids, enums of choices, money.

Input types are strict about what the database cannot hold (NUL characters, ids beyond 64 bits,
non-finite amounts) so that odd input is a 422, never a database error. Business rules live in
`kliento.clients.rules`, `kliento.core.money` and the services; the API reports their
ValidationError in the same 422 shape, at the field the rule names.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

from annotated_types import GroupedMetadata
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    GetCoreSchemaHandler,
    PlainValidator,
    StrictInt,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import CoreSchema, PydanticCustomError

from kliento.clients.selectors.timeline import MAX_ID
from kliento.core import money

__all__ = [
    "MAX_ID",
    "Amount",
    "Count",
    "Currency",
    "Day",
    "Id",
    "Language",
    "OneOf",
    "QueryId",
    "RefOut",
    "SegmentOut",
    "StaffOut",
    "Text",
    "from_rule",
    "reject_null",
]


@dataclass(frozen=True, init=False)
class OneOf:
    """`Annotated[str, OneOf(Model.Kind.values)]`: one of a model's choices.

    Validated as the Literal of those values, so OpenAPI lists them as an enum; type checkers
    see a plain `str`, since the values are only known when the model is loaded.
    """

    values: tuple[str, ...]

    def __init__(self, values: Iterable[str]) -> None:
        object.__setattr__(self, "values", tuple(values))

    def __get_pydantic_core_schema__(
        self, source_type: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler(Literal[self.values])


def from_rule(exc: DjangoValidationError) -> PydanticCustomError:
    """A rule's ValidationError as pydantic's, keeping its code and message."""
    code = exc.error_list[0].code or "value_error"
    return PydanticCustomError(code, " ".join(exc.messages))


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


@dataclass(frozen=True)
class Text(GroupedMetadata):
    """`Annotated[str, Text(200, 1)]`: stripped, 1 to 200 characters, storable."""

    max_length: int
    min_length: int = 0

    def __iter__(self) -> Iterator[object]:
        yield StringConstraints(
            strip_whitespace=True, min_length=self.min_length, max_length=self.max_length
        )
        yield AfterValidator(_storable)


def _amount(value: Decimal) -> Decimal:
    try:
        return money.clean_amount(value)
    except DjangoValidationError as exc:
        raise from_rule(exc) from None


def _currency(value: str) -> str:
    try:
        return money.validate_currency(value)
    except DjangoValidationError as exc:
        raise from_rule(exc) from None


# Checked by kliento.core.money, as in the card's form and the services: the same messages.
Amount = Annotated[
    Decimal,
    Field(
        allow_inf_nan=False,
        json_schema_extra={"minimum": 0, "maximum": float(money.MAX_AMOUNT)},
        description="Non-negative, at most two decimals; a string keeps it exact.",
        examples=["120.00"],
    ),
    AfterValidator(_amount),
]
Currency = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=10),
    AfterValidator(_currency),
]

# Body fields are strict: JSON `true` is not the number 1, `1.0` not an id, `0` not a date.
# Query parameters arrive as text, so their ids (`QueryId`) are read from digits.
Id = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[StrictInt, Field(ge=1, le=1_000_000)]

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> dt.date:
    # In JSON a day is text: a number (days? seconds since 1970?) or anything else is refused.
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        raise PydanticCustomError(
            "date_type", _("Send a date as text in the form YYYY-MM-DD, such as 2026-03-14.")
        )
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise PydanticCustomError(
            "date_from_datetime_parsing",
            _("%(value)s is not an existing date.") % {"value": value.strip()},
        ) from None


# A calendar day written YYYY-MM-DD. Which days are plausible (1900 to 2100, `core.dates`) and
# which must not be in the future is the services' rule, reported at the field like this one.
Day = Annotated[
    dt.date,
    PlainValidator(_iso_day, json_schema_input_type=str),
    WithJsonSchema({"type": "string", "format": "date"}),
]
Language = Annotated[str, OneOf(["", *(code for code, _name in settings.LANGUAGES)])]


def reject_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("null_not_allowed", _("This field cannot be null."))
    return value


class RefOut(Schema):
    id: int
    name: str


class StaffOut(Schema):
    id: int
    username: str
    name: str = Field(description="Full name, or the username when the name is empty.")

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class SegmentOut(RefOut):
    description: str
