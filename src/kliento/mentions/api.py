"""The information field's API: situations, feeds, mentions (a connector posts them, with an
`Idempotency-Key` for safe retries), answers and cases. Mounted at /api/v1."""

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthorizationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import AfterValidator

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id
from kliento.desk.services import outbound
from kliento.mentions import selectors
from kliento.mentions.models import Feed, Mention, Situation
from kliento.mentions.services import answering, catalogue, intake

router = Router(tags=["mentions"])

VIEW = selectors.VIEW
ADD = "mentions.add_mention"
WORK = answering.WORK
VIEW_SITUATIONS = "mentions.view_situation"
MANAGE = "mentions.manage_information_field"
MentionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Mention id.")]


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 409: Any, 422: Any}
IDEMPOTENCY = {
    "in": "header",
    "name": outbound.IDEMPOTENCY_HEADER,
    "required": False,
    "description": "Makes a retry safe: the same key answers the first result again (24 h).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


class SituationOut(Schema):
    id: int
    name: str
    kind: str
    description: str
    steps: list[str]
    owner_id: int
    approver_id: int | None
    deadline_minutes: int
    reactions: dict[str, str] = Field(description="The prepared reaction per language.")
    active: bool

    @staticmethod
    def resolve_steps(obj: Situation) -> list[str]:
        return obj.step_list()

    @staticmethod
    def resolve_reactions(obj: Situation) -> dict[str, str]:
        return {code: getattr(obj, f"reaction_{code}") for code in ("en", "ru", "uk", "pl")}


class SituationIn(Schema):
    name: Text = Field(min_length=1, max_length=120)
    kind: Literal[tuple(Situation.Kind.values)] = "other"  # type: ignore[valid-type]
    description: Text = Field("", max_length=5000)
    steps: list[Text] = Field(default_factory=list, max_length=30)
    owner_id: Id
    approver_id: Id | None = None
    deadline_minutes: int = Field(24 * 60, ge=1, le=60 * 24 * 60)
    reactions: dict[Literal["en", "ru", "uk", "pl"], Text] = Field(default_factory=dict)
    active: bool = True


class MentionOut(Schema):
    id: int
    source: str
    origin: str
    external_id: str
    author: str
    url: str
    title: str
    text: str
    language: str
    rating: int | None
    sentiment: str
    sentiment_reason: dict[str, Any]
    published_at: dt.datetime | None
    received_at: dt.datetime
    situation_id: int | None
    owner_id: int | None
    due_at: dt.datetime | None
    status: str
    answer: str
    answered_at: dt.datetime | None
    client_id: int | None
    case_id: int | None


class MentionIn(Schema):
    source: Text = Field(min_length=1, max_length=60, description="review site, forum, network")
    text: Text = Field(min_length=1, max_length=20_000, description="Plain text or HTML.")
    external_id: Text = Field(
        "", max_length=500, description="The source's id: one mention per source and id."
    )
    author: Text = Field("", max_length=200)
    author_contact: Text = Field("", max_length=254, description="E-mail, phone or handle.")
    url: Text = Field("", max_length=1000)
    title: Text = Field("", max_length=300)
    language: Literal["", "en", "ru", "uk", "pl"] = ""
    rating: int | None = Field(None, ge=1, le=5)
    published_at: dt.datetime | None = None


class MentionFilters(Schema):
    show: Literal["new", "mine", "overdue", "all"] = "all"
    source: str = Field("", max_length=60)
    sentiment: Literal["", "positive", "neutral", "negative"] = ""


class MentionAnswerIn(Schema):
    text: Text = Field(min_length=1, max_length=5000)


class FeedOut(Schema):
    id: int
    name: str
    url: str
    source: str
    language: str
    interval_minutes: int
    allow_private: bool
    active: bool
    next_poll_at: dt.datetime | None
    last_ok_at: dt.datetime | None
    failures: int
    last_error: str
    items_seen: int


class FeedIn(Schema):
    name: Text = Field(min_length=1, max_length=120)
    url: Text = Field(min_length=1, max_length=1000)
    source: Text = Field(min_length=1, max_length=60)
    language: Literal["", "en", "ru", "uk", "pl"] = ""
    interval_minutes: int = Field(30, ge=1, le=24 * 60)
    allow_private: bool = False
    active: bool = True


def _person(user_id: int | None, field: str) -> Any:
    if user_id is None:
        return None
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise ValidationError({field: _("There is no such person.")})
    return person


@router.get(
    "/mentions/situations",
    response={200: list[SituationOut], **ERRORS},
    summary="The situation catalogue",
    **needs(VIEW_SITUATIONS),
)
def list_situations(request: Any) -> Any:
    return list(selectors.situations())


@router.post(
    "/mentions/situations",
    response={201: SituationOut, **ERRORS},
    summary="Add a situation with its prepared reaction",
    **needs(VIEW_SITUATIONS, MANAGE),
)
def create_situation(request: Any, payload: SituationIn) -> Status[Situation]:
    data: dict[str, Any] = {
        "name": payload.name,
        "kind": payload.kind,
        "description": payload.description,
        "steps": "\n".join(s.strip() for s in payload.steps if s.strip()),
        "owner": _person(payload.owner_id, "owner_id"),
        "approver": _person(payload.approver_id, "approver_id"),
        "deadline_minutes": payload.deadline_minutes,
        "active": payload.active,
        **{f"reaction_{code}": text for code, text in payload.reactions.items()},
    }
    return Status(201, catalogue.save_situation(actor=request.user, data=data))


@router.get(
    "/mentions/feeds",
    response={200: list[FeedOut], **ERRORS},
    summary="Feeds and their health",
    **needs(MANAGE),
)
def list_feeds(request: Any) -> Any:
    return list(selectors.feeds())


@router.post(
    "/mentions/feeds",
    response={201: FeedOut, **ERRORS},
    summary="Add a feed to poll",
    **needs(MANAGE),
)
def create_feed(request: Any, payload: FeedIn) -> Status[Feed]:
    return Status(201, catalogue.save_feed(actor=request.user, data=payload.dict()))


@router.get(
    "/mentions",
    response={200: list[MentionOut], **ERRORS},
    summary="Mentions, newest first",
    **needs(VIEW),
)
@paginate(PageNumberPagination, page_size=50)
def list_mentions(request: Any, filters: Query[MentionFilters]) -> Any:
    return selectors.inbox(
        request.user, show=filters.show, source=filters.source, sentiment=filters.sentiment
    )


@router.post(
    "/mentions",
    response={200: MentionOut, 201: MentionOut, **ERRORS},
    summary="Post a mention (a connector); the same source and external_id is one mention",
    **(
        needs(VIEW, ADD)
        | {"openapi_extra": {"x-permissions": [VIEW, ADD], "parameters": [IDEMPOTENCY]}}
    ),
)
def create_mention(request: Any, payload: MentionIn) -> JsonResponse:
    """201 with the new mention; 200 with the existing one when its source and external_id
    were posted before. Send `Idempotency-Key` to make a retry safe."""

    def work() -> tuple[int, Any]:
        received = intake.receive(
            actor=request.user,
            draft=intake.MentionDraft(**payload.dict()),
            origin=Mention.Origin.API,
        )
        return (201 if received.created else 200), MentionOut.from_orm(received.mention).dict()

    return outbound.run_idempotent(request, work)


def _visible(request: Any, mention_id: int) -> Mention:
    mention = selectors.mention_for(request.user, mention_id)
    if mention is None:
        raise Http404
    return mention


def _may_answer(request: Any, mention: Mention) -> None:
    if not answering.may_answer(request.user, mention):
        raise AuthorizationError(message=_("Only the mention's owner or a manager may do this."))


@router.get(
    "/mentions/{mention_id}",
    response={200: MentionOut, **ERRORS},
    summary="One mention",
    **needs(VIEW),
)
def get_mention(request: Any, mention_id: MentionId) -> Mention:
    return _visible(request, mention_id)


@router.post(
    "/mentions/{mention_id}/answer",
    response={200: MentionOut, **ERRORS},
    summary="Answer a mention (its owner, or who may answer any)",
    **needs(VIEW, WORK),
)
def answer_mention(request: Any, mention_id: MentionId, payload: MentionAnswerIn) -> Mention:
    mention = _visible(request, mention_id)
    _may_answer(request, mention)
    return answering.answer(actor=request.user, mention=mention, text=payload.text)


class MentionCaseOut(Schema):
    mention_id: int
    case_id: int
    number: str


@router.post(
    "/mentions/{mention_id}/case",
    response={200: MentionCaseOut, **ERRORS},
    summary="Open a desk case about a mention (once)",
    **needs(VIEW, WORK, "desk.add_case"),
)
def case_for_mention(request: Any, mention_id: MentionId) -> dict[str, Any]:
    mention = _visible(request, mention_id)
    _may_answer(request, mention)
    case = answering.open_case(actor=request.user, mention=mention)
    return {"mention_id": mention.pk, "case_id": case.pk, "number": case.number}
