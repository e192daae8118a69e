"""One error shape for the whole API, whatever raised the error.

Ninja answers invalid input with `{"detail": [{"loc": [...], "msg": "...", "type": "..."}]}`
(422). Services raise Django's ValidationError and the database may refuse a row a concurrent
request took first; both are turned into the same shape here so clients parse one format.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    ObjectDoesNotExist,
    RequestDataTooBig,
    ValidationError,
)
from django.db import IntegrityError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from kliento.core.db import RETRY_AFTER_SECONDS, is_busy, is_conflict

# Every JSON body parameter of the API is called `payload`, so a field's location is stable.
BODY = ("body", "payload")


def error_items(exc: ValidationError, prefix: tuple[str | int, ...] = BODY) -> list[dict[str, Any]]:
    """Django ValidationError → ninja's list of {loc, msg, type}, one item per message."""
    items: list[dict[str, Any]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            loc = list(prefix) if field == NON_FIELD_ERRORS else [*prefix, field]
            items.extend(_items(errors, loc))
    else:
        items.extend(_items(exc.error_list, list(prefix)))
    return items


def _items(errors: list[ValidationError], loc: list[Any]) -> list[dict[str, Any]]:
    out = []
    for error in errors:
        for message in error.messages:
            out.append({"loc": loc, "msg": message, "type": error.code or "value_error"})
    return out


def busy_response(api: NinjaAPI, request: HttpRequest) -> HttpResponse:
    """503 while another writer (a large import) holds the embedded database's write lock."""
    response = api.create_response(
        request,
        {
            "detail": _(
                "Kliento is busy saving a large import. Nothing was saved; please try again "
                "in a moment."
            )
        },
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ValidationError)
    def django_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"detail": error_items(exc)}, status=422)

    @api.exception_handler(IntegrityError)
    def integrity_error(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
        # Services check uniqueness first; reaching here means a concurrent request won the race
        # (or a constraint the service does not pre-check). The transaction was rolled back.
        return api.create_response(
            request,
            {
                "detail": [
                    {
                        "loc": list(BODY),
                        "msg": _(
                            "This conflicts with existing data (for example a duplicate "
                            "external reference). Nothing was saved."
                        ),
                        "type": "conflict",
                    }
                ]
            },
            status=409,
        )

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return api.create_response(
            request,
            {
                "detail": _("The request body is too large: at most %(size)s are accepted.")
                % {"size": filesizeformat(limit)}
            },
            status=413,
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, NinjaValidationError):
            # The parser refused text no database stores (core/api_parser.py); ninja wraps
            # whatever its parser raises in a 400, but this is a field error like any other.
            return api.on_exception(request, exc.__cause__)
        if exc.status_code == 400 and exc.__cause__ is not None:
            # Ninja could not read the body (not JSON, broken JSON, not UTF-8).
            message = _(
                "The request body is not valid JSON. Send a JSON object encoded in UTF-8 with "
                "Content-Type: application/json."
            )
        else:
            message = str(exc)
        return api.create_response(request, {"detail": message}, status=exc.status_code)

    @api.exception_handler(OperationalError)
    def database_trouble(request: HttpRequest, exc: OperationalError) -> HttpResponse:
        if is_conflict(exc):
            # Still losing the race after the services' retries: tell the caller to try again.
            return api.create_response(
                request,
                {
                    "detail": [
                        {
                            "loc": list(BODY),
                            "msg": _(
                                "Someone else was changing the same client at the same moment. "
                                "Nothing was saved; please try again."
                            ),
                            "type": "conflict",
                        }
                    ]
                },
                status=409,
            )
        if is_busy(exc):
            return busy_response(api, request)
        raise exc

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = api.create_response(
            request,
            {"detail": _("Send a valid API token: Authorization: Bearer <token>.")},
            status=401,
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Http404)
    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)
