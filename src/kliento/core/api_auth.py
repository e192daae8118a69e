"""Bearer-token authentication for the JSON API, with the same permissions as the UI.

Permissions are checked in the authentication step on purpose: it runs before the request body
is parsed, so a caller without the right gets 403 whatever they send, never a 422 that would
tell them how the endpoint validates its input.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from kliento.core.db import if_not_busy
from kliento.core.models import ApiToken, hash_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


# A token's last use is shown to the nearest few minutes: writing it on every call would make
# every read a write, which waits (SQLite) while an import holds the write lock.
LAST_USED_PRECISION = dt.timedelta(minutes=5)


def _note_use(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_PRECISION:
        return
    # Bookkeeping only: skipped, not failed, while the database is busy.
    if_not_busy(lambda: ApiToken.objects.filter(pk=token.pk).update(last_used_at=now))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; optionally requires Django permissions of its owner."""

    def __init__(self, *perms: str) -> None:
        super().__init__()
        self.perms = perms

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        _note_use(found)
        request.user = found.user
        if self.perms and not found.user.has_perms(self.perms):
            raise AuthorizationError(
                message=_("You do not have permission to do this (requires %(perms)s).")
                % {"perms": ", ".join(self.perms)}
            )
        return found.user


def needs(*perms: str) -> dict[str, Any]:
    """Operation options requiring a valid token whose owner holds every permission listed;
    the permissions are also written into the OpenAPI document (`x-permissions`)."""
    listed = ", ".join(f"`{p}`" for p in perms)
    return {"auth": TokenAuth(*perms), "openapi_extra": {"x-permissions": list(perms)}} | (
        {"description": f"Requires {listed}."} if perms else {}
    )
