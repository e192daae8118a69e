"""The JSON API root: token authentication, one error shape, and the routers of each capability."""

from __future__ import annotations

from django.utils.module_loading import import_string
from ninja import NinjaAPI

from kliento.core import api_errors
from kliento.core.api_auth import TokenAuth
from kliento.core.api_parser import StorableTextParser
from kliento.core.mounts import api_mounts

__all__ = ["TokenAuth", "api"]

api = NinjaAPI(
    title="Kliento API",
    version="1",
    description=(
        "Kliento's JSON API. Authenticate with `Authorization: Bearer <token>` (create a "
        "token on the Account → API tokens page or with `kliento issue_token`). Errors: 401 "
        "without a valid token, 403 without the permission, 404 for an unknown object, 422 with "
        "`detail: [{loc, msg, type}]` for invalid input, 400 for a body that is not JSON, 413 "
        "for a body over 5 MB, 409 for a conflicting write, 503 with `Retry-After` while the "
        "embedded database saves a large import. Every error body is JSON."
    ),
    auth=TokenAuth(),
    docs_url="/docs",
    urls_namespace="api",
    parser=StorableTextParser(),
)
api_errors.install(api)
for mount in api_mounts:
    api.add_router(mount.prefix, import_string(mount.router))
