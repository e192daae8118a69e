from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from kliento.core.permissions import require
from tests.plugin_app.models import Visit


@require("plugin_app.view_visit")
def visits(request: HttpRequest) -> HttpResponse:
    rooms = ", ".join(Visit.objects.order_by("pk").values_list("room", flat=True))
    return HttpResponse(f"Visits: {rooms}")
