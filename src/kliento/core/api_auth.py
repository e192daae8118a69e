"""Bearer-token authentication for the JSON API, with the same permissions as the UI.

Permissions are checked in the authentication step on purpose: it runs before the request body
is parsed, so a caller without the right gets 403 whatever they send, never a 422 that would
tell them how the endpoint validates its input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import AuthorizationError
from ninja.security import HttpBearer

from kliento.core.models import ApiToken, hash_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


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
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
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
