"""Portrait facts."""

import datetime as dt
from typing import Annotated

from ninja import Field, Schema

from kliento.clients.api.schemas.common import OneOf, StaffOut, Text
from kliento.clients.models import PortraitFact

Category = Annotated[str, OneOf(PortraitFact.Category.values)]
Source = Annotated[str, OneOf(PortraitFact.Source.values)]


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
    text: Annotated[str, Text(2000, 1)] = Field(examples=["Plays tennis on Sundays"])
    source: Source = Field(examples=["conversation"])


class FactVerifyIn(Schema):
    text: Annotated[str, Text(2000)] | None = Field(
        None, description="Corrected wording, if the fact changed; omit to just confirm it."
    )
