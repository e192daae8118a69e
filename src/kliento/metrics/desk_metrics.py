"""Service desk metrics: response and resolution times, the SLA, escalations, backlog, reopen
and first-contact resolution rates, and the volume per channel.

Read through kliento.desk.selectors only (this module never touches the desk's models), and
registered only when the desk app is installed. Times are wall-clock; medians and 90th
percentiles interpolate linearly between the two nearest cases (as numpy's default). A period
with nothing to compute from has no value (None), never an error.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _

from kliento.desk import selectors as desk
from kliento.metrics import slicing
from kliento.metrics.registry import (
    DESK,
    MetricDefinition,
    MetricResult,
    Period,
    Scope,
    register_metric,
)
from kliento.metrics.slices import CASE_SLICES

DIGITS = 2


def percentile(ordered: list[float], share: float) -> float | None:
    """The `share` quantile (0..1) of sorted values, linear between neighbours; None if empty."""
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _where(scope: Scope) -> desk.CaseFilter | None:
    found: desk.CaseFilter | None = slicing.case_filter(scope.slice)
    return found


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100 * part / whole, DIGITS)


def _times(key: str, period: Period, values: list[float]) -> MetricResult:
    median, p90 = percentile(values, 0.5), percentile(values, 0.9)
    return MetricResult(
        key, period, None, {"n": len(values)}, _r(median), {"median": _r(median), "p90": _r(p90)}
    )


def first_response_time(period: Period, scope: Scope) -> MetricResult:
    minutes = desk.first_response_minutes(period.start, period.end, where=_where(scope))
    return _times("first_response_time", period, minutes)


def resolution_time(period: Period, scope: Scope) -> MetricResult:
    hours = desk.resolution_hours(period.start, period.end, where=_where(scope))
    return _times("resolution_time", period, hours)


def first_response_sla(period: Period, scope: Scope) -> MetricResult:
    found = desk.first_responses_within_sla(period.start, period.end, where=_where(scope))
    inputs = {"within": found.within, "n": found.counted}
    return MetricResult(
        "first_response_sla", period, None, inputs, _share(found.within, found.counted)
    )


def sla_breaches(period: Period, scope: Scope) -> MetricResult:
    by_target = desk.breaches_by_target(period.start, period.end, where=_where(scope))
    total = sum(by_target.values())
    return MetricResult("sla_breaches", period, None, {"by_target": by_target}, total)


def escalations(period: Period, scope: Scope) -> MetricResult:
    # JSON object keys are strings: the levels are written as "1", "2", … in every output.
    found = desk.escalations_by_level(period.start, period.end, where=_where(scope))
    by_level = {str(level): n for level, n in sorted(found.items())}
    return MetricResult("escalations", period, None, {"by_level": by_level}, sum(by_level.values()))


def backlog(period: Period, scope: Scope) -> MetricResult:
    count = desk.backlog_at(period.end, where=_where(scope))
    return MetricResult("backlog", period, None, {"at": period.end.isoformat()}, count)


def reopen_rate(period: Period, scope: Scope) -> MetricResult:
    found = desk.resolutions(period.start, period.end, where=_where(scope))
    inputs = {"reopened": found.reopened, "resolved": found.resolved}
    return MetricResult("reopen_rate", period, None, inputs, _share(found.reopened, found.resolved))


def first_contact_resolution(period: Period, scope: Scope) -> MetricResult:
    found = desk.resolutions(period.start, period.end, where=_where(scope))
    inputs = {"one_reply": found.one_reply, "resolved": found.resolved}
    value = _share(found.one_reply, found.resolved)
    return MetricResult("first_contact_resolution", period, None, inputs, value)


def volume_by_channel(period: Period, scope: Scope) -> MetricResult:
    by_channel = desk.volume_by_channel(period.start, period.end, where=_where(scope))
    return MetricResult(
        "volume_by_channel", period, None, {"by_channel": by_channel}, sum(by_channel.values())
    )


def register() -> None:
    n_answered = ("n", _("cases created in the period that got a first reply"))
    resolved = ("resolved", _("cases resolved in the period"))
    for definition in (
        MetricDefinition(
            key="first_response_time",
            name=_("First response time"),
            formula=_(
                "median of (first reply − opened) over the cases created in the period that got "
                "a reply, wall-clock; p90 beside it"
            ),
            inputs=(n_answered,),
            unit=_("minutes"),
            slices=CASE_SLICES,
            compute=first_response_time,
            group=DESK,
        ),
        MetricDefinition(
            key="resolution_time",
            name=_("Resolution time"),
            formula=_(
                "median of (resolved − opened) over the cases resolved in the period, "
                "wall-clock; p90 beside it"
            ),
            inputs=(("n", _("cases resolved in the period")),),
            unit=_("hours"),
            slices=CASE_SLICES,
            compute=resolution_time,
            group=DESK,
        ),
        MetricDefinition(
            key="first_response_sla",
            name=_("First responses within SLA"),
            formula=_(  # xgettext:no-python-format
                "100 × within / n: first reply at or before its due time, among the cases "
                "created in the period with a due time (unanswered ones once overdue)"
            ),
            inputs=(
                ("within", _("first replies at or before their due time")),
                ("n", _("cases with a first-response due time, answered or overdue")),
            ),
            unit="%",
            slices=CASE_SLICES,
            compute=first_response_sla,
            group=DESK,
        ),
        MetricDefinition(
            key="sla_breaches",
            name=_("SLA breaches"),
            formula=_("breaches recorded in the period, by target"),
            inputs=(("by_target", _("breaches per target")),),
            unit=_("breaches"),
            slices=CASE_SLICES,
            compute=sla_breaches,
            group=DESK,
        ),
        MetricDefinition(
            key="escalations",
            name=_("Escalations"),
            formula=_("escalation steps reached in the period, by level"),
            inputs=(("by_level", _("steps per level")),),
            unit=_("steps"),
            slices=CASE_SLICES,
            compute=escalations,
            group=DESK,
        ),
        MetricDefinition(
            key="backlog",
            name=_("Backlog"),
            formula=_("cases opened by the end of the period and not resolved or closed by then"),
            inputs=(("at", _("the last day of the period")),),
            unit=_("cases"),
            slices=CASE_SLICES,
            compute=backlog,
            group=DESK,
        ),
        MetricDefinition(
            key="reopen_rate",
            name=_("Reopen rate"),
            formula=_(  # xgettext:no-python-format
                "100 × reopened / resolved, over the cases resolved in the period"
            ),
            inputs=(("reopened", _("of them, reopened at least once")), resolved),
            unit="%",
            slices=CASE_SLICES,
            compute=reopen_rate,
            group=DESK,
        ),
        MetricDefinition(
            key="first_contact_resolution",
            name=_("First-contact resolution"),
            formula=_(  # xgettext:no-python-format
                "100 × one_reply / resolved, over the cases resolved in the period"
            ),
            inputs=(("one_reply", _("of them, with exactly one reply to the client")), resolved),
            unit="%",
            slices=CASE_SLICES,
            compute=first_contact_resolution,
            group=DESK,
        ),
        MetricDefinition(
            key="volume_by_channel",
            name=_("Volume by channel"),
            formula=_("cases created in the period, per channel"),
            inputs=(("by_channel", _("cases per channel")),),
            unit=_("cases"),
            slices=CASE_SLICES,
            compute=volume_by_channel,
            group=DESK,
        ),
    ):
        register_metric(definition)
