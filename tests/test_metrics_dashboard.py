"""The dashboards' daily rollups: a metric read from them equals the metric from the raw rows
(a property test over random answers, cases, purchases, periods and slices), late-arriving and
changed rows land in their day, a rerun changes nothing, two workers never rebuild one day
twice at once; and the dashboard, its export, the API and `kliento report` agree."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kliento.clients.models import Purchase
from kliento.core.models import OrgUnit
from kliento.desk.models import Case
from kliento.metrics import survey_metrics
from kliento.metrics.registry import ChurnRule, Period, Scope, compute
from kliento.metrics.rollup_models import CaseTeamDay, DirtyDay, SurveyDay, SurveyTeamDay
from kliento.metrics.rollups import build, reads
from kliento.metrics.rollups.reads import Cut
from kliento.surveys import selectors as surveys
from kliento.surveys.models import Response
from tests.api_support import api_as
from tests.factories import ClientFactory, UserFactory
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db

START = dt.date(2025, 3, 1)
OF = {"nps": survey_metrics.nps_of, "csat": survey_metrics.csat_of, "ces": survey_metrics.ces_of}


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def raw_score(key: str, period: Period, cut: Cut):
    """The metric straight from the answers, narrowed like the cut (independent of rollups)."""
    qs = Response.objects.filter(
        survey__kind=key,
        score__isnull=False,
        submitted_at__date__gte=period.start,
        submitted_at__date__lte=period.end,
    )
    if cut.team_ids is not None:
        qs = qs.filter(team_id__in=cut.team_ids)
    if cut.agent_id is not None:
        qs = qs.filter(agent_id=cut.agent_id)
    if cut.channel is not None:
        qs = qs.filter(channel=cut.channel)
    rows = (
        qs.values_list("survey__scale", "survey__direction", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    return OF[key](surveys.score_groups(key, rows), period, Scope(ChurnRule()))


def raw_cases(period: Period, cut: Cut) -> tuple[int, int]:
    live = Case.objects.filter(merged_into__isnull=True)
    narrow = Q()
    if cut.team_ids is not None:
        narrow &= Q(team_id__in=cut.team_ids)
    if cut.agent_id is not None:
        narrow &= Q(assignee_id=cut.agent_id)
    if cut.channel is not None:
        narrow &= Q(channel=cut.channel)
    opened = live.filter(
        narrow, created_at__date__gte=period.start, created_at__date__lte=period.end
    ).count()
    resolved = live.filter(
        narrow, resolved_at__date__gte=period.start, resolved_at__date__lte=period.end
    ).count()
    return opened, resolved


@pytest.fixture
def world(db):
    company = OrgUnit.objects.create(name="Acme", kind=OrgUnit.Kind.COMPANY)
    dept = OrgUnit.objects.create(name="Service", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
    teams = [
        OrgUnit.objects.create(name=f"Team {i}", kind=OrgUnit.Kind.TEAM, parent=dept)
        for i in range(2)
    ]
    agents = [UserFactory(username=f"ag{i}") for i in range(2)]
    kinds = {
        "nps": make_survey("nps"),
        "csat": make_survey("csat"),
        "ces": make_survey("ces", scale="1-7"),
    }
    return {
        "dept": dept,
        "teams": teams,
        "agents": agents,
        "surveys": kinds,
        "client": ClientFactory(),
    }


answers = st.lists(
    st.tuples(
        st.sampled_from(["nps", "csat", "ces"]),
        st.integers(0, 20),  # day offset
        st.integers(0, 10),  # score (clipped to the scale below)
        st.integers(0, 2),  # team index (2: none)
        st.integers(0, 2),  # agent index (2: none)
        st.sampled_from(["email", "phone"]),
    ),
    max_size=40,
)
cases = st.lists(
    st.tuples(st.integers(0, 20), st.one_of(st.none(), st.integers(0, 10)), st.integers(0, 2)),
    max_size=10,
)
cuts = st.tuples(
    st.integers(0, 3),  # 0 company, 1 team 0, 2 department, 3 agent 0
    st.sampled_from([None, "email"]),
    st.integers(0, 20),
    st.integers(0, 20),
)
TOP = {"nps": 10, "csat": 5, "ces": 7}
BOTTOM = {"nps": 0, "csat": 1, "ces": 1}


def _load(world, given_answers, given_cases) -> None:
    Response.objects.all().delete()
    Case.objects.all().delete()
    pick = lambda items, i: items[i] if i < len(items) else None  # noqa: E731
    Response.objects.bulk_create(
        Response(
            survey=world["surveys"][kind],
            client=world["client"],
            channel=channel,
            score=min(max(score, BOTTOM[kind]), TOP[kind]),
            submitted_at=at(START + dt.timedelta(days=day)),
            team=pick(world["teams"], team),
            agent=pick(world["agents"], agent),
        )
        for kind, day, score, team, agent, channel in given_answers
    )
    for day, resolved_after, team in given_cases:
        opened = at(START + dt.timedelta(days=day), 9)
        Case.objects.create(
            subject="s",
            client=world["client"],
            channel="email",
            team=pick(world["teams"], team),
            created_at=opened,
            updated_at=opened,
            resolved_at=None
            if resolved_after is None
            else opened + dt.timedelta(days=resolved_after),
        )


def _cut(world, which: int, channel: str | None) -> Cut:
    teams = world["teams"]
    return [
        Cut(channel=channel),
        Cut(team_ids=(teams[0].pk,), channel=channel),
        Cut(team_ids=(world["dept"].pk, *(t.pk for t in teams)), channel=channel),
        Cut(agent_id=world["agents"][0].pk, channel=channel),
    ][which]


@hsettings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(given_answers=answers, given_cases=cases, cut=cuts)
def test_rollup_equals_raw(world, given_answers, given_cases, cut):
    _load(world, given_answers, given_cases)
    build.rebuild_all()
    which, channel, a, b = cut
    period = Period(START + dt.timedelta(days=min(a, b)), START + dt.timedelta(days=max(a, b)))
    chosen = _cut(world, which, channel)
    for key in reads.SCORES:
        got, want = reads.score(key, period, chosen), raw_score(key, period, chosen)
        assert got.as_dict() == want.as_dict()
        assert got.exact == pytest.approx(want.exact)
    found = reads.cases(period, chosen)
    assert (found.opened, found.resolved) == raw_cases(period, chosen)
    # The dashboard's grouped reads: all three scores in one query, and per team in one query
    # (the per-team table), each equal to the raw figures of that team.
    together = reads.scores(period, chosen)
    for key in reads.SCORES:
        assert together[key].as_dict() == raw_score(key, period, chosen).as_dict()
    ids = [t.pk for t in world["teams"]]
    within = replace(chosen, team_ids=tuple(ids))
    by_team = reads.scores_by_team(period, within, ids)
    case_by_team = reads.cases_by_team(period, within, ids)
    for team in ids:
        one = replace(chosen, team_ids=(team,))
        for key in reads.SCORES:
            assert by_team[team][key].as_dict() == raw_score(key, period, one).as_dict()
        assert (case_by_team[team].opened, case_by_team[team].resolved) == raw_cases(period, one)
    # The page's one read of its slice's counts per team: its scores, the per-team table, the
    # score per team and the distributions derived from it equal the separate reads above.
    counts = reads.team_scores(period, chosen)
    for key in reads.SCORES:
        assert counts.scores()[key].as_dict() == together[key].as_dict()
        assert counts.distribution(key) == reads.distribution(key, period, chosen)
        assert {t: r.as_dict() for t, r in counts.score_by_team(key).items()} == {
            t: r.as_dict() for t, r in reads.score_by_team(key, period, chosen).items()
        }
    per_team = reads.team_scores(period, within).by_team(ids)
    for team in ids:
        for key in reads.SCORES:
            assert per_team[team][key].as_dict() == by_team[team][key].as_dict()
    both = reads.score_trends(("nps", "csat"), period, chosen)
    for key in ("nps", "csat"):
        assert [r.as_dict() for r in both[key]] == [
            r.as_dict() for r in reads.score_trend(key, period, chosen)
        ]


def test_late_and_changed_rows_land_in_their_day_and_a_rerun_changes_nothing(world):
    survey = world["surveys"]["nps"]
    client = world["client"]
    first = Response.objects.create(
        survey=survey, client=client, channel="email", score=10, submitted_at=at(START)
    )
    build.refresh()
    period = Period(START, START + dt.timedelta(days=30))
    assert reads.score("nps", period, Cut()).value == 100.0
    rows = list(SurveyDay.objects.values_list("day", "score", "n"))
    # A rerun with nothing new (it looks ten minutes back again, so it may redo the day)
    # writes the same rows, and leaves no day dirty.
    build.refresh()
    build.process_dirty()
    assert list(SurveyDay.objects.values_list("day", "score", "n")) == rows
    assert not DirtyDay.objects.exists()
    # An answer arriving late for an old day, and an edit of the first one.
    Response.objects.create(
        survey=survey,
        client=client,
        channel="email",
        score=0,
        submitted_at=at(START + dt.timedelta(days=3)),
        updated_at=timezone.now(),
    )
    Response.objects.filter(pk=first.pk).update(score=8, updated_at=timezone.now())
    build.refresh()
    got = reads.score("nps", period, Cut())
    assert got.as_dict() == compute("nps", period).as_dict()
    assert (got.extra["promoters"], got.extra["passives"], got.extra["detractors"]) == (0, 1, 1)
    assert not DirtyDay.objects.exists()


def test_rebuilding_a_day_twice_gives_the_same_rows(world):
    Response.objects.create(
        survey=world["surveys"]["csat"],
        client=world["client"],
        channel="email",
        score=4,
        submitted_at=at(START),
    )
    build.rebuild_day("surveys", START)
    build.rebuild_day("surveys", START)
    assert SurveyDay.objects.filter(day=START).aggregate(n=Sum("n"))["n"] == 1
    assert SurveyTeamDay.objects.filter(day=START).aggregate(n=Sum("n"))["n"] == 1
    opened = at(START, 9)
    Case.objects.create(
        subject="s",
        client=world["client"],
        channel="email",
        team=world["teams"][0],
        created_at=opened,
        updated_at=opened,
        resolved_at=opened + dt.timedelta(hours=2),
    )
    build.rebuild_day("cases", START)
    build.rebuild_day("cases", START)
    per_team = CaseTeamDay.objects.filter(day=START).aggregate(o=Sum("opened"), r=Sum("resolved"))
    assert per_team == {"o": 1, "r": 1}
    assert CaseTeamDay.objects.get(day=START).team_id == world["teams"][0].pk


def test_purchases_rollup_equals_raw(world):
    client = world["client"]
    for day, amount in [(0, "10.50"), (0, "4.50"), (5, "100.00")]:
        Purchase.objects.create(
            client=client,
            occurred_on=START + dt.timedelta(days=day),
            amount=Decimal(amount),
            currency="EUR",
        )
    Purchase.objects.create(client=client, occurred_on=START, amount=Decimal(7), currency="USD")
    build.refresh()
    got = reads.purchases(Period(START, START + dt.timedelta(days=4)), Cut(), "EUR")
    assert (got.n, got.revenue, got.amount_sq) == (2, Decimal("15.00"), pytest.approx(130.5))
    # A purchase recorded today for an old day is counted after the next run.
    Purchase.objects.create(client=client, occurred_on=START, amount=Decimal(1), currency="EUR")
    build.refresh()
    assert reads.purchases(Period(START, START), Cut(), "EUR").n == 3


def _report(key: str, period: Period, *more: str) -> dict:
    out = StringIO()
    call_command(
        "report",
        key,
        *more,
        "--from",
        str(period.start),
        "--to",
        str(period.end),
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def test_dashboard_export_api_and_report_agree(world, manager, as_manager):
    client = world["client"]
    for kind, scores in {"nps": [10, 9, 7, 3, 10], "csat": [5, 4, 2], "ces": [1, 2, 7]}.items():
        Response.objects.bulk_create(
            Response(
                survey=world["surveys"][kind],
                client=client,
                channel="email",
                score=s,
                submitted_at=at(START + dt.timedelta(days=i)),
            )
            for i, s in enumerate(scores)
        )
    build.refresh()
    period = Period(START, START + dt.timedelta(days=27))
    query = {"start": period.start, "end": period.end}
    page = as_manager.get(reverse("metrics:dashboard"), query)
    assert page.status_code == 200
    exported = as_manager.get(reverse("metrics:dashboard"), {**query, "export": "csv"})
    lines = exported.content.decode("utf-8-sig").splitlines()
    by_name = {line.split(",")[0]: line.split(",")[1:] for line in lines[1:]}
    api = api_as(manager)
    for key, name in (("nps", "NPS"), ("csat", "CSAT"), ("ces", "CES")):
        want = _report(key, period)
        shown = page.context["tables"][0].rows
        figure = next(found[0] for label, found in shown if str(label) == name)
        assert figure.value == want["value"] and figure.n == want["n"]
        assert float(by_name[name][0]) == want["value"] and int(by_name[name][1]) == want["n"]
        from_api = api.get(f"/metrics/surveys/{key}", {"from": period.start, "to": period.end})
        assert from_api.status_code == 200, from_api.content
        assert from_api.json()["value"] == want["value"]


def test_a_team_figure_agrees_with_the_sliced_api_and_report(world, manager, as_manager):
    team = world["teams"][0]
    Response.objects.bulk_create(
        Response(
            survey=world["surveys"]["nps"],
            client=world["client"],
            channel="email",
            score=s,
            team=team if i % 2 else None,
            submitted_at=at(START + dt.timedelta(days=i)),
        )
        for i, s in enumerate([10, 9, 0, 8, 10, 3, 9])
    )
    build.refresh()
    period = Period(START, START + dt.timedelta(days=27))
    page = as_manager.get(
        reverse("metrics:dashboard_unit", args=[team.pk]),
        {"start": period.start, "end": period.end},
    )
    figure = dict(page.context["tables"][0].rows)["NPS"][0]
    want = _report("nps", period, "--slice", f"team:{team.pk}")
    assert (figure.value, figure.n) == (want["value"], want["n"]) and want["n"] == 3
    from_api = api_as(manager).get(
        "/metrics/surveys/nps",
        {"from": period.start, "to": period.end, "slice": f"team:{team.pk}"},
    )
    assert from_api.json()["value"] == figure.value
