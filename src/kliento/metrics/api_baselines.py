"""The baselines API: list, read, save (managers) and compare a later period (or another
slice) with a baseline. Bad input answers 422 with the field at fault."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import ValidationError as RequestInvalid
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.core.api_errors import error_items
from kliento.core.api_types import MAX_ID
from kliento.metrics import baselines, registry, selectors, services
from kliento.metrics.api import ERRORS, FROM, QUERY, TO, _period, parse_slice

router = Router(tags=["metrics"])
VIEW = "metrics.view_client_metrics"
MANAGE = "metrics.manage_baselines"
BaselineId = Annotated[int, Path(ge=1, le=MAX_ID, description="Baseline id.")]


class MetricBaselineOut(Schema):
    id: int
    name: str
    taken_at: dt.datetime
    period_start: dt.date
    period_end: dt.date
    rule: str
    source: str
    created_by_id: int | None


class FigureOut(Schema):
    metric: str
    slice: str
    inputs: dict[str, Any]
    value: Any
    extra: dict[str, Any]


class BaselineDetailOut(MetricBaselineOut):
    figures: list[FigureOut]


class MetricBaselineIn(Schema):
    name: str = Field(max_length=200)
    metric_keys: list[str] = Field(max_length=100)
    slices: list[str] = Field(max_length=100, description='e.g. ["company", "team:12"]')
    start: dt.date = Field(alias="from")
    end: dt.date = Field(alias="to")


def _detail(found: Any, user: Any) -> dict[str, Any]:
    keys = selectors.visible_metric_keys(user)
    out = MetricBaselineOut.from_orm(found).dict()
    out["figures"] = [
        {
            "metric": f.metric,
            "slice": f.slice,
            "inputs": f.inputs,
            "value": f.value,
            "extra": f.extra,
        }
        for f in found.figures.all()
        if f.metric in keys
    ]
    return out


def _found(baseline_id: int) -> Any:
    found = selectors.baseline(baseline_id)
    if found is None:
        raise Http404(_("No such baseline."))
    return found


@router.get(
    "/metrics/baselines",
    response={200: list[MetricBaselineOut], **ERRORS},
    summary="Saved metric baselines, newest first",
    **needs(VIEW),
)
def list_baselines(request: Any) -> Any:
    return list(selectors.baselines()[:500])


@router.post(
    "/metrics/baselines",
    response={201: BaselineDetailOut, **ERRORS},
    summary="Save a baseline: the chosen metrics for the chosen slices over a period",
    **needs(VIEW, MANAGE),
)
def create_baseline(request: Any, payload: MetricBaselineIn) -> Any:
    if payload.end < payload.start:
        raise ValidationError(
            {"to": ValidationError(_("The period must not end before it starts."), code="order")}
        )
    visible = selectors.visible_metric_keys(request.user)
    hidden = [k for k in payload.metric_keys if k not in visible and k in _known()]
    if hidden:
        raise ValidationError(
            {
                "metric_keys": _("You may not read these metrics: %(keys)s.")
                % {"keys": ", ".join(hidden)}
            }
        )
    saved = services.save_baseline(
        actor=request.user,
        name=payload.name,
        metric_keys=payload.metric_keys,
        slices=payload.slices,
        period=registry.Period(payload.start, payload.end),
    )
    return Status(201, _detail(_found(saved.pk), request.user))


def _known() -> set[str]:
    return {d.key for d in registry.metrics()}


@router.get(
    "/metrics/baselines/{metric_baseline_id}",
    response={200: BaselineDetailOut, **ERRORS},
    summary="One baseline with its figures (inputs, value, n and interval)",
    **needs(VIEW),
)
def get_baseline(request: Any, metric_baseline_id: BaselineId) -> Any:
    return _detail(_found(metric_baseline_id), request.user)


@router.get(
    "/metrics/baselines/{metric_baseline_id}/compare",
    response={200: list[dict[str, Any]], **ERRORS},
    summary=(
        "Each figure of a baseline against a later period (or another slice): difference, "
        "95% interval, significance, sample size"
    ),
    **needs(VIEW),
)
def compare_baseline(
    request: Any,
    metric_baseline_id: BaselineId,
    start: dt.date = FROM,
    end: dt.date = TO,
    against: str | None = Query(
        None, description="Compare with this slice instead of each figure's own (nonpilot:2)."
    ),
    detect: float | None = Query(
        None, description="A change to detect (NPS points, percentage points): its sample size."
    ),
) -> Any:
    found = _found(metric_baseline_id)
    period = _period(start, end)
    where = parse_slice(against, field="against") if against else None
    if detect is not None and (detect == 0 or abs(detect) > 200 or detect != detect):
        problem = ValidationError(
            {"detect": ValidationError(_("A change other than zero, at most 200."), code="range")}
        )
        raise RequestInvalid(error_items(problem, QUERY))
    return baselines.compare_baseline(
        found,
        start=period.start,
        end=period.end,
        against=where,
        detect=detect,
        keys=selectors.visible_metric_keys(request.user),
    )
