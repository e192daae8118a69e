"""The service desk API's input and output schemas, and its path id types."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema
from pydantic import BaseModel, StrictBool, StrictStr

from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.desk.models import Case
from kliento.desk.models import Message as CaseMessage

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="Case id.")]
EndpointId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook endpoint id.")]
DeliveryId = Annotated[int, Path(ge=1, le=MAX_ID, description="Webhook delivery id.")]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 409: Any, 422: Any}

StatusCode = Literal["new", "open", "waiting", "on_hold", "resolved", "closed"]
PriorityCode = Literal["low", "normal", "high", "urgent"]
KindCode = Literal["question", "request", "complaint", "claim"]
EventCode = Literal["case.created", "case.updated", "case.resolved", "message.added"]
QueueKey = Literal["mine", "team", "unassigned", "breaching", "waiting", "all", "done"]
Text = Annotated[StrictStr, Field(max_length=200_000)]


class CaseFilters(Schema):
    q: str = Field("", max_length=200, description="Searches the case number and subject.")
    status: StatusCode | None = None
    priority: PriorityCode | None = None
    channel: str | None = Field(None, max_length=20)
    team: QueryId | None = Field(None, description="Team (org unit) id.")
    assignee: QueryId | None = Field(None, description="Assignee's user id.")
    client: QueryId | None = Field(None, description="Client id.")
    queue: QueueKey | None = Field(None, description="One of the desk's queues.")


class CaseOut(Schema):
    id: int
    number: str | None
    subject: str
    status: str
    priority: str
    kind: str
    channel: str
    client_id: int
    contact_id: int | None
    team_id: int | None
    assignee_id: int | None
    tags: list[str]
    merged_into_id: int | None
    follow_up_of_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    sla_next_due_at: dt.datetime | None

    @staticmethod
    def resolve_tags(obj: Case) -> list[str]:
        return sorted(tag.name for tag in obj.tags.all())


class FirstMessageIn(Schema):
    text: Text = ""
    html: Text = ""
    author_name: StrictStr = Field("", max_length=200)
    author_address: StrictStr = Field("", max_length=254)


class CaseIn(Schema):
    subject: StrictStr = Field(max_length=255)
    client_id: Id
    channel: StrictStr = Field(max_length=20, description="A channel code (email, phone, …).")
    kind: KindCode = "question"
    priority: PriorityCode = "normal"
    team_id: Id | None = None
    assignee_id: Id | None = None
    tags: list[Annotated[StrictStr, Field(max_length=60)]] = Field(
        default_factory=list, max_length=50
    )
    message: FirstMessageIn | None = Field(
        None, description="The client's first message (inbound), if any."
    )


class CasePatch(Schema):
    subject: StrictStr | None = Field(None, max_length=255)
    kind: KindCode | None = None
    priority: PriorityCode | None = None
    channel: StrictStr | None = Field(None, max_length=20)
    team_id: Id | None = None
    stage_id: Id | None = None
    touchpoint_id: Id | None = None
    procedure_id: Id | None = None
    tags: list[Annotated[StrictStr, Field(max_length=60)]] | None = Field(None, max_length=50)
    status: StatusCode | None = None
    assignee_id: Id | None = Field(None, description="null: nobody.")


class MergeIn(Schema):
    survivor_id: Id = Field(description="The case that carries on; this case is merged into it.")


class AttachmentIn(Schema):
    filename: StrictStr = Field(max_length=255)
    content_type: StrictStr = Field("", max_length=150)
    content_base64: StrictStr = Field(description="The file's bytes, base64-encoded.")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int


class CaseMessageIn(Schema):
    direction: Literal["in", "out", "note"] = Field(
        "out",
        description="out: a reply; note: internal; in: from the client.",
    )
    text: Text = ""
    html: Text = ""
    author_name: StrictStr = Field("", max_length=200)
    author_address: StrictStr = Field("", max_length=254)
    external_id: StrictStr = Field("", max_length=255)
    attachments: list[AttachmentIn] = Field(default_factory=list, max_length=20)


class CaseMessageOut(Schema):
    id: int
    case_id: int
    direction: str
    channel: str
    text: str = Field(alias="body_text")
    html: str = Field(alias="body_html")
    author_id: int | None
    author_name: str
    author_address: str
    external_id: str
    delivery: str
    automated: bool
    created_at: dt.datetime
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_attachments(obj: CaseMessage) -> list[Any]:
        return list(obj.attachments.all())


class CallIn(Schema):
    direction: Literal["in", "out"]
    number: StrictStr = Field("", max_length=40)
    duration_seconds: Annotated[int, Field(strict=True, ge=0, le=24 * 3600)] = 0
    outcome: Literal["answered", "missed", "voicemail", "callback", "resolved"]
    notes: StrictStr = Field("", max_length=10_000)
    started_at: dt.datetime | None = None
    external_id: StrictStr = Field(
        "", max_length=255, description="The telephony system's call id."
    )
    case_id: Id | None = Field(None, description="Log the call on this case; else a new one.")
    subject: StrictStr = Field("", max_length=255)


class CallOut(Schema):
    id: int
    case_id: int
    case_number: str | None
    message_id: int | None
    direction: str
    number: str
    duration_seconds: int
    outcome: str
    notes: str
    started_at: dt.datetime
    external_id: str


class AuthorIn(BaseModel):
    """A plain model: a string where the object belongs is a 422, not an empty author."""

    name: StrictStr = Field("", max_length=200)
    address: StrictStr = Field(
        "", max_length=254, description="The author's address or handle on the channel."
    )


class InboundIn(Schema):
    channel: StrictStr = Field(max_length=20, description="chat, messenger, social, sms, …")
    external_thread_id: StrictStr = Field(min_length=1, max_length=255)
    external_message_id: StrictStr = Field(min_length=1, max_length=255)
    author: AuthorIn = Field(default_factory=lambda: AuthorIn(name="", address=""))
    text: Text = ""
    html: Text = ""
    subject: StrictStr = Field(
        "", max_length=255, description="For a new case; else the text's start."
    )
    sent_at: dt.datetime | None = None


class InboundOut(Schema):
    case_id: int
    case_number: str | None
    message_id: int
    created_case: bool
    follow_up_of_id: int | None


class WebhookIn(Schema):
    url: StrictStr = Field(max_length=500)
    events: list[EventCode] = Field(min_length=1, max_length=10)
    description: StrictStr = Field("", max_length=200)
    active: StrictBool = True
    allow_private: StrictBool = Field(
        False, description="Allow private, loopback or link-local targets (refused by default)."
    )


class WebhookPatch(Schema):
    url: StrictStr | None = Field(None, max_length=500)
    events: list[EventCode] | None = Field(None, min_length=1, max_length=10)
    description: StrictStr | None = Field(None, max_length=200)
    active: StrictBool | None = None
    allow_private: StrictBool | None = None
    new_secret: StrictBool = Field(False, description="Replace the signing secret.")


class WebhookOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    allow_private: bool
    secret: str = Field(description="whsec_…: verify the webhook-signature header with it.")
    created_at: dt.datetime


class DeliveryOut(Schema):
    id: int
    endpoint_id: int
    event_id: str
    event: str
    status: str
    attempts: int
    next_attempt_at: dt.datetime | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None
    last_status_code: int | None
    last_duration_ms: int | None
    last_response: str
    last_error: str
