"""Segments and tags, so API clients can find the ids that client payloads refer to."""

from django.db.models import QuerySet
from ninja import Router

from kliento.clients import selectors
from kliento.clients.api.common import ERRORS
from kliento.clients.api.schemas import RefOut, SegmentOut
from kliento.clients.models import Segment, Tag
from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest

router = Router(tags=["reference data"])


@router.get(
    "/segments",
    response={200: list[SegmentOut], **ERRORS},
    summary="All segments",
    **needs("clients.view_client"),
)
def list_segments(request: AuthenticatedHttpRequest) -> QuerySet[Segment]:
    return selectors.segments()


@router.get(
    "/tags",
    response={200: list[RefOut], **ERRORS},
    summary="All tags",
    **needs("clients.view_client"),
)
def list_tags(request: AuthenticatedHttpRequest) -> QuerySet[Tag]:
    return selectors.tags()
