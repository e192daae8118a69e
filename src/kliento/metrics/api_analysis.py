"""The metrics API's analyses: the key clients (on revenue or margin) and the acquisition
cohorts (LTV to date and retention per period since acquisition)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError as RequestInvalid

from kliento.core import money
from kliento.core.api_auth import needs
from kliento.core.api_errors import error_items
from kliento.metrics import cohorts, key_clients
from kliento.metrics.units import money_text

router = Router(tags=["metrics"])
QUERY = ("query",)
ERRORS: dict[int, Any] = {401: Any, 403: Any, 422: Any}
FROM = Query(..., alias="from", description="First day (YYYY-MM-DD).")
TO = Query(..., alias="to", description="Last day (YYYY-MM-DD).")


def _invalid(problems: dict[str, ValidationError]) -> RequestInvalid:
    return RequestInvalid(error_items(ValidationError(problems), QUERY))


def _checked_period(start: dt.date, end: dt.date) -> None:
    # Imported here: the period rules are the API module's, which imports this router.
    from kliento.metrics.api import _period

    _period(start, end)


@router.get(
    "/metrics/key-clients",
    response={200: dict[str, Any], **ERRORS},
    summary="Key clients: the top 20% of buying clients by revenue or by margin",
    **needs("clients.view_key_clients"),
)
def key_clients_api(
    request: Any,
    start: dt.date = FROM,
    end: dt.date = TO,
    basis: Literal["revenue", "margin"] = "revenue",
    currency: str = Query("", description="ISO 4217 code; the default currency when empty."),
) -> dict[str, Any]:
    _checked_period(start, end)
    code = currency or settings.KLIENTO_DEFAULT_CURRENCY
    try:
        code = money.validate_currency(code)
    except ValidationError as exc:
        raise _invalid({"currency": exc}) from None
    result = key_clients.pareto(start=start, end=end, currency=code, basis=basis)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "basis": result.basis,
        "currency": result.currency,
        "n_buyers": result.buyers,
        "n_top": result.top_count,
        "total": money_text(result.total_revenue),
        "top_total": money_text(result.top_revenue),
        "top_share_percent": result.top_share_percent,
        "n_purchases_without_cost": result.without_cost,
        "top": [
            {
                "client_id": row.client_id,
                "name": row.name,
                "is_key": row.is_key,
                "value": money_text(row.revenue),
                "share_percent": round(row.share, 2),
                "cumulative_share_percent": round(row.cumulative_share, 2),
            }
            for row in result.top
        ],
    }


@router.get(
    "/metrics/cohorts",
    response={200: dict[str, Any], **ERRORS},
    summary="Acquisition cohorts: LTV to date and retention per period since acquisition",
    **needs("metrics.view_client_metrics"),
)
def cohorts_api(
    request: Any,
    start: dt.date = FROM,
    end: dt.date = TO,
    grain: Literal["month", "quarter"] = "month",
) -> dict[str, Any]:
    _checked_period(start, end)
    today = timezone.localdate()
    if start > today:
        raise _invalid(
            {"from": ValidationError(_("No cohort can start in the future."), code="future")}
        )
    if start < cohorts.earliest_start(today):
        raise _invalid(
            {
                "from": ValidationError(
                    _("Cohorts go back at most %(years)d years.") % {"years": cohorts.MAX_YEARS},
                    code="too_early",
                )
            }
        )
    table = cohorts.cohort_table(first=start, last=end, grain=grain, as_of=timezone.localdate())
    return table.as_dict()


def _group_figures(group: str, start: dt.date, end: dt.date) -> list[dict[str, Any]]:
    from kliento.metrics.api import _group

    return _group(group, start, end, None)


@router.get(
    "/metrics/journeys",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Journey metrics over a period: entries per stage, time in stage, conversion",
    **needs("metrics.view_client_metrics"),
)
def journey_metrics(request: Any, start: dt.date = FROM, end: dt.date = TO) -> Any:
    return _group_figures("journeys", start, end)


@router.get(
    "/metrics/touchpoints",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Quality metrics per touchpoint over a period: impressions and their net balance",
    **needs("metrics.view_client_metrics"),
)
def touchpoint_metrics(request: Any, start: dt.date = FROM, end: dt.date = TO) -> Any:
    return _group_figures("touchpoints", start, end)
