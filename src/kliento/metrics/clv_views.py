"""The predictive-CLV page (top clients of the latest fit) and the client card's panel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import selectors
from kliento.metrics.tasks import fit_clv

TOP_SHOWN = 100


@require("metrics.view_client_metrics", writes=["metrics.fit_clv"])
def clv_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        # On the worker: a fit over a large base takes longer than a request should.
        until = timezone.localdate() - dt.timedelta(days=1)
        fit_clv.enqueue(until=until.isoformat(), unit="week")
        messages.success(
            request, _("The CLV models will be refitted on the purchases up to yesterday.")
        )
        return redirect("metrics:clv")
    fit = selectors.latest_fit()
    rows = selectors.top_clients(fit, limit=TOP_SHOWN) if fit else []
    return render(
        request,
        "metrics/clv.html",
        {
            "fit": fit,
            "rows": rows,
            "can_fit": request.user.has_perm("metrics.fit_clv"),
        },
    )


def clv_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    """The client's predicted value on its card; nothing before a fit includes the client."""
    figures = selectors.client_figures(client.pk)
    if figures is None:
        return None
    return {"clv": figures, "fit": figures.fit}
