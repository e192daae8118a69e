"""The touchpoints API: the registry, quality parameters and clients' impressions.

Mounted at /api/v1 (see docs/api.md). Managers and administrators edit the registry; a
touchpoint's owner edits its regulation and quality parameters; whoever works with clients
records impressions; everyone with a role reads.
"""

import datetime as dt
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthorizationError
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import AfterValidator, StrictBool, StringConstraints
from pydantic_core import PydanticCustomError

from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_errors import BODY, error_items
from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.core.channels import Channel
from kliento.touchpoints import rules, selectors, services
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint

router = Router(tags=["touchpoints"])

TouchpointId = Annotated[int, Path(ge=1, le=MAX_ID, description="Touchpoint id.")]
ParameterId = Annotated[int, Path(ge=1, le=MAX_ID, description="Quality parameter id.")]
ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Client id.")]


def _storable(value: str) -> str:
    # PostgreSQL refuses NUL in text, and no encoding holds a lone surrogate: a 422, not a 500.
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Text cannot contain NUL characters.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise PydanticCustomError("invalid_unicode", "Text is not valid Unicode.") from None
    return value


def Text(max_length: int, min_length: int = 0) -> Any:
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(_storable),
    ]


KindCode = Literal["business", "employee"]
CategoryCode = Annotated[str, Field(description="One of the kind's categories.")]
SentimentCode = Literal["positive", "neutral", "negative"]
SourceCode = Literal["staff", "survey", "complaint", "review", "other"]
ChannelCode = Annotated[str, Field(description="A channel code, or empty.")]


class TouchpointPersonOut(Schema):
    id: int
    username: str
    name: str

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.get_full_name() or obj.username)


class TouchpointStageOut(Schema):
    id: int
    name: str
    journey_id: int


class ParameterOut(Schema):
    id: int
    touchpoint_id: int
    name: str
    measurement: str
    target: str


class TouchpointOut(Schema):
    id: int
    name: str
    kind: str = Field(examples=["business"], description="business or employee.")
    category: str = Field(examples=["website"])
    channel: str
    stages: list[TouchpointStageOut]
    occurs_when: str
    owner: TouchpointPersonOut
    participants: str
    regulation: str = Field(description="Markdown, as written.")
    kpi: str
    is_active: bool
    parameters: list[ParameterOut]

    @staticmethod
    def resolve_stages(obj: Touchpoint) -> list[Any]:
        return list(obj.stages.all())

    @staticmethod
    def resolve_parameters(obj: Touchpoint) -> list[Any]:
        return list(obj.parameters.all())


class TouchpointIn(Schema):
    name: Text(rules.NAME_MAX, 1)  # type: ignore[valid-type]
    kind: KindCode
    category: CategoryCode
    owner_id: Id = Field(description="The one owner (required; exactly one person).")
    channel: ChannelCode = ""
    stage_ids: list[Id] = Field(default_factory=list, max_length=200)
    occurs_when: Text(rules.OCCURS_MAX) = ""  # type: ignore[valid-type]
    participants: Text(rules.PARTICIPANTS_MAX) = ""  # type: ignore[valid-type]
    kpi: Text(rules.KPI_MAX) = ""  # type: ignore[valid-type]
    regulation: Text(rules.REGULATION_MAX) = ""  # type: ignore[valid-type]
    is_active: StrictBool = True


class TouchpointPatch(Schema):
    name: Text(rules.NAME_MAX, 1) | None = None  # type: ignore[valid-type]
    kind: KindCode | None = None
    category: CategoryCode | None = None
    owner_id: Id | None = Field(None, description="A new owner; the previous one stops being it.")
    channel: ChannelCode | None = None
    stage_ids: list[Id] | None = Field(None, max_length=200)
    occurs_when: Text(rules.OCCURS_MAX) | None = None  # type: ignore[valid-type]
    participants: Text(rules.PARTICIPANTS_MAX) | None = None  # type: ignore[valid-type]
    kpi: Text(rules.KPI_MAX) | None = None  # type: ignore[valid-type]
    regulation: Text(rules.REGULATION_MAX) | None = None  # type: ignore[valid-type]
    is_active: StrictBool | None = None


class RegulationIn(Schema):
    regulation: Text(rules.REGULATION_MAX)  # type: ignore[valid-type]


class ParameterIn(Schema):
    name: Text(rules.PARAMETER_NAME_MAX, 1)  # type: ignore[valid-type]
    measurement: Text(rules.MEASUREMENT_MAX, 1)  # type: ignore[valid-type]
    target: Text(rules.TARGET_MAX, 1)  # type: ignore[valid-type]


class ImpressionOut(Schema):
    id: int
    touchpoint_id: int
    client_id: int
    sentiment: str
    text: str = Field(description="Plain text.")
    source: str
    source_ref: str
    occurred_at: dt.datetime
    recorded_by: TouchpointPersonOut | None


class ImpressionIn(Schema):
    client_id: Id
    sentiment: SentimentCode
    text: Text(rules.IMPRESSION_TEXT_MAX) = ""  # type: ignore[valid-type]
    source: SourceCode = "staff"
    source_ref: Text(rules.SOURCE_REF_MAX) = Field(  # type: ignore[valid-type]
        "", description="Your record's id; the same source and reference is recorded once."
    )
    occurred_at: dt.datetime | None = Field(None, description="Default: now. Not in the future.")


class CountsOut(Schema):
    positive: int
    neutral: int
    negative: int
    total: int
    net: int | None = Field(description="(positive − negative) / total, in whole percent.")


class PeriodOut(Schema):
    start: dt.date
    counts: CountsOut


class TrendOut(Schema):
    period: str
    periods: list[PeriodOut]
    window: CountsOut
    previous: CountsOut = Field(description="The window of as many periods just before.")
    change: int | None = Field(description="window.net − previous.net, in points.")
    all_time: CountsOut


class TouchpointFilters(Schema):
    kind: KindCode | None = None
    channel: str | None = Field(None, description="A channel code.")
    stage_id: QueryId | None = None
    owner_id: QueryId | None = None
    q: str | None = Field(None, max_length=100)
    active: bool | None = Field(True, description="Default: touchpoints in use only.")


class TrendQuery(Schema):
    period: Literal["week", "month"] = "week"


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}
# A service's error keys as the payload names them.
FIELD_OF_ERROR = {"owner": "owner_id", "stages": "stage_ids", "touchpoint": "touchpoint_id"}


def _invalid(exc: ValidationError) -> RequestInvalid:
    items = error_items(exc)
    for item in items:
        loc = item["loc"]
        if len(loc) > len(BODY):
            loc[len(BODY)] = FIELD_OF_ERROR.get(str(loc[len(BODY)]), loc[len(BODY)])
    return RequestInvalid(items)


def _unknown(field: str, message: str) -> RequestInvalid:
    return RequestInvalid([{"loc": [*BODY, field], "msg": message, "type": "unknown_id"}])


def _person(user_id: int | None) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise _unknown("owner_id", "There is no such person.")
    return user


def _touchpoint(pk: int) -> Touchpoint:
    found = selectors.touchpoint(pk)
    if found is None:
        raise Http404
    return found


def _refused(exc: PermissionDenied) -> AuthorizationError:
    return AuthorizationError(message=str(exc) or "You do not have permission to do this.")


def _check_channel(channel: str | None) -> None:
    if channel and channel not in Channel.values:
        raise RequestInvalid(
            [{"loc": [*BODY, "channel"], "msg": "Choose one of the channels.", "type": "enum"}]
        )


@router.get(
    "/touchpoints",
    response={200: list[TouchpointOut], **ERRORS},
    summary="The touchpoint registry, filtered",
    **needs("touchpoints.view_touchpoint"),
)
@paginate(PageNumberPagination, page_size=50)
def list_touchpoints(request: Any, filters: Query[TouchpointFilters]) -> Any:
    return selectors.touchpoints(
        selectors.TouchpointFilters(
            kind=filters.kind or "",
            channel=filters.channel or "",
            stage_id=filters.stage_id,
            owner_id=filters.owner_id,
            q=filters.q or "",
            active=filters.active,
        )
    ).prefetch_related("parameters")


@router.post(
    "/touchpoints",
    response={201: TouchpointOut, **ERRORS},
    summary="Add a touchpoint (its one owner is notified)",
    **needs("touchpoints.view_touchpoint", "touchpoints.add_touchpoint"),
)
def create_touchpoint(request: Any, payload: TouchpointIn) -> Status[Touchpoint]:
    _check_channel(payload.channel)
    try:
        created = services.create_touchpoint(
            actor=request.user,
            name=payload.name,
            kind=payload.kind,
            category=payload.category,
            owner=_person(payload.owner_id),
            channel=payload.channel,
            occurs_when=payload.occurs_when,
            participants=payload.participants,
            kpi=payload.kpi,
            regulation=payload.regulation,
            stage_ids=payload.stage_ids,
            is_active=payload.is_active,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, _touchpoint(created.pk))


@router.get(
    "/touchpoints/{touchpoint_id}",
    response={200: TouchpointOut, **ERRORS},
    summary="One touchpoint with its stages and quality parameters",
    **needs("touchpoints.view_touchpoint"),
)
def get_touchpoint(request: Any, touchpoint_id: TouchpointId) -> Touchpoint:
    return _touchpoint(touchpoint_id)


@router.patch(
    "/touchpoints/{touchpoint_id}",
    response={200: TouchpointOut, **ERRORS},
    summary="Change the registry's entry; a new owner is audited and notified",
    **needs("touchpoints.view_touchpoint", "touchpoints.change_touchpoint"),
)
def update_touchpoint(
    request: Any, touchpoint_id: TouchpointId, payload: TouchpointPatch
) -> Touchpoint:
    touchpoint = _touchpoint(touchpoint_id)
    sent = payload.model_dump(exclude_unset=True)
    if "owner_id" in sent and sent["owner_id"] is None:
        raise RequestInvalid(
            [
                {
                    "loc": [*BODY, "owner_id"],
                    "msg": "A touchpoint always has exactly one owner; give the new one.",
                    "type": "required",
                }
            ]
        )
    _check_channel(sent.get("channel"))
    changes = {
        key: value
        for key, value in sent.items()
        if key in services.REGISTRY_FIELDS or key == "regulation"
    }
    changes = {key: value for key, value in changes.items() if value is not None}
    try:
        services.update_touchpoint(
            actor=request.user,
            touchpoint=touchpoint,
            owner=_person(sent["owner_id"]) if "owner_id" in sent else touchpoint.owner,
            stage_ids=sent.get("stage_ids"),
            is_active=sent.get("is_active"),
            **changes,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _touchpoint(touchpoint_id)


@router.put(
    "/touchpoints/{touchpoint_id}/regulation",
    response={200: TouchpointOut, **ERRORS},
    summary="Write the regulation (Markdown): the touchpoint's owner or a manager",
    **needs("touchpoints.view_touchpoint"),
)
def set_regulation(request: Any, touchpoint_id: TouchpointId, payload: RegulationIn) -> Any:
    touchpoint = _touchpoint(touchpoint_id)
    try:
        services.set_regulation(
            actor=request.user, touchpoint=touchpoint, regulation=payload.regulation
        )
    except PermissionDenied as exc:
        raise _refused(exc) from None
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _touchpoint(touchpoint_id)


@router.get(
    "/touchpoints/{touchpoint_id}/parameters",
    response={200: list[ParameterOut], **ERRORS},
    summary="A touchpoint's quality parameters",
    **needs("touchpoints.view_touchpoint"),
)
def list_parameters(request: Any, touchpoint_id: TouchpointId) -> Any:
    return list(_touchpoint(touchpoint_id).parameters.all())


@router.post(
    "/touchpoints/{touchpoint_id}/parameters",
    response={201: ParameterOut, **ERRORS},
    summary="Add a quality parameter: the touchpoint's owner or a manager",
    **needs("touchpoints.view_touchpoint"),
)
def add_parameter(
    request: Any, touchpoint_id: TouchpointId, payload: ParameterIn
) -> Status[QualityParameter]:
    touchpoint = _touchpoint(touchpoint_id)
    try:
        parameter = services.add_parameter(
            actor=request.user,
            touchpoint=touchpoint,
            name=payload.name,
            measurement=payload.measurement,
            target=payload.target,
        )
    except PermissionDenied as exc:
        raise _refused(exc) from None
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(201, parameter)


def _parameter(parameter_id: int) -> QualityParameter:
    return get_object_or_404(QualityParameter.objects.select_related("touchpoint"), pk=parameter_id)


@router.put(
    "/touchpoint-parameters/{parameter_id}",
    response={200: ParameterOut, **ERRORS},
    summary="Change a quality parameter: the touchpoint's owner or a manager",
    **needs("touchpoints.view_touchpoint"),
)
def change_parameter(
    request: Any, parameter_id: ParameterId, payload: ParameterIn
) -> QualityParameter:
    parameter = _parameter(parameter_id)
    try:
        return services.change_parameter(
            actor=request.user,
            parameter=parameter,
            name=payload.name,
            measurement=payload.measurement,
            target=payload.target,
        )
    except PermissionDenied as exc:
        raise _refused(exc) from None
    except ValidationError as exc:
        raise _invalid(exc) from None


@router.delete(
    "/touchpoint-parameters/{parameter_id}",
    response={204: None, **ERRORS},
    summary="Remove a quality parameter: the touchpoint's owner or a manager",
    **needs("touchpoints.view_touchpoint"),
)
def remove_parameter(request: Any, parameter_id: ParameterId) -> Status[None]:
    parameter = _parameter(parameter_id)
    try:
        services.remove_parameter(actor=request.user, parameter=parameter)
    except PermissionDenied as exc:
        raise _refused(exc) from None
    return Status(204, None)


@router.get(
    "/touchpoints/{touchpoint_id}/impressions",
    response={200: list[ImpressionOut], **ERRORS},
    summary="Clients' impressions at a touchpoint, newest first",
    **needs("touchpoints.view_touchpoint", "touchpoints.view_impression"),
)
@paginate(PageNumberPagination, page_size=50)
def list_impressions(request: Any, touchpoint_id: TouchpointId) -> Any:
    return selectors.impressions_of_touchpoint(_touchpoint(touchpoint_id).pk)


@router.get(
    "/touchpoints/{touchpoint_id}/impressions/trend",
    response={200: TrendOut, **ERRORS},
    summary="Impression counts per week or month, and the change against the window before",
    **needs("touchpoints.view_touchpoint", "touchpoints.view_impression"),
)
def impression_trend(
    request: Any, touchpoint_id: TouchpointId, query: Query[TrendQuery]
) -> dict[str, Any]:
    trend = selectors.trend(_touchpoint(touchpoint_id).pk, period=query.period)

    def out(c: selectors.Counts) -> dict[str, Any]:
        return {
            "positive": c.positive,
            "neutral": c.neutral,
            "negative": c.negative,
            "total": c.total,
            "net": c.net,
        }

    return {
        "period": trend.period,
        "periods": [{"start": p.start, "counts": out(p.counts)} for p in trend.periods],
        "window": out(trend.window),
        "previous": out(trend.previous),
        "change": trend.change,
        "all_time": out(trend.all_time),
    }


@router.post(
    "/touchpoints/{touchpoint_id}/impressions",
    response={201: ImpressionOut, 200: ImpressionOut, **ERRORS},
    summary="Record a client's impression at a touchpoint (on the client's timeline too)",
    **needs("clients.view_client", "touchpoints.add_impression"),
)
def record_impression(
    request: Any, touchpoint_id: TouchpointId, payload: ImpressionIn
) -> Status[Impression]:
    _touchpoint(touchpoint_id)
    if payload.client_id not in clients.client_labels([payload.client_id]):
        raise _unknown("client_id", "There is no such client.")
    before = Impression.objects.filter(
        source=payload.source, source_ref=payload.source_ref
    ).exclude(source_ref="")
    existed = before.exists()
    try:
        impression = services.record_impression(
            actor=request.user,
            touchpoint_id=touchpoint_id,
            client_id=payload.client_id,
            sentiment=payload.sentiment,
            text=payload.text,
            source=payload.source,
            source_ref=payload.source_ref,
            occurred_at=payload.occurred_at,
        )
    except ValidationError as exc:
        raise _invalid(exc) from None
    return Status(200 if existed else 201, impression)


@router.get(
    "/clients/{client_id}/impressions",
    response={200: list[ImpressionOut], **ERRORS},
    summary="A client's impressions at every touchpoint, newest first",
    **needs("clients.view_client", "touchpoints.view_impression"),
)
@paginate(PageNumberPagination, page_size=50)
def client_impressions(request: Any, client_id: ClientId) -> Any:
    if client_id not in clients.client_labels([client_id]):
        raise Http404
    return selectors.impressions_of_client(client_id)
