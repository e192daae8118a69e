"""The dashboards: company, team (or department), employee scorecard, stage and touchpoint.

Who sees what: those with the metrics permission (managers, administrators, auditors) see
every dashboard; anyone else sees their own scorecard, their own team's dashboard, and the
dashboards of the stages and touchpoints they own — each without the levels above it. Any
other address is a 404, as for any object one may not see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.permissions import login_only, require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.metrics import charts, dashboards, exports, registry
from kliento.metrics.dashboards import Level
from kliento.metrics.forms import DashboardForm
from kliento.metrics.registry import Period
from kliento.metrics.rollups import reads
from kliento.metrics.rollups.reads import Cut
from kliento.touchpoints import selectors as touchpoints

VIEW = "metrics.view_client_metrics"


def sees_all(user: Any) -> bool:
    return bool(user.has_perm(VIEW))


def own_unit_id(user_id: int) -> int | None:
    return StaffProfile.objects.filter(user_id=user_id).values_list("unit_id", flat=True).first()


def _params(request: AuthenticatedHttpRequest) -> tuple[DashboardForm, Period | None, Cut, str]:
    default = dashboards.default_period(timezone.localdate())
    initial: dict[str, Any] = {"start": default.start, "end": default.end, "step": "week"}
    # Only the form's own fields bind it: "?export=csv" alone shows the default period.
    given = {k: v for k, v in request.GET.items() if k in DashboardForm.base_fields}
    form = DashboardForm(given or None, initial=initial)
    if form.is_bound and not form.is_valid():
        return form, None, Cut(), "week"
    data: dict[str, Any] = form.cleaned_data if form.is_bound else initial
    cut = Cut(channel=data.get("channel") or None, survey_id=data.get("survey"))
    return form, Period(data["start"], data["end"]), cut, data.get("step") or "week"


def _narrow(cut: Cut, **changes: Any) -> Cut:
    return Cut(**{**cut.__dict__, **changes})


def _company(cut: Cut) -> Level:
    return Level(_("Company"), cut)


def _unit_levels(unit: OrgUnit, cut: Cut, above: bool) -> list[Level]:
    levels = [Level(unit.name, _narrow(cut, team_ids=dashboards.units_under(unit)))]
    if above:
        parent = unit.parent
        while parent is not None and parent.kind != OrgUnit.Kind.COMPANY:
            levels.append(Level(parent.name, _narrow(cut, team_ids=dashboards.units_under(parent))))
            parent = parent.parent
        levels.append(_company(cut))
    return levels


def _trend(key: str, results: list[registry.MetricResult], step: str) -> Any:
    marks = [
        charts.Mark(
            r.period.start.isoformat(),
            r.value if isinstance(r.value, int | float) else None,
            note=f"n = {r.extra.get('n')}",
        )
        for r in results
    ]
    name = str(registry.metric(key).name)
    title = (_("%(metric)s by month") if step == "month" else _("%(metric)s by week")) % {
        "metric": name
    }
    if not any(mark.value is not None for mark in marks):
        return None
    return charts.line(marks, title)


def _distribution(key: str, found: reads.TeamScores) -> list[Any]:
    out = []
    cut = found.cut
    for scale, counts in found.distribution(key).items():
        marks = [
            charts.Mark(str(s), n, dashboards.survey_link(cut, s), f"n = {n}")
            for s, n in counts.items()
        ]
        title = _("%(metric)s answers per score (%(scale)s)") % {
            "metric": str(registry.metric(key).name),
            "scale": scale,
        }
        out.append(charts.columns(marks, title))
    return out


def _team_bars(counts: reads.TeamScores, teams: list[OrgUnit], query: str) -> Any:
    """Per-team bars of the first score that has team figures: NPS answers of relationship
    surveys often belong to no team (decision 0030), and an empty chart explains nothing."""
    for key in ("nps", "csat"):
        found = counts.score_by_team(key)
        marks = [
            charts.Mark(
                t.name,
                v if isinstance(v := found[t.pk].value, int | float) else None,
                reverse("metrics:dashboard_unit", args=[t.pk]) + f"?{query}",
                f"n = {found[t.pk].extra.get('n')}",
            )
            for t in teams
            if t.pk in found
        ]
        if any(mark.value is not None for mark in marks):
            name = str(registry.metric(key).name)
            return charts.bars(marks, _("%(metric)s per team") % {"metric": name})
    return None


def _page(
    request: AuthenticatedHttpRequest,
    *,
    title: str,
    slug: str,
    levels_of: Any,
    teams: list[OrgUnit] | None = None,
) -> HttpResponse:
    form, period, cut, step = _params(request)
    context: dict[str, Any] = {"title": title, "form": form, "period": period}
    if period is None:
        return render(request, "metrics/dashboard.html", context)
    levels: list[Level] = levels_of(cut)
    own = levels[0].cut
    # The page's own slice's score counts per team, read once: its column of the roll-up,
    # the per-team table, the bars and the distributions all come from them.
    counts = reads.team_scores(period, own)
    tables = [dashboards.rollup_table(period, levels, counts)]
    if teams:
        tables.append(dashboards.team_table(period, own, teams, counts))
    fmt = request.GET.get("export")
    if fmt in exports.FORMATS:
        chosen = tables[min(int(request.GET.get("table") or 0), len(tables) - 1)]
        return exports.response(chosen, fmt, slug)
    team_bars = _team_bars(counts, teams, request.GET.urlencode()) if teams else None
    trends = reads.score_trends(("nps", "csat"), period, own, step)
    context.update(
        tables=tables,
        headline=[(label, found[0]) for label, found in tables[0].rows],
        revenue=dashboards.revenue(period, own) if len(levels) == 1 and not own.agent_id else None,
        trends=[
            chart
            for chart in (_trend(key, found, step) for key, found in trends.items())
            if chart is not None
        ],
        distributions=_distribution("nps", counts) + _distribution("csat", counts),
        team_bars=team_bars,
        query=request.GET.urlencode(),
    )
    return render(request, "metrics/dashboard.html", context)


def _teams(under: OrgUnit | None = None) -> list[OrgUnit]:
    qs = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM).order_by("name")
    if under is not None:
        qs = qs.filter(pk__in=dashboards.units_under(under))
    return list(qs)


@require(VIEW)
def company(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(
        request,
        title=_("Company dashboard"),
        slug="company",
        levels_of=lambda cut: [_company(cut)],
        teams=_teams(),
    )


@login_only
def unit(request: AuthenticatedHttpRequest, unit_id: int) -> HttpResponse:
    found = get_object_or_404(OrgUnit, pk=unit_id)
    everything = sees_all(request.user)
    if not everything and own_unit_id(request.user.pk) != found.pk:
        raise Http404
    return _page(
        request,
        title=_("Dashboard: %(unit)s") % {"unit": found.name},
        slug=f"unit-{found.pk}",
        levels_of=lambda cut: _unit_levels(found, cut, everything),
        teams=_teams(found) if everything and found.kind != OrgUnit.Kind.TEAM else None,
    )


@login_only
def employee(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    everything = sees_all(request.user)
    if not everything and user_id != request.user.pk:
        raise Http404
    person = get_object_or_404(get_user_model(), pk=user_id, is_active=True)
    unit_id = own_unit_id(person.pk)
    team = OrgUnit.objects.filter(pk=unit_id).first() if unit_id else None

    def levels_of(cut: Cut) -> list[Level]:
        mine = Level(
            person.get_full_name() or person.get_username(), _narrow(cut, agent_id=user_id)
        )
        if team is None:
            return [mine, _company(cut)] if everything else [mine]
        return [mine, *_unit_levels(team, cut, everything)]

    return _page(
        request,
        title=_("Scorecard: %(name)s") % {"name": person.get_full_name() or person.get_username()},
        slug=f"employee-{user_id}",
        levels_of=levels_of,
    )


def _owned(request: AuthenticatedHttpRequest, owner_id: int) -> None:
    if not sees_all(request.user) and owner_id != request.user.pk:
        raise Http404


@login_only
def stage(request: AuthenticatedHttpRequest, stage_id: int) -> HttpResponse:
    found = touchpoints.stages().filter(pk=stage_id).first()
    if found is None:
        raise Http404
    _owned(request, found.owner_id)
    everything = sees_all(request.user)
    return _page(
        request,
        title=_("Stage dashboard: %(stage)s") % {"stage": touchpoints.stage_label(found)},
        slug=f"stage-{stage_id}",
        levels_of=lambda cut: [
            Level(touchpoints.stage_label(found), _narrow(cut, stage_id=stage_id)),
            *([_company(cut)] if everything else []),
        ],
    )


@login_only
def touchpoint(request: AuthenticatedHttpRequest, touchpoint_id: int) -> HttpResponse:
    found = touchpoints.touchpoint(touchpoint_id)
    if found is None:
        raise Http404
    _owned(request, found.owner_id)
    everything = sees_all(request.user)
    return _page(
        request,
        title=_("Touchpoint dashboard: %(touchpoint)s") % {"touchpoint": found.name},
        slug=f"touchpoint-{touchpoint_id}",
        levels_of=lambda cut: [
            Level(found.name, _narrow(cut, touchpoint_id=touchpoint_id)),
            *([_company(cut)] if everything else []),
        ],
    )


@login_only
def my_scorecard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The menu's "My scorecard": one's own, at the address every scorecard has."""
    return redirect("metrics:dashboard_employee", user_id=request.user.pk)
