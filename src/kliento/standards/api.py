"""The standards API: the book (read for all staff, write for managers), versions and their
life cycle, acknowledgements, revision requests, the standards that apply in a working context
and the mission. Mounted at /api/v1 (see docs/api.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import AuthorizationError
from ninja.responses import Status
from pydantic import AfterValidator

from kliento.clients import selectors as clients
from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.standards import selectors, services
from kliento.standards.models import Kind, Standard, StandardVersion

router = Router(tags=["standards"])

StandardId = Annotated[int, Path(ge=1, le=MAX_ID, description="Standard id.")]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Version id.")]
# Body ids are strict (JSON `true` or `1.0` is not an id); query ids arrive as text.


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text: refuse it here as a 422, never a database error.
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
VIEW = "standards.view_standard"
MANAGE = "standards.manage_standards"


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 409: Any, 422: Any}


class ScriptOut(Schema):
    id: int
    title: str
    text: str


class ScriptIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    text: Text = Field(min_length=1, max_length=5_000)


class StandardVersionOut(Schema):
    id: int
    standard_id: int
    number: int
    status: str = Field(description="draft, review, published or superseded.")
    body: str = Field(description="Markdown source.")
    body_html: str = Field(description="Sanitised HTML, glossary terms explained.")
    change_note: str
    published_at: dt.datetime | None
    scripts: list[ScriptOut]

    @staticmethod
    def resolve_body_html(obj: StandardVersion) -> str:
        return str(selectors.render_text(obj.body))

    @staticmethod
    def resolve_scripts(obj: StandardVersion) -> list[Any]:
        return list(obj.scripts.all())


class StandardOut(Schema):
    id: int
    kind: str = Field(
        description="glossary, general, principles, communication, appearance, rules."
    )
    title: str
    position: int
    owner_id: int
    review_on: dt.date
    review_overdue: bool
    roles: list[str]
    unit_ids: list[int]
    stage_ids: list[int]
    touchpoint_ids: list[int]
    channels: list[str]
    published: StandardVersionOut | None

    @staticmethod
    def resolve_review_overdue(obj: Standard) -> bool:
        return obj.review_overdue()

    @staticmethod
    def resolve_unit_ids(obj: Standard) -> list[int]:
        return sorted(u.pk for u in obj.units.all())

    @staticmethod
    def resolve_stage_ids(obj: Standard) -> list[int]:
        return sorted(s.pk for s in obj.stages.all())

    @staticmethod
    def resolve_touchpoint_ids(obj: Standard) -> list[int]:
        return sorted(t.pk for t in obj.touchpoints.all())

    @staticmethod
    def resolve_published(obj: Standard) -> StandardVersion | None:
        return selectors.published_version(obj)


class StandardFields(Schema):
    title: Text = Field(min_length=1, max_length=200)
    owner_id: Id
    review_on: dt.date
    position: int = Field(0, ge=0, le=100_000)
    roles: list[str] = Field([], max_length=10, description="Role names; empty: every role.")
    unit_ids: list[Id] = Field([], max_length=200, description="Teams; empty: everyone.")
    stage_ids: list[Id] = Field([], max_length=200)
    touchpoint_ids: list[Id] = Field([], max_length=200)
    channels: list[str] = Field([], max_length=20)


class StandardIn(StandardFields):
    kind: str = Field(examples=["communication"])
    body: Text = Field(min_length=1, max_length=30_000, description="Markdown.")
    scripts: list[ScriptIn] = Field([], max_length=30)


class StandardDraftIn(Schema):
    body: Text = Field(min_length=1, max_length=30_000, description="Markdown.")
    scripts: list[ScriptIn] | None = Field(
        None, max_length=30, description="Replaces the draft's scripts; left out: kept."
    )
    change_note: Text = Field("", max_length=300)


class BookFilters(Schema):
    q: str = Field("", max_length=100, description="Words in the title or the published text.")
    kind: str = Field("", description="One section only.")


class AckOut(Schema):
    version_id: int
    user_id: int
    acknowledged_at: dt.datetime


class StandardUnreadOut(Schema):
    standard_id: int
    version_id: int
    title: str
    number: int


class StandardShareOut(Schema):
    standard_id: int
    version_id: int
    title: str
    required: int
    acknowledged: int
    percent: int


class DiffLineOut(Schema):
    kind: str = Field(description="same, added or removed.")
    text: str


class RevisionIn(Schema):
    reason: Text = Field(min_length=1, max_length=2_000)
    evidence: Text = Field("", max_length=5_000)


class RevisionOut(Schema):
    id: int
    standard_id: int
    raised_by_id: int | None
    source: str
    reason: str
    evidence: str
    status: str
    created_at: dt.datetime


class ApplicableFilters(Schema):
    client_id: QueryId | None = None
    touchpoint_id: QueryId | None = None
    channel: str | None = Field(None, max_length=20)


class ScriptItemOut(Schema):
    id: int
    standard_id: int
    standard_title: str
    title: str
    text: str


class ApplicableOut(Schema):
    standard_id: int
    version_id: int
    kind: str
    title: str
    body: str
    stage_ids: list[int]
    touchpoint_ids: list[int]
    channels: list[str]
    scripts: list[ScriptItemOut]


class MissionOut(Schema):
    text: str = Field(description="Empty while no mission is published.")
    published_at: dt.datetime | None


def _standards() -> Any:
    return selectors.with_published().prefetch_related("units", "stages", "touchpoints")


def _owner(owner_id: int) -> Any:
    owner = get_user_model().objects.filter(pk=owner_id).first()
    if owner is None:
        raise ValidationError({"owner_id": ["There is no such person."]})
    return owner


def _fields(payload: StandardFields) -> dict[str, Any]:
    return {
        "title": payload.title,
        "owner": _owner(payload.owner_id),
        "review_on": payload.review_on,
        "position": payload.position,
        "roles": payload.roles,
        "unit_ids": payload.unit_ids,
        "stage_ids": payload.stage_ids,
        "touchpoint_ids": payload.touchpoint_ids,
        "channels": payload.channels,
    }


def _visible_version(request: Any, version_id: int) -> StandardVersion:
    version = get_object_or_404(StandardVersion.objects.select_related("standard"), pk=version_id)
    if version.status in StandardVersion.OPEN and not request.user.has_perm(MANAGE):
        raise Http404
    return version


@router.get(
    "/standards",
    response={200: list[StandardOut], **ERRORS},
    summary="The standards book (managers also see unpublished standards)",
    **needs(VIEW),
)
def list_standards(request: Any, filters: Query[BookFilters]) -> list[Standard]:
    found = selectors.book(
        query=filters.q,
        kind=filters.kind if filters.kind in Kind.values else "",
        published_only=not request.user.has_perm(MANAGE),
    )
    return list(_standards().filter(pk__in=[s.pk for s in found]))


@router.post(
    "/standards",
    response={201: StandardOut, **ERRORS},
    summary="Create a standard; its first version is a draft",
    **needs(VIEW, MANAGE),
)
def create_standard(request: Any, payload: StandardIn) -> Status[Standard]:
    standard = services.create_standard(
        actor=request.user,
        kind=payload.kind,
        body=payload.body,
        scripts=[(s.title, s.text) for s in payload.scripts],
        **_fields(payload),
    )
    return Status(201, _standards().get(pk=standard.pk))


@router.get(
    "/standards/acknowledgements",
    response={200: list[StandardShareOut], **ERRORS},
    summary="Each published version: how many must acknowledge it and how many have",
    **needs(VIEW, "standards.view_acknowledgements"),
)
def acknowledgement_shares(request: Any) -> list[dict[str, Any]]:
    return [
        {
            "standard_id": s.version.standard_id,
            "version_id": s.version.pk,
            "title": s.version.standard.title,
            "required": s.required,
            "acknowledged": s.done,
            "percent": s.percent,
        }
        for s in selectors.acknowledgement_shares()
    ]


@router.get(
    "/standards/unread",
    response={200: list[StandardUnreadOut], **ERRORS},
    summary="The published standards the caller must still acknowledge",
    **needs(VIEW),
)
def my_unread(request: Any) -> list[dict[str, Any]]:
    return [
        {
            "standard_id": v.standard_id,
            "version_id": v.pk,
            "title": v.standard.title,
            "number": v.number,
        }
        for v in selectors.unread_for(request.user)
    ]


@router.get(
    "/standards/applicable",
    response={200: list[ApplicableOut], **ERRORS},
    summary="The published standards and scripts for a client's stages, a touchpoint, a channel",
    **needs(VIEW),
)
def applicable(request: Any, filters: Query[ApplicableFilters]) -> list[Any]:
    if filters.client_id is not None:
        if not request.user.has_perm("clients.view_client"):
            raise AuthorizationError(message="Reading a client's stages needs clients.view_client.")
        if filters.client_id not in clients.client_labels([filters.client_id]):
            raise Http404
    return selectors.applicable(
        client_id=filters.client_id, touchpoint_id=filters.touchpoint_id, channel=filters.channel
    ).standards


@router.get(
    "/standards/{standard_id}",
    response={200: StandardOut, **ERRORS},
    summary="One standard with its published version",
    **needs(VIEW),
)
def get_standard(request: Any, standard_id: StandardId) -> Standard:
    standard = get_object_or_404(_standards(), pk=standard_id)
    if selectors.published_version(standard) is None and not request.user.has_perm(MANAGE):
        raise Http404
    return standard


@router.patch(
    "/standards/{standard_id}",
    response={200: StandardOut, **ERRORS},
    summary="Change a standard's title, owner, review date, audience and links",
    **needs(VIEW, MANAGE),
)
def update_standard(request: Any, standard_id: StandardId, payload: StandardFields) -> Standard:
    standard = get_object_or_404(Standard, pk=standard_id)
    services.update_standard(actor=request.user, standard=standard, **_fields(payload))
    return _standards().get(pk=standard_id)


@router.get(
    "/standards/{standard_id}/versions",
    response={200: list[StandardVersionOut], **ERRORS},
    summary="A standard's versions, newest first (drafts for managers only)",
    **needs(VIEW),
)
def list_versions(request: Any, standard_id: StandardId) -> Any:
    standard = get_object_or_404(Standard, pk=standard_id)
    versions = standard.versions.prefetch_related("scripts")
    if not request.user.has_perm(MANAGE):
        versions = versions.exclude(status__in=StandardVersion.OPEN)
    return versions


@router.post(
    "/standards/{standard_id}/versions",
    response={201: StandardVersionOut, **ERRORS},
    summary="Start a new draft from the published text",
    **needs(VIEW, MANAGE),
)
def start_revision(request: Any, standard_id: StandardId) -> Status[StandardVersion]:
    standard = get_object_or_404(Standard, pk=standard_id)
    return Status(201, services.start_revision(actor=request.user, standard=standard))


@router.put(
    "/standards/versions/{version_id}",
    response={200: StandardVersionOut, **ERRORS},
    summary="Rewrite a draft (text, scripts, change note)",
    **needs(VIEW, MANAGE),
)
def edit_draft(request: Any, version_id: VersionId, payload: StandardDraftIn) -> StandardVersion:
    version = get_object_or_404(StandardVersion, pk=version_id)
    return services.edit_draft(
        actor=request.user,
        version=version,
        body=payload.body,
        scripts=None if payload.scripts is None else [(s.title, s.text) for s in payload.scripts],
        change_note=payload.change_note,
    )


def _step(request: Any, version_id: int, service: Any) -> StandardVersion:
    version = get_object_or_404(StandardVersion, pk=version_id)
    result: StandardVersion = service(actor=request.user, version=version)
    return result


@router.post(
    "/standards/versions/{version_id}/submit",
    response={200: StandardVersionOut, **ERRORS},
    summary="Send a draft for review",
    **needs(VIEW, MANAGE),
)
def submit(request: Any, version_id: VersionId) -> StandardVersion:
    return _step(request, version_id, services.submit_for_review)


@router.post(
    "/standards/versions/{version_id}/return",
    response={200: StandardVersionOut, **ERRORS},
    summary="Send a version in review back to draft",
    **needs(VIEW, MANAGE),
)
def return_to_draft(request: Any, version_id: VersionId) -> StandardVersion:
    return _step(request, version_id, services.return_to_draft)


@router.post(
    "/standards/versions/{version_id}/publish",
    response={200: StandardVersionOut, **ERRORS},
    summary="Publish a reviewed version (the previous one is superseded; staff are asked to read)",
    **needs(VIEW, MANAGE),
)
def publish(request: Any, version_id: VersionId) -> StandardVersion:
    return _step(request, version_id, services.publish)


@router.get(
    "/standards/versions/{version_id}/diff",
    response={200: list[DiffLineOut], **ERRORS},
    summary="What a version changed against the version published before it",
    **needs(VIEW),
)
def version_diff(request: Any, version_id: VersionId) -> list[Any]:
    version = _visible_version(request, version_id)
    previous = (
        version.standard.versions.filter(number__lt=version.number)
        .exclude(status__in=StandardVersion.OPEN)
        .order_by("-number")
        .first()
    )
    return selectors.diff(previous, version)


@router.post(
    "/standards/{standard_id}/acknowledge",
    response={200: AckOut, **ERRORS},
    summary="Acknowledge the published version (it must apply to the caller); again: unchanged",
    **needs(VIEW),
)
def acknowledge(request: Any, standard_id: StandardId) -> Any:
    standard = get_object_or_404(Standard, pk=standard_id)
    version = standard.versions.filter(status=StandardVersion.Status.PUBLISHED).first()
    if version is None:
        raise Http404
    return services.acknowledge(actor=request.user, version=version)


@router.post(
    "/standards/{standard_id}/revision-requests",
    response={201: RevisionOut, **ERRORS},
    summary="Ask for a standard to be revised (why, and the evidence); the owner is notified",
    **needs(VIEW, "standards.request_revision"),
)
def request_revision(request: Any, standard_id: StandardId, payload: RevisionIn) -> Status[Any]:
    get_object_or_404(Standard, pk=standard_id)
    found = services.raise_revision_request(
        actor=request.user,
        standard_id=standard_id,
        reason=payload.reason,
        evidence=payload.evidence,
    )
    return Status(201, found)


@router.get(
    "/mission",
    response={200: MissionOut, **ERRORS},
    summary="The published service mission",
    **needs(VIEW),
)
def mission(request: Any) -> Any:
    found = selectors.current_mission()
    return found if found is not None else {"text": "", "published_at": None}
