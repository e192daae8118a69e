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
