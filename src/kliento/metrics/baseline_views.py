"""The baseline pages: the list, saving one, and one baseline with its figures and the
comparison of a later period (or another slice) with it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import baselines, registry, selectors, services
from kliento.metrics.baseline_forms import BaselineForm, CompareForm

VIEW = "metrics.view_client_metrics"
MANAGE = "metrics.manage_baselines"


@require(VIEW)
def baseline_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "metrics/baselines.html",
        {
            "baselines": selectors.baselines()[:200],
            "may_create": request.user.has_perm(MANAGE),
        },
    )


@require(VIEW, MANAGE)
def baseline_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    keys = selectors.visible_metric_keys(request.user)
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today, "slices": "company"}
    form = BaselineForm(request.POST or None, initial=initial, keys=keys)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_baseline(
                actor=request.user,
                name=data["name"],
                metric_keys=data["metric_keys"],
                slices=data["slices"],
                period=registry.Period(data["start"], data["end"]),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Baseline saved."))
            return redirect("metrics:baseline", metric_baseline_id=saved.pk)
    return render(request, "metrics/baseline_form.html", {"form": form})


def _figures(found: Any, keys: set[str]) -> list[dict[str, Any]]:
    period = baselines.period_of(found)
    rows = []
    for figure in found.figures.all():
        if figure.metric not in keys:
            continue
        try:
            name = registry.metric(figure.metric).name
        except KeyError:
            name = figure.metric
        result = baselines.result_of(figure, period)
        rows.append({"figure": figure, "name": name, "result": result})
    return rows


@require(VIEW)
def baseline_detail(request: AuthenticatedHttpRequest, metric_baseline_id: int) -> HttpResponse:
    found = selectors.baseline(metric_baseline_id)
    if found is None:
        raise Http404("No such baseline")
    keys = selectors.visible_metric_keys(request.user)
    form = CompareForm(request.GET or None)
    compared = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        compared = baselines.compare_baseline(
            found,
            start=data["start"],
            end=data["end"],
            against=data.get("against"),
            detect=data.get("detect"),
            keys=keys,
        )
    return render(
        request,
        "metrics/baseline.html",
        {
            "baseline": found,
            "figures": _figures(found, keys),
            "form": form,
            "compared": compared,
        },
    )
