"""Purchases and the figures derived from them."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from kliento.clients.api.schemas.common import (
    Amount,
    Count,
    Currency,
    Day,
    OneOf,
    QueryId,
    Text,
)
from kliento.clients.models import Purchase

SalesChannel = Annotated[str, OneOf(Purchase.SalesChannel.values)]


class CurrencyTotalOut(Schema):
    currency: str = Field(examples=["PLN"])
    revenue: Decimal
    count: int
    average: Decimal = Field(description="Average check in this currency.")


class PurchaseStatsOut(Schema):
    count: int = Field(description="Number of purchases in all currencies.")
    first: dt.date | None = Field(description="Date of the first purchase.")
    last: dt.date | None = Field(description="Date of the latest purchase.")
    recency_days: int | None = Field(description="Days since the latest purchase.")
    totals: list[CurrencyTotalOut] = Field(
        description="Revenue per currency; amounts in different currencies are never summed."
    )


class PurchaseItem(Schema):
    name: Annotated[str, Text(200, 1)] = Field(examples=["Monthly pass"])
    quantity: Count = 1
    unit_price: Amount | None = None


class PurchaseOut(Schema):
    id: int
    client_id: int
    occurred_on: dt.date
    amount: Decimal = Field(description="Sent as a string to keep it exact.", examples=["120.00"])
    currency: str = Field(examples=["PLN"])
    cost: Decimal | None = Field(
        description="What the sale cost, in the purchase's currency; null when unknown.",
        examples=["80.00"],
    )
    description: str
    items: list[dict[str, Any]]
    channel: str = Field(description="Sales channel: where the sale was made.", examples=["store"])
    external_ref: str | None = Field(description="Order number in the source system.")
    created_at: dt.datetime


class PurchaseIn(Schema):
    occurred_on: Day = Field(description="Not in the future.", examples=["2026-03-14"])
    amount: Amount
    cost: Amount | None = Field(
        None, description="What the sale cost, in the same currency (optional, not negative)."
    )
    currency: Currency = Field(description="ISO 4217 code.", examples=["PLN"])
    description: Annotated[str, Text(500)] = ""
    items: list[PurchaseItem] = Field([], max_length=200)
    channel: SalesChannel = Field("store", description="Sales channel: where the sale was made.")
    external_ref: Annotated[str, Text(100)] | None = Field(
        None, description="Order number; the same order cannot be recorded twice."
    )


class PurchaseFilters(Schema):
    since: Day | None = Field(None, description="On or after this date (YYYY-MM-DD).")
    until: Day | None = Field(None, description="On or before this date (YYYY-MM-DD).")
    currency: Annotated[str, Text(3)] = Field("", description="Only this currency.")

    @field_validator("until")
    @classmethod
    def _not_before_since(cls, until: dt.date | None, info: ValidationInfo) -> dt.date | None:
        since = info.data.get("since")
        if since and until and since > until:
            raise PydanticCustomError("date_range", _("The period must start before it ends."))
        return until


class AllPurchaseFilters(PurchaseFilters):
    client: QueryId | None = Field(None, description="Only this client's purchases.")
