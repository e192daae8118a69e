"""Pieces shared by the client-card endpoints: permissions, pagination, lookups, error names."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination

from kliento.clients.api.schemas import MAX_ID, Message, ValidationErrorOut

MAX_PAGE_SIZE = 100

# Path ids are bounded like body ids: a 30-digit id is a 422, not a database overflow.
ClientId = Annotated[int, Path(ge=1, le=MAX_ID, description="Client id.")]
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]

# Documented error answers every protected endpoint can give.
ERRORS: dict[int, Any] = {401: Message, 403: Message, 422: ValidationErrorOut}
NOT_FOUND: dict[int, Any] = {**ERRORS, 404: Message}
# Writes can also meet a concurrent write on a unique constraint.
WRITE: dict[int, Any] = {**NOT_FOUND, 409: ValidationErrorOut}


class Pages(PageNumberPagination):
    """Page-number pagination with a bounded page size (a larger one is a 422, not clamped)."""

    class PageInput(PageNumberPagination.Input):
        page: int = Field(1, ge=1, le=1_000_000, description="1-based page number.")
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}."
        )

    Input = PageInput

    class Output(Schema):
        items: list[Any]
        count: int = Field(description="Total number of items on all pages.")
        page: int
        page_size: int

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            page_size=settings.KLIENTO_PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs
        )

    def paginate_queryset(
        self,
        queryset: QuerySet[Any],
        pagination: PageNumberPagination.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        page_size = self._get_page_size(pagination.page_size)
        offset = (pagination.page - 1) * page_size
        return {
            "items": list(queryset[offset : offset + page_size]),
            "count": self._items_count(queryset),
            "page": pagination.page,
            "page_size": page_size,
        }


def get_or_404[M: Model](queryset_or_model: type[M] | QuerySet[M], **lookup: Any) -> M:
    return get_object_or_404(queryset_or_model, **lookup)


@contextmanager
def api_field_names(mapping: Mapping[str, str]) -> Iterator[None]:
    """Report a service's errors under the API's field names (e.g. `segment` → `segment_id`)."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        raise ValidationError(
            {mapping.get(field, field): errors for field, errors in exc.error_dict.items()}
        ) from None
