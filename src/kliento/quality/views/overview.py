"""The quality overview (compliance over a period, by area, and its monthly trend) and the
company-wide feed of exemplary results."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.models import OrgUnit
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.quality import selectors
from kliento.quality.forms import PeriodForm, staff
from kliento.quality.services.programme import add_months
from kliento.standards import selectors as standards
from kliento.touchpoints import selectors as touchpoints

VIEW = "quality.view_evaluation"
VIEW_ALL = "quality.view_all_evaluations"


@dataclass(frozen=True)
class AreaRow:
    id: int
    name: str
    c: selectors.Compliance


AREAS = ("touchpoint", "stage", "team", "employee", "standard")


def _names(by: str, ids: list[int]) -> dict[int, str]:
    if by == "touchpoint":
        return {t.pk: t.name for t in touchpoints.touchpoints().filter(pk__in=ids)}
    if by == "stage":
        return {s.pk: touchpoints.stage_label(s) for s in touchpoints.stages().filter(pk__in=ids)}
    if by == "team":
        return {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=ids)}
    if by == "employee":
        return {u.pk: u.get_full_name() or u.get_username() for u in staff().filter(pk__in=ids)}
    return {s.pk: s.title for s in standards.book() if s.pk in set(ids)}


@require(VIEW_ALL)
def compliance(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"start": add_months(today.replace(day=1), -11), "end": today, "by": "touchpoint"}
    form = PeriodForm(request.GET or None, initial=initial)
    values: dict[str, Any] = dict(initial)
    if request.GET and form.is_valid():
        values.update({k: v for k, v in form.cleaned_data.items() if v})
    start, end, by = values["start"], values["end"], values["by"] or "touchpoint"
    if end < start:
        start, end = end, start
    # One area's trend, when a row was picked (?area=team&area_id=3).
    area = request.GET.get("area", "")
    area_id = request.GET.get("area_id", "")
    filters: dict[str, Any] = {}
    if area in AREAS and area_id.isdigit():
        filters[f"{area}_id"] = int(area_id)
    by_area = selectors.compliance_by(by=by, start=start, end=end)
    names = _names(by, list(by_area))
    rows = sorted(
        (AreaRow(pk, names.get(pk, f"#{pk}"), c) for pk, c in by_area.items()),
        key=lambda r: (r.c.item_rate is None, r.c.item_rate or 0, r.name),
    )
    context = {
        "form": form,
        "start": start,
        "end": end,
        "by": by,
        "total": selectors.compliance(start=start, end=end, **filters),
        "trend": selectors.compliance_trend(start=start, end=end, **filters),
        "rows": rows,
        "area": area if filters else "",
        "area_name": _names(area, [int(area_id)]).get(int(area_id), "") if filters else "",
        "uncontrolled": selectors.uncontrolled_areas(request.user),
        "months": selectors.no_control_months(),
    }
    return render(request, "quality/compliance.html", context)


@require(VIEW)
def exemplary(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request, "quality/exemplary.html", {"items": selectors.exemplary_feed(request.user)}
    )
