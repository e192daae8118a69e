"""What a dashboard shows: its roll-up table (the same metrics for the dashboard's own slice
and each level above it), the table per team, and the charts' series — all from the daily
rollups (kliento.metrics.rollups.reads), each figure with what explains it and where its
records are listed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kliento.core.models import OrgUnit
from kliento.metrics import registry
from kliento.metrics.registry import Period
from kliento.metrics.rollups import reads
from kliento.metrics.rollups.reads import Cut

CASE_FORMULAS = {
    "cases_opened": _("cases opened in the period (merged cases not counted)"),
    "cases_resolved": _("cases resolved in the period"),
    "first_response_hours": _("Σ (first response − opened) / cases with a first response, hours"),
}
CASE_NAMES = {
    "cases_opened": _("Cases opened"),
    "cases_resolved": _("Cases resolved"),
    "first_response_hours": _("Mean first response (hours)"),
}
ROW_KEYS = (*reads.SCORES, *CASE_NAMES)


@dataclass
class Figure:
    """One number on a dashboard, with its explanation and drill-down link."""

    key: str
    value: float | int | None
    formula: str | Promise
    n: int | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    indicative: bool = False
    inputs: dict[str, Any] = field(default_factory=dict)
    link: str = ""
    unit: str | Promise = ""  # shown beside the value: "% satisfied" is not a mean score

    @property
    def interval(self) -> str:
        if self.ci_low is None or self.ci_high is None:
            return ""
        return f"{self.ci_low} … {self.ci_high}"


@dataclass
class Level:
    """A column of the roll-up: a named slice."""

    label: str
    cut: Cut
    link: str = ""


def _score_figure(key: str, result: registry.MetricResult, link: str) -> Figure:
    extra = result.extra
    value = result.value if isinstance(result.value, int | float) else None
    return Figure(
        key=key,
        value=value,
        formula=registry.metric(key).formula,
        n=int(extra.get("n") or 0),
        ci_low=extra.get("ci_low"),  # type: ignore[arg-type]
        ci_high=extra.get("ci_high"),  # type: ignore[arg-type]
        indicative=bool(extra.get("indicative")),
        inputs={k: v for k, v in result.inputs.items() if k not in ("survey", "min_n")},
        link=link,
        unit=registry.metric(key).unit,
    )


def survey_link(cut: Cut, score: int | None = None) -> str:
    """The answers behind a score: the survey's own list (filtered by score), or the surveys."""
    if cut.survey_id is None:
        return reverse("surveys:list")
    query = f"?{urlencode({'score': score})}" if score is not None else ""
    return reverse("surveys:detail", args=[cut.survey_id]) + query


def case_link(cut: Cut, queue: str = "all") -> str:
    params: dict[str, Any] = {"queue": queue}
    if cut.team_ids is not None and len(cut.team_ids) == 1:
        params["team"] = cut.team_ids[0]
    if cut.agent_id is not None:
        params["assignee"] = cut.agent_id
    if cut.channel is not None:
        params["channel"] = cut.channel
    return reverse("desk:queue") + "?" + urlencode(params)


def figures(period: Period, cut: Cut) -> dict[str, Figure]:
    """Every dashboard metric for one slice: two queries (scores, cases)."""
    return _figures(cut, reads.scores(period, cut), reads.cases(period, cut))


def _figures(
    cut: Cut, results: dict[str, registry.MetricResult], found: reads.CaseFigures
) -> dict[str, Figure]:
    out = {key: _score_figure(key, results[key], survey_link(cut)) for key in reads.SCORES}
    opened_link, done_link = case_link(cut), case_link(cut, "done")
    out["cases_opened"] = Figure(
        "cases_opened",
        found.opened,
        CASE_FORMULAS["cases_opened"],
        n=found.opened,
        link=opened_link,
    )
    out["cases_resolved"] = Figure(
        "cases_resolved",
        found.resolved,
        CASE_FORMULAS["cases_resolved"],
        n=found.resolved,
        link=done_link,
    )
    out["first_response_hours"] = Figure(
        "first_response_hours",
        found.mean_first_response_hours,
        CASE_FORMULAS["first_response_hours"],
        n=found.responded,
        inputs={"responded": found.responded, "response_seconds": round(found.response_seconds)},
        link=done_link,
    )
    return out


def row_name(key: str) -> str | Promise:
    return CASE_NAMES[key] if key in CASE_NAMES else registry.metric(key).name


@dataclass
class Table:
    """A dashboard table: a header and rows of (label, figures); what the export writes."""

    title: str | Promise
    header: list[str | Promise]
    rows: list[tuple[str | Promise, list[Figure | None]]]


def rollup_table(period: Period, levels: list[Level], own: reads.TeamScores | None = None) -> Table:
    """The same metrics at every level (employee → team → department → company); the first
    level's scores from `own` when the page has read them already."""
    columns = [
        _figures(level.cut, own.scores(), reads.cases(period, level.cut))
        if own is not None and i == 0
        else figures(period, level.cut)
        for i, level in enumerate(levels)
    ]
    return Table(
        title=_("Roll-up"),
        header=[_("Metric"), *[level.label for level in levels]],
        rows=[(row_name(key), [col[key] for col in columns]) for key in ROW_KEYS],
    )


def units_under(unit: OrgUnit) -> tuple[int, ...]:
    """The unit and every unit below it: a department's answers are its teams'."""
    found, frontier = [unit.pk], [unit.pk]
    while frontier:
        frontier = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        found += frontier
    return tuple(found)


def team_table(
    period: Period, cut: Cut, teams: list[OrgUnit], counts: reads.TeamScores | None = None
) -> Table:
    """One row per team: the same metrics, each team narrowed further by the dashboard's cut
    (`counts`: the cut's score counts per team, when the page has read them already)."""
    # One grouped query per figure set (scores, cases) for all teams, not a query per team.
    ids = [team.pk for team in teams]
    within = Cut(**{**cut.__dict__, "team_ids": tuple(ids)})
    scores = (counts or reads.team_scores(period, within)).by_team(ids)
    cases = reads.cases_by_team(period, within, ids)
    rows: list[tuple[str | Promise, list[Figure | None]]] = []
    for team in teams:
        own = Cut(**{**cut.__dict__, "team_ids": (team.pk,)})
        found = _figures(own, scores[team.pk], cases[team.pk])
        rows.append((team.name, [found[key] for key in ROW_KEYS]))
    return Table(
        title=_("Per team"), header=[_("Team"), *[row_name(k) for k in ROW_KEYS]], rows=rows
    )


def revenue(period: Period, cut: Cut) -> Figure:
    """Revenue in the default currency (the company's; other currencies are not added)."""
    currency = settings.KLIENTO_DEFAULT_CURRENCY
    found = reads.purchases(period, cut, currency)
    return Figure(
        "revenue",
        float(found.revenue),
        _("Σ purchase amounts in the period, one currency"),
        n=found.n,
        inputs={
            "currency": currency,
            "purchases": found.n,
            "average_check": float(found.average_check or Decimal(0)),
        },
        link=reverse("metrics:key_clients")
        + "?"
        + urlencode({"start": period.start, "end": period.end, "currency": currency}),
    )


def default_period(today: dt.date) -> Period:
    """The last 12 full weeks and this one."""
    monday = today - dt.timedelta(days=today.weekday())
    return Period(monday - dt.timedelta(weeks=12), today)
