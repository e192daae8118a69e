"""The survey-metrics page: NPS, CSAT, CES and eNPS of a period with n and 95% intervals, and
optionally the comparison with a baseline period (the registry's figures, as in the API and
`kliento report`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import registry, survey_metrics
from kliento.metrics.forms import SurveyMetricsForm


@require("metrics.view_client_metrics", "surveys.view_all_responses")
def survey_metrics_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = SurveyMetricsForm(request.GET or None, initial=initial)
    valid = not form.is_bound or form.is_valid()
    params = form.cleaned_data if form.is_bound and valid else initial
    rows: list[dict[str, Any]] = []
    if valid:
        period = registry.Period(params["start"], params["end"])
        baseline = None
        if params.get("baseline_start") and params.get("baseline_end"):
            baseline = registry.Period(params["baseline_start"], params["baseline_end"])
        for definition in registry.metrics(registry.SURVEYS):
            result = registry.compute(definition.key, period)
            row: dict[str, Any] = {"definition": definition, "result": result, "compared": None}
            if baseline is not None:
                before = registry.compute(definition.key, baseline)
                row["before"] = before
                row["compared"] = survey_metrics.comparison(definition.key, before, result)
            labels = dict(definition.inputs)
            row["inputs"] = [(k, labels.get(k, k), v) for k, v in result.inputs.items()]
            rows.append(row)
    return render(
        request, "metrics/survey_metrics.html", {"form": form, "rows": rows, "valid": valid}
    )
