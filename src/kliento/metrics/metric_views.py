"""One metric's page: its figure over a period for a slice of the company, and the same metric
as a series by day, week, month or quarter (a table; the dashboards draw the charts). The
figures are the registry's, as in the API and `kliento report --slice … --by …`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import registry, trends
from kliento.metrics.forms import MetricPageForm

SURVEY_ANSWERS = "surveys.view_all_responses"


def definition_for(user: Any, key: str) -> registry.MetricDefinition:
    """The metric (404 for an unknown key); survey metrics count every answer, so only for
    those who may see them all (403)."""
    try:
        definition = registry.metric(key)
    except KeyError:
        raise Http404("No such metric") from None
    if definition.group == registry.SURVEYS and not user.has_perm(SURVEY_ANSWERS):
        raise PermissionDenied
    return definition


def _shown(value: Any) -> Any:
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items()) or None
    return value


@require("metrics.view_client_metrics")
def metric_page(request: AuthenticatedHttpRequest, metric_key: str) -> HttpResponse:
    definition = definition_for(request.user, metric_key)
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "start": today.replace(month=1, day=1),
        "end": today,
        "slice_kind": "company",
        "by": trends.MONTH,
    }
    form = MetricPageForm(request.GET or None, initial=initial, metric_key=metric_key)
    valid = not form.is_bound or form.is_valid()
    context: dict[str, Any] = {"form": form, "definition": definition, "valid": valid}
    if valid:
        params: dict[str, Any] = form.cleaned_data if form.is_bound else initial
        where = params.get("slice")
        period = registry.Period(params["start"], params["end"])
        try:
            points = trends.trend(metric_key, period.start, period.end, params["by"], slice=where)
        except ValueError as exc:  # too many buckets
            form.add_error("by", str(exc))
            context["valid"] = False
            return render(request, "metrics/metric.html", context)
        result = registry.compute(metric_key, period, slice=where)
        labels = dict(definition.inputs)
        context.update(
            result=result,
            period=period,
            inputs=[(k, labels.get(k, k), _shown(v)) for k, v in result.inputs.items()],
            extra=[(k, _shown(v)) for k, v in result.extra.items()],
            points=points,
            by_label=trends.GRANULARITIES[params["by"]],
        )
    return render(request, "metrics/metric.html", context)
