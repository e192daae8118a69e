from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from kliento.core.api_auth import needs
from tests.plugin_app.models import Visit

router = Router(tags=["plugin"])


@router.get("/visits", response=list[str], **needs("plugin_app.view_visit"))
def visits(request: HttpRequest) -> list[str]:
    return list(Visit.objects.order_by("pk").values_list("room", flat=True))
