"""The service-desk metrics page: response and resolution times, the SLA, escalations, backlog
and rates of a period, each with its inputs and formula (the registry's figures, as in the API
and `kliento report`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import registry
from kliento.metrics.forms import PeriodForm


def _inputs(definition: registry.MetricDefinition, result: registry.MetricResult) -> list[Any]:
    """(key, label, value) of each input; a count per target/level/channel is spelled out."""
    labels = dict(definition.inputs)
    shown = []
    for key, value in result.inputs.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or None
        shown.append((key, labels.get(key, key), value))
    return shown


@require("metrics.view_client_metrics")
def desk_metrics_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"start": today.replace(day=1), "end": today}
    form = PeriodForm(request.GET or None, initial=initial)
    valid = not form.is_bound or form.is_valid()
    params = form.cleaned_data if form.is_bound and valid else initial
    rows: list[dict[str, Any]] = []
    if valid:
        period = registry.Period(params["start"], params["end"])
        for definition in registry.metrics(registry.DESK):
            result = registry.compute(definition.key, period)
            rows.append(
                {"definition": definition, "result": result, "inputs": _inputs(definition, result)}
            )
    return render(request, "metrics/desk_metrics.html", {"form": form, "rows": rows})
