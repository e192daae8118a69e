from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import selectors, services
from kliento.metrics.forms import ParetoForm, a_year_before

FLAGGED_SHOWN = 200


@require("clients.view_key_clients", writes=["clients.flag_key_clients"])
def key_clients(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "start": a_year_before(today) + dt.timedelta(days=1),
        "end": today,
        "currency": settings.KLIENTO_DEFAULT_CURRENCY,
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
        )
        messages.success(
            request, _("%(count)d clients flagged as key clients.") % {"count": changed}
        )
        return redirect(request.get_full_path())
    result = None
    if valid:
        result = selectors.pareto(
            start=params["start"], end=params["end"], currency=params["currency"]
        )
    flagged, flagged_count = clients.key_clients(limit=FLAGGED_SHOWN)
    return render(
        request,
        "metrics/key_clients.html",
        {"form": form, "result": result, "flagged": flagged, "flagged_count": flagged_count},
    )
