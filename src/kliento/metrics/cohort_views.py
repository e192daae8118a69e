"""The acquisition cohorts page: LTV to date and retention by cohort as heat-map tables, and
their CSV export."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import cohorts
from kliento.metrics.forms import CohortForm, a_year_before


def _params(request: AuthenticatedHttpRequest) -> tuple[CohortForm, dict[str, Any] | None]:
    today = timezone.localdate()
    initial = {"start": a_year_before(today).replace(day=1), "end": today, "grain": "month"}
    form = CohortForm(request.GET or None, initial=initial)
    if not form.is_bound:
        return form, initial
    return form, (form.cleaned_data if form.is_valid() else None)


def _table(params: dict[str, Any]) -> cohorts.CohortTable:
    return cohorts.cohort_table(
        first=params["start"],
        last=params["end"],
        grain=params["grain"],
        as_of=timezone.localdate(),
    )


@require("metrics.view_client_metrics")
def cohorts_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    form, params = _params(request)
    table = _table(params) if params is not None else None
    max_ltv = table.max_ltv if table is not None else 0
    rows = []
    if table is not None:
        for row in table.rows:
            cells = [
                {
                    "cell": c,
                    # 0..1 for the CSS colour scale: the cell's share of the largest figure.
                    "ltv_scale": f"{float(c.ltv / max_ltv) if max_ltv else 0:.3f}",
                    "retention_scale": f"{c.retention:.3f}",
                }
                for c in row.cells
            ]
            rows.append({"row": row, "cells": cells, "pad": len(table.offsets) - len(cells)})
    return render(
        request,
        "metrics/cohorts.html",
        {"form": form, "table": table, "rows": rows, "query": request.GET.urlencode()},
    )


@require("metrics.view_client_metrics")
def cohorts_csv(request: AuthenticatedHttpRequest, measure: str) -> HttpResponse:
    form, params = _params(request)
    if params is None:
        return HttpResponse(
            "; ".join(str(e) for errors in form.errors.values() for e in errors),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    header, lines = cohorts.csv_rows(_table(params), measure)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cohorts-{measure}.csv"'
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(lines)
    return response
