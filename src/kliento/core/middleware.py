"""Pages for trouble that is nobody's fault (the embedded database busy with a large import),
and JSON for the API's "method not allowed"."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kliento.core.db import RETRY_AFTER_SECONDS, is_busy


class DatabaseBusyMiddleware:
    """A write that could not get SQLite's write lock in time gets a 503 page asking to try
    again (with `Retry-After`), not a server error: nothing was saved, nothing is broken."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_busy(exception):
            return None
        response = HttpResponse(
            render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS}, request=request),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


class ApiMethodNotAllowedMiddleware:
    """django-ninja answers a method an API path does not take with a plain-text 405; the API
    promises JSON for every error, so it is rewritten here, keeping the `Allow` header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code != 405
            or not request.path.startswith("/api/")
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        allowed = response.get("Allow", "")
        answer = JsonResponse(
            {
                "detail": _("%(method)s is not accepted here; this address accepts %(allowed)s.")
                % {"method": request.method, "allowed": allowed or "—"}
            },
            status=405,
        )
        if allowed:
            answer["Allow"] = allowed
        return answer
