"""The metrics API: the client, survey and service desk metrics of a period, each with its
inputs, as `kliento report` prints them (the same registry computes both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import PageNumberPagination, paginate

from kliento.core import dates
from kliento.core.api_auth import needs
from kliento.core.api_errors import error_items
from kliento.core.api_types import QueryId
from kliento.metrics import registry, selectors, slicing, trends
from kliento.metrics.slices import Slice

router = Router(tags=["metrics"])


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}
QUERY = ("query",)
# Named as in the report's JSON ("from" is a Python keyword, hence the aliases).
FROM = Query(..., alias="from", description="First day (YYYY-MM-DD).")
TO = Query(..., alias="to", description="Last day (YYYY-MM-DD).")
SLICE = Query(
    None,
    alias="slice",
    description=(
        "The part of the company: kind:id (department:3, team:12, employee:5, stage:2, "
        "touchpoint:7, channel:email, segment:4, pilot:1, nonpilot:1); empty: the company."
    ),
)


def parse_slice(text: str | None, metric_key: str | None = None) -> Slice:
    """The `slice` query parameter, or 422 (bad syntax, no such record, a kind the metric
    cannot be cut by)."""
    try:
        return slicing.clean_slice(text, metric_key=metric_key)
    except ValidationError as exc:
        raise RequestInvalid(error_items(exc, QUERY)) from None


def _period(start: dt.date, end: dt.date) -> registry.Period:
    problems: dict[str, ValidationError] = {}
    for name, day in (("from", start), ("to", end)):
        try:
            dates.check_day(day)
        except ValidationError as exc:
            problems[name] = exc
    if not problems and end < start:
        problems["to"] = ValidationError(
            _("The period must not end before it starts."), code="period_reversed"
        )
    if problems:
        raise RequestInvalid(error_items(ValidationError(problems), QUERY))
    return registry.Period(start, end)


def explained(result: registry.MetricResult) -> dict[str, Any]:
    """The result in the report's shape, with the definition's name, formula and unit."""
    definition = registry.metric(result.metric)
    return result.as_dict() | {
        "name": str(definition.name),
        "formula": str(definition.formula),
        "unit": str(definition.unit),
    }


@router.get(
    "/metrics/clients",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Every client metric over a period, with its inputs",
    **needs("metrics.view_client_metrics"),
)
def client_metrics(
    request: Any,
    start: dt.date = FROM,
    end: dt.date = TO,
    slice: str | None = SLICE,
) -> list[dict[str, Any]]:
    return _group(registry.CLIENTS, start, end, slice)


@router.get(
    "/metrics/clients/{metric_key}",
    response={200: dict[str, Any], **ERRORS},
    summary="One client metric over a period, with its inputs",
    **needs("metrics.view_client_metrics"),
)
def client_metric(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    slice: str | None = SLICE,
) -> Any:
    return _one(registry.CLIENTS, metric_key, start, end, slice)


def _group(group: str, start: dt.date, end: dt.date, text: str | None) -> list[dict[str, Any]]:
    """Every metric of a group over the period that can be cut by the slice, each with its
    inputs and formula."""
    period = _period(start, end)
    where = parse_slice(text)
    return [
        explained(registry.compute(d.key, period, slice=where))
        for d in registry.metrics(group)
        if where.kind in d.slices
    ]


def _one(group: str, key: str, start: dt.date, end: dt.date, text: str | None) -> dict[str, Any]:
    """One metric of a group (404 for a key the group does not have)."""
    if _definition(key, group) is None:
        raise Http404(_("No such metric."))
    period = _period(start, end)
    return explained(registry.compute(key, period, slice=parse_slice(text, key)))


def _definition(key: str, group: str) -> registry.MetricDefinition | None:
    try:
        definition = registry.metric(key)
    except KeyError:
        return None
    return definition if definition.group == group else None


SURVEY_METRICS = ("metrics.view_client_metrics", "surveys.view_all_responses")
SURVEY = Query(None, description="Count the answers to this survey only (its id).")


def _survey_result(
    key: str, period: registry.Period, survey: int | None, where: Slice
) -> dict[str, Any]:
    try:
        return explained(registry.compute(key, period, survey_id=survey, slice=where))
    except ValueError as exc:  # no such survey, or one of another kind
        problem = ValidationError({"survey": ValidationError(str(exc), code="survey_kind")})
        raise RequestInvalid(error_items(problem, QUERY)) from None


@router.get(
    "/metrics/surveys",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Every survey metric (NPS, CSAT, CES, eNPS) over a period, with n and 95% intervals",
    **needs(*SURVEY_METRICS),
)
def survey_metrics(
    request: Any,
    start: dt.date = FROM,
    end: dt.date = TO,
    slice: str | None = SLICE,
) -> list[dict[str, Any]]:
    period = _period(start, end)
    where = parse_slice(slice)
    return [
        _survey_result(d.key, period, None, where)
        for d in registry.metrics(registry.SURVEYS)
        if where.kind in d.slices
    ]


@router.get(
    "/metrics/surveys/{metric_key}",
    response={200: dict[str, Any], **ERRORS},
    summary="One survey metric over a period, for every survey of its kind or one survey",
    **needs(*SURVEY_METRICS),
)
def survey_metric(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    survey: QueryId | None = SURVEY,
    slice: str | None = SLICE,
) -> Any:
    if _definition(metric_key, registry.SURVEYS) is None:
        raise Http404(_("No such metric."))
    period = _period(start, end)
    return _survey_result(metric_key, period, survey, parse_slice(slice, metric_key))


@router.get(
    "/metrics/desk",
    response={200: list[dict[str, Any]], **ERRORS},
    summary="Every service desk metric over a period, with its inputs",
    **needs("metrics.view_client_metrics"),
)
def desk_metrics(
    request: Any,
    start: dt.date = FROM,
    end: dt.date = TO,
    slice: str | None = SLICE,
) -> list[dict[str, Any]]:
    return _group(registry.DESK, start, end, slice)


@router.get(
    "/metrics/desk/{metric_key}",
    response={200: dict[str, Any], **ERRORS},
    summary="One service desk metric over a period, with its inputs",
    **needs("metrics.view_client_metrics"),
)
def desk_metric(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    slice: str | None = SLICE,
) -> Any:
    return _one(registry.DESK, metric_key, start, end, slice)


BY = Query("month", description="day, week (Monday to Sunday), month or quarter.")


def _trend(
    group: str,
    key: str,
    start: dt.date,
    end: dt.date,
    by: str,
    text: str | None,
    survey: int | None = None,
) -> dict[str, Any]:
    """The metric per calendar bucket of the range; 404 for a key not of the group, 422 for a
    bad range, granularity, slice or survey."""
    if _definition(key, group) is None:
        raise Http404(_("No such metric."))
    period = _period(start, end)
    if by not in trends.GRANULARITIES:
        problem = ValidationError(
            {"by": ValidationError(_("Choose day, week, month or quarter."), code="invalid")}
        )
        raise RequestInvalid(error_items(problem, QUERY))
    where = parse_slice(text, key)
    for field, check in (
        ("by", lambda: trends.buckets(period.start, period.end, by)),  # too many buckets
        ("survey", lambda: trends.trend(key, start, start, by, slice=where, survey_id=survey)),
    ):
        try:
            check()
        except ValueError as exc:  # too many points; a survey of another kind
            problem = ValidationError({field: ValidationError(str(exc), code="invalid")})
            raise RequestInvalid(error_items(problem, QUERY)) from None
    points = trends.trend(key, period.start, period.end, by, slice=where, survey_id=survey)
    return trends.series_dict(key, period.start, period.end, by, points)


@router.get(
    "/metrics/clients/{metric_key}/trend",
    response={200: dict[str, Any], **ERRORS},
    summary="One client metric per day, week, month or quarter of a range",
    **needs("metrics.view_client_metrics"),
)
def client_metric_trend(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    by: str = BY,
    slice: str | None = SLICE,
) -> Any:
    return _trend(registry.CLIENTS, metric_key, start, end, by, slice)


@router.get(
    "/metrics/surveys/{metric_key}/trend",
    response={200: dict[str, Any], **ERRORS},
    summary="One survey metric per day, week, month or quarter of a range",
    **needs(*SURVEY_METRICS),
)
def survey_metric_trend(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    by: str = BY,
    slice: str | None = SLICE,
    survey: QueryId | None = SURVEY,
) -> Any:
    return _trend(registry.SURVEYS, metric_key, start, end, by, slice, survey)


@router.get(
    "/metrics/desk/{metric_key}/trend",
    response={200: dict[str, Any], **ERRORS},
    summary="One service desk metric per day, week, month or quarter of a range",
    **needs("metrics.view_client_metrics"),
)
def desk_metric_trend(
    request: Any,
    metric_key: str,
    start: dt.date = FROM,
    end: dt.date = TO,
    by: str = BY,
    slice: str | None = SLICE,
) -> Any:
    return _trend(registry.DESK, metric_key, start, end, by, slice)


class ClvFitOut(Schema):
    id: int
    created_at: dt.datetime
    calibration_end: dt.date
    unit: str
    currency: str
    horizon_months: int
    discount_percent: int
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n_clients: int
    p: float | None
    q: float | None
    v: float | None
    spend_log_likelihood: float | None
    n_spend_clients: int


class ClientClvOut(Schema):
    client_id: int
    frequency: int
    recency: float
    age: float = Field(description="T: time since the first purchase, in the fit's unit.")
    expected_purchases: float = Field(description="Over the fit's horizon.")
    p_alive: float
    expected_spend: Decimal | None
    clv: Decimal | None


class LatestFitOut(Schema):
    fit: ClvFitOut | None = Field(description="null until the models are first fitted.")


@router.get(
    "/metrics/clv",
    response={200: LatestFitOut, **ERRORS},
    summary="The latest fit of the CLV models: parameters, log-likelihoods, clients",
    **needs("metrics.view_client_metrics"),
)
def clv_fit(request: Any) -> Any:
    return {"fit": selectors.latest_fit()}


@router.get(
    "/metrics/clv/clients",
    response={200: list[ClientClvOut], **ERRORS},
    summary="Each client's predicted figures from the latest fit, highest CLV first",
    **needs("metrics.view_client_metrics"),
)
@paginate(PageNumberPagination, page_size=50)
def clv_clients(request: Any) -> Any:
    fit = selectors.latest_fit()
    # Before the first fit there are no figures: an empty list, not an error.
    return selectors.ranked(fit) if fit is not None else []


# The baselines' operations live in their own module, under the same tag and prefix.
def _add_baselines() -> None:
    from kliento.metrics.api_baselines import router as baselines

    router.add_router("", baselines)


_add_baselines()
