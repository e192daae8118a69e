from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients import selectors as clients
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import registry, selectors, services
from kliento.metrics.forms import ParetoForm, PeriodForm, a_year_before

FLAGGED_SHOWN = 200


@require("clients.view_key_clients", writes=["clients.flag_key_clients"])
def key_clients(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "start": a_year_before(today) + dt.timedelta(days=1),
        "end": today,
        "currency": settings.KLIENTO_DEFAULT_CURRENCY,
        "basis": "revenue",
    }
    form = ParetoForm(request.GET or None, initial=initial)
    valid = not form.is_bound or form.is_valid()
    params = form.cleaned_data if form.is_bound and valid else initial
    if request.method == "POST" and valid:
        changed = services.flag_top_clients(
            actor=request.user,
            start=params["start"],
            end=params["end"],
            currency=params["currency"],
            basis=params["basis"],
        )
        messages.success(
            request, _("%(count)d clients flagged as key clients.") % {"count": changed}
        )
        return redirect(request.get_full_path())
    result = None
    if valid:
        result = selectors.pareto(
            start=params["start"],
            end=params["end"],
            currency=params["currency"],
            basis=params["basis"],
        )
    flagged, flagged_count = clients.key_clients(limit=FLAGGED_SHOWN)
    return render(
        request,
        "metrics/key_clients.html",
        {"form": form, "result": result, "flagged": flagged, "flagged_count": flagged_count},
    )


MONEY_METRICS = {"revenue", "average_check", "ltv", "ltv_margin"}
SHARE_METRICS = {"churn", "gross_margin", "key_client_share", "key_client_margin_share"}
EXTRA_LABELS = {
    "lifetime_periods": gettext_lazy("Lifetime in periods"),
    "lifetime_months": gettext_lazy("Lifetime in months"),
}


def _shown(key: str, value: Any, currency: str) -> str:
    """A metric's value as a person reads it, in their language's number format: shares as
    percentages, money with grouping and its currency, lifetimes to one decimal."""
    if value is None or value == "unbounded":
        return ""
    if key in SHARE_METRICS:
        return f"{number_format(Decimal(str(value)) * 100, 1, force_grouping=True)} %"
    if key in MONEY_METRICS:
        return f"{number_format(Decimal(str(value)), 2, force_grouping=True)} {currency}".strip()
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return number_format(Decimal(str(value)), 1 if key.startswith("lifetime") else 2)


@require("metrics.view_client_metrics")
def client_metrics(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every client metric of a period, each with its inputs and formula (the "explain" block);
    the numbers are the registry's, as in the API and `kliento report`."""
    today = timezone.localdate()
    initial = {"start": today.replace(month=1, day=1), "end": today}
    form = PeriodForm(request.GET or None, initial=initial)
    valid = not form.is_bound or form.is_valid()
    params = form.cleaned_data if form.is_bound and valid else initial
    rows: list[dict[str, Any]] = []
    period = None
    rule = registry.ChurnRule.configured()
    if valid:
        period = registry.Period(params["start"], params["end"])
        for definition in registry.metrics(registry.CLIENTS):
            result = registry.compute(definition.key, period, rule)
            labels = dict(definition.inputs)
            currency = str(result.inputs.get("currency") or settings.KLIENTO_DEFAULT_CURRENCY)
            rows.append(
                {
                    "definition": definition,
                    "result": result,
                    "shown": _shown(definition.key, result.value, currency),
                    "unit": currency if definition.key in MONEY_METRICS else definition.unit,
                    "json_value": json.dumps(result.value),
                    "inputs": [
                        (name, labels.get(name, name), value)
                        for name, value in result.inputs.items()
                    ],
                    "extra": [
                        (EXTRA_LABELS.get(name, name), value, _shown(name, value, currency))
                        for name, value in result.extra.items()
                    ],
                }
            )
    return render(
        request,
        "metrics/client_metrics.html",
        {"form": form, "rows": rows, "period": period, "rule": rule},
    )
