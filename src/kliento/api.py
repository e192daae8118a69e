"""The JSON API root: token authentication and the routers of each capability."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.security import HttpBearer

from kliento.core.models import ApiToken, hash_token


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        found = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="Kliento API",
    version="1",
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)
