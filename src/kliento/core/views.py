from __future__ import annotations

from django.db import DatabaseError, connection
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from kliento.core.home import widgets_for
from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.permissions import public, require
from kliento.core.types import AuthenticatedHttpRequest


@public
@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """Browsers ask for /favicon.ico whatever the page links; the icon is an SVG."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when this process can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return JsonResponse({"status": "database unavailable"}, status=503)
    return JsonResponse({"status": "ok"})


@require("core.view_orgunit", denied_template="core/no_role.html")
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """ "My work": the widgets that apps registered, those this person may see and has data for.

    Every role may see the organisation, so its permission tells staff from a user whose
    account has no role yet, who is told so instead of being shown an empty page."""
    return render(request, "core/home.html", {"widgets": widgets_for(request)})


@require("core.view_orgunit")
def organisation(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation tree with its people, as metrics will roll up along it."""
    members = Prefetch(
        "members",
        queryset=StaffProfile.objects.select_related("user").prefetch_related("user__groups"),
    )
    units = list(OrgUnit.objects.prefetch_related(members))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def build(parent_id: int | None, depth: int) -> list[dict]:
        rows = []
        for unit in children.get(parent_id, []):
            rows.append({"unit": unit, "depth": depth})
            rows.extend(build(unit.pk, depth + 1))
        return rows

    return render(request, "core/organisation.html", {"rows": build(None, 0)})
