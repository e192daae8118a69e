"""The JSON API root: token authentication, one error shape, and the routers of each capability."""

from __future__ import annotations

from ninja import NinjaAPI

from kliento.clients.api import router as clients_router
from kliento.core import api_errors
from kliento.core.api_auth import TokenAuth

__all__ = ["TokenAuth", "api"]

api = NinjaAPI(
    title="Kliento API",
    version="1",
    description=(
        "Client cards of Kliento. Authenticate with `Authorization: Bearer <token>` (create a "
        "token on the Account → API tokens page or with `kliento issue_token`). Errors: 401 "
        "without a valid token, 403 without the permission, 404 for an unknown object, 422 with "
        "`detail: [{loc, msg, type}]` for invalid input, 409 for a conflicting write."
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
)
api_errors.install(api)
api.add_router("", clients_router)
