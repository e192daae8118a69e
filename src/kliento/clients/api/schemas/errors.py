"""The error answers every endpoint documents."""

from ninja import Field, Schema


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


class DuplicateOut(Schema):
    id: int = Field(description="The existing client's id.")
    name: str = Field(examples=["Anna Nowak"])
    external_ref: str | None
    matched_on: list[str] = Field(
        description="What the new client shares with it: phone, email, external_ref.",
        examples=[["phone"]],
    )


class PossibleDuplicateOut(ValidationErrorOut):
    """The new client shares a phone, an e-mail or the reference with existing clients; send
    the same request with `allow_duplicate: true` to create it anyway. Nothing was written."""

    duplicates: list[DuplicateOut] = Field(
        [], description="The existing clients it may duplicate; empty for other conflicts."
    )


class MergedOut(Schema):
    """The client was merged into another (a duplicate): its card is now the survivor's."""

    detail: str = Field(examples=["This client was merged into client 42."])
    merged_into: int = Field(description="The id of the client that absorbed it.")
