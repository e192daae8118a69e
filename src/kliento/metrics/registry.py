"""The metric layer's one list of metrics: what each one is, and how it is computed.

Each definition names the metric (`key`, `name`), says how it is computed (`formula`, shown in
the "explain" block beside every number), lists its inputs and unit, the slices it can be cut
by, and holds the function that computes it for a period. The page, the API and `kliento report`
all read this registry, so a number is the same wherever it is shown. Sources of metrics
(clients now; cases, surveys and journeys as they land) add their definitions with
`register_metric` from their registrations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from kliento.metrics.slices import COMPANY, Slice

UNBOUNDED = "unbounded"

# What a value can be: a number, "unbounded" (a lifetime when nobody left), or None when the
# period gives nothing to compute it from (no clients at its start, no purchases).
Value = float | int | str | None


@dataclass(frozen=True)
class ChurnRule:
    """When a client counts as lost: when marked as left (inactive_days None), or after
    `inactive_days` without a purchase (kliento.clients.selectors.cohorts has the details)."""

    inactive_days: int | None = None

    @property
    def key(self) -> str:
        return "left" if self.inactive_days is None else f"inactivity_{self.inactive_days}d"

    def describe(self) -> str:
        if self.inactive_days is None:
            return _("A client is lost on the day it is marked as left.")
        return _(
            "A client is lost %(days)d days after its last purchase (or on the day it is "
            "marked as left, if that comes first)."
        ) % {"days": self.inactive_days}

    @classmethod
    def configured(cls) -> ChurnRule:
        """The company's rule: KLIENTO_CHURN_INACTIVE_DAYS (0: "left")."""
        days = getattr(settings, "KLIENTO_CHURN_INACTIVE_DAYS", 0)
        return cls(inactive_days=days or None)


def _add_months(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """From the start of `start` to the end of `end`, both included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float:
        """Calendar months: whole months from the start, then the rest as a fraction of the
        month it falls in (a calendar year is exactly 12, a quarter 3)."""
        stop = self.end + dt.timedelta(days=1)
        whole = (stop.year - self.start.year) * 12 + stop.month - self.start.month
        while whole > 0 and _add_months(self.start, whole) > stop:
            whole -= 1
        reached = _add_months(self.start, whole)
        following = _add_months(self.start, whole + 1)
        return whole + (stop - reached).days / (following - reached).days


@dataclass
class MetricResult:
    metric: str
    period: Period
    rule: str | None  # the churn rule used; None for metrics that do not depend on one
    inputs: dict[str, Any]
    value: Value
    extra: dict[str, Value] = field(default_factory=dict)
    # Unrounded figures a comparison with a baseline needs (a mean and its standard deviation);
    # not part of the JSON, which shows rounded figures.
    exact: dict[str, float] = field(default_factory=dict)
    # Which part of the company the figure is for; set by compute(). The JSON names it only
    # when it is not the whole company, so the single-period shape stays as it was.
    slice: Slice = COMPANY

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `kliento report --format json`."""
        out: dict[str, Any] = {
            "metric": self.metric,
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
        }
        if not self.slice.is_company:
            out["slice"] = str(self.slice)
        if self.rule is not None:
            out["rule"] = self.rule
        out["inputs"] = self.inputs
        out["value"] = self.value
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Scope:
    """What a metric is narrowed by besides the period: the churn rule (client metrics), for
    survey metrics one survey (None: every survey of the metric's kind), and the slice of the
    company (kliento.metrics.slices; the whole company by default)."""

    rule: ChurnRule
    survey_id: int | None = None
    slice: Slice = COMPANY


Compute = Callable[[Period, Scope], MetricResult]

CLIENTS = "clients"
SURVEYS = "surveys"
DESK = "desk"


@dataclass(frozen=True)
class MetricDefinition:
    key: str
    name: str | Promise
    formula: str | Promise
    inputs: tuple[tuple[str, str | Promise], ...]  # (input key, what it is)
    unit: str | Promise
    compute: Compute
    # The slice kinds (kliento.metrics.slices.KINDS) the metric can be computed for; compute()
    # refuses any other rather than return the company's figure under a team's name.
    slices: tuple[str, ...] = ("company",)
    uses_rule: bool = False
    # Which page and API list the metric: the client, survey or service desk metrics.
    group: str = CLIENTS
    # The metric can be narrowed to one survey (Scope.survey_id).
    by_survey: bool = False


_metrics: dict[str, MetricDefinition] = {}


def register_metric(definition: MetricDefinition) -> None:
    known = _metrics.get(definition.key)
    if known is not None and known.compute is not definition.compute:
        raise ValueError(f"Metric {definition.key!r} is registered twice")
    _metrics[definition.key] = definition


def metric(key: str) -> MetricDefinition:
    """The definition; KeyError for an unknown key."""
    return _metrics[key]


def metrics(group: str | None = None) -> list[MetricDefinition]:
    return [d for d in _metrics.values() if group is None or d.group == group]


def supports(key: str, slice: Slice) -> bool:
    return slice.kind in _metrics[key].slices


def compute(
    key: str,
    period: Period,
    rule: ChurnRule | None = None,
    *,
    survey_id: int | None = None,
    slice: Slice | None = None,
) -> MetricResult:
    """The metric over the period for the slice (None: the company); `survey_id` only for a
    metric that is `by_survey`, a slice only of a kind the metric supports (ValueError
    otherwise: a figure silently not narrowed would be a wrong figure)."""
    definition = _metrics[key]
    if survey_id is not None and not definition.by_survey:
        raise ValueError(f"Metric {key!r} cannot be narrowed to one survey")
    slice = slice or COMPANY
    if slice.kind not in definition.slices:
        raise ValueError(f"Metric {key!r} cannot be computed for a {slice.kind} slice")
    result = definition.compute(period, Scope(rule or ChurnRule.configured(), survey_id, slice))
    result.slice = slice
    return result
