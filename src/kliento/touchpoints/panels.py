"""The touchpoints app's panel on the client card: the client's impressions and the form to
record one."""

from __future__ import annotations

from typing import Any

from kliento.core.types import AuthenticatedHttpRequest
from kliento.touchpoints import selectors
from kliento.touchpoints.forms import ImpressionForm

SHOWN = 8


def impressions_context(user: Any, client_id: int) -> dict[str, Any]:
    impressions = selectors.impressions_of_client(client_id)
    shown = list(impressions[:SHOWN])
    context: dict[str, Any] = {
        "client_id": client_id,
        "impressions": shown,
        "total": impressions.count() if len(shown) == SHOWN else len(shown),
    }
    if user.has_perm("touchpoints.add_impression"):
        context["form"] = ImpressionForm(client_id=client_id)
    return context


def impressions_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any]:
    return impressions_context(request.user, client.pk)
