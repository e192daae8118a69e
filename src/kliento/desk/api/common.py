"""Pieces the desk's endpoints share: permissions, the visible case or 404, pagination."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

from kliento.core.api_auth import needs
from kliento.desk import access, selectors
from kliento.desk.models import Case

VIEW = access.VIEW
WORK = access.WORK
MANAGE = access.MANAGE
ADD = "desk.add_case"
MAX_PAGE_SIZE = 100


class Pages(PageNumberPagination):
    """Page-number pagination like /api/v1/clients: a page size over the bound is a 422."""

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


def visible_case(request: Any, case_id: int) -> Case:
    """The case if the caller may see it; a 404 alike for a missing and a hidden one."""
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise Http404
    return case


def visible_case_or_422(request: Any, case_id: int, field: str) -> Case:
    """A case named in a body: unknown and hidden read the same ("no such case")."""
    case = selectors.case_for(request.user, case_id)
    if case is None:
        raise ValidationError({field: _("There is no such case.")})
    return case


def person_or_422(user_id: int, field: str) -> Any:
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise ValidationError({field: _("There is no such person.")})
    return person


IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Makes a retry safe: the same key answers the first result again (24 h).",
    "schema": {"type": "string", "minLength": 1, "maxLength": 255},
}


def creating(*perms: str) -> dict[str, Any]:
    """`needs(...)` for an operation that creates, with its Idempotency-Key documented."""
    options = needs(*perms)
    options["openapi_extra"] = {**options["openapi_extra"], "parameters": [IDEMPOTENCY_PARAMETER]}
    return options
