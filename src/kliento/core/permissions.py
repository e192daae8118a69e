from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

# Any view: pages, redirects, file downloads and streamed exports alike.
View = Callable[..., HttpResponseBase]


def require(*perms: str) -> Callable[[View], View]:
    """Login required, then every listed permission, else 403 (never a silent redirect loop)."""

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perms(perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
