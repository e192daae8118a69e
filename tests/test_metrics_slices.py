"""Slices of the metric layer on hand-computed fixtures: the client metrics by segment, account
manager, team and department (a department includes its teams), journey stage and pilot; the
survey and desk metrics by their own attribution; an empty slice; an unsupported slice refused
(never the company's figure); the `slice` parameter of the API and `kliento report`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kliento.clients.models import Client
from kliento.core import roles
from kliento.core.models import OrgUnit, StaffProfile
from kliento.journeys.models import StageMove
from kliento.metrics import slicing
from kliento.metrics.registry import Period, compute
from kliento.metrics.slices import COMPANY, KINDS, Slice, kind_choices
from kliento.policy import services as policy
from kliento.surveys.models import Response, StaffAnswer
from tests.api_support import api_as, error_locs
from tests.factories import PurchaseFactory, SegmentFactory, UserFactory
from tests.journeys_helpers import make_journey
from tests.policy_support import draft_policy
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db

YEAR = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
SINCE = dt.date(2024, 1, 1)


def aware(*args: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


# Syntax: no database.


def test_parse_and_print():
    assert Slice.parse("team:12") == Slice("team", 12)
    assert Slice.parse("channel:email") == Slice("channel", "email")
    assert Slice.parse("") == Slice.parse(None) == Slice.parse("company") == COMPANY
    assert str(Slice("nonpilot", 3)) == "nonpilot:3" and str(COMPANY) == "company"
    for bad in ("team", "team:", "team:abc", "team:-1", "team:0", "bogus:1", "channel:E M", "x"):
        with pytest.raises(ValueError):
            Slice.parse(bad)
    with pytest.raises(ValueError):
        Slice("company", 1)
    assert [k for k, _label in kind_choices(("team", "company"))] == ["company", "team"]
    assert list(KINDS)[0] == "company"


# The organisation and the clients: every figure below is counted by hand.


@pytest.fixture
def org(db):
    company = OrgUnit.objects.create(name="Co", kind="company")
    dept = OrgUnit.objects.create(name="Service", kind="department", parent=company)
    t1 = OrgUnit.objects.create(name="Front", kind="team", parent=dept)
    t2 = OrgUnit.objects.create(name="Back", kind="team", parent=dept)
    empty = OrgUnit.objects.create(name="Nobody", kind="team", parent=dept)
    m1, m2, m3 = (UserFactory(username=f"m{i}", role=roles.AGENT) for i in (1, 2, 3))
    StaffProfile.objects.update_or_create(user=m1, defaults={"unit": t1})
    StaffProfile.objects.update_or_create(user=m2, defaults={"unit": t2})
    segment = SegmentFactory()

    def client(name, manager, *, since=SINCE, left=None, segment=None):
        return Client.objects.create(
            name=name,
            account_manager=manager,
            client_since=since,
            status="left" if left else "active",
            left_on=left,
            segment=segment,
        )

    c = {
        "a": client("A", m1, segment=segment),
        "b": client("B", m1, left=dt.date(2025, 6, 1)),
        "c": client("C", m2, segment=segment),
        "d": client("D", m2, since=dt.date(2025, 3, 1)),
        "e": client("E", m3, left=dt.date(2025, 2, 1), segment=segment),
    }
    PurchaseFactory(client=c["a"], occurred_on=dt.date(2025, 3, 3), amount="100.00")
    PurchaseFactory(client=c["c"], occurred_on=dt.date(2025, 4, 3), amount="50.00")
    PurchaseFactory(client=c["b"], occurred_on=dt.date(2024, 12, 3), amount="30.00")
    return {
        "company": company,
        "dept": dept,
        "t1": t1,
        "t2": t2,
        "empty": empty,
        "m1": m1,
        "m2": m2,
        "m3": m3,
        "segment": segment,
        "clients": c,
    }


def churn(s: Slice) -> tuple[int, int, int, float | None]:
    r = compute("churn", YEAR, slice=s)
    return r.inputs["n_start"], r.inputs["n_retained"], r.inputs["n_new_excluded"], r.value


def test_client_metrics_by_unit_employee_and_segment(org):
    assert churn(COMPANY) == (4, 2, 1, 0.5)
    assert churn(Slice("team", org["t1"].pk)) == (2, 1, 0, 0.5)
    assert churn(Slice("team", org["t2"].pk)) == (1, 1, 1, 0.0)
    # The department holds both teams (a, b, c and the new d).
    assert churn(Slice("department", org["dept"].pk)) == (3, 2, 1, round(1 / 3, 6))
    assert churn(Slice("employee", org["m3"].pk)) == (1, 0, 0, 1.0)
    assert churn(Slice("segment", org["segment"].pk)) == (3, 2, 0, round(1 / 3, 6))
    revenue = {
        k: compute("revenue", YEAR, slice=Slice("team", org[k].pk)).value for k in ("t1", "t2")
    }
    assert revenue == {"t1": "100.00", "t2": "50.00"}
    assert compute("revenue", YEAR, slice=Slice("department", org["dept"].pk)).value == "150.00"
    r = compute("churn", YEAR, slice=Slice("team", org["t2"].pk))
    assert r.extra["lifetime_periods"] == "unbounded"
    assert r.as_dict()["slice"] == f"team:{org['t2'].pk}"
    assert "slice" not in compute("churn", YEAR).as_dict()  # the company's shape is unchanged


def test_an_empty_slice_has_no_value_not_the_company_figure(org):
    empty = Slice("team", org["empty"].pk)
    assert churn(empty) == (0, 0, 0, None)
    assert compute("active", YEAR, slice=empty).value == 0
    assert compute("revenue", YEAR, slice=empty).value == "0.00"
    assert compute("nps", YEAR, slice=empty).value is None


def test_stage_slice_counts_clients_at_the_stage_during_the_period(org):
    _journey, stages = make_journey()
    x, y = stages["Awareness"], stages["Purchase"]
    c = org["clients"]

    def move(client, to, when, came_from=None):
        StageMove.objects.create(
            client=client, journey=x.journey, from_stage=came_from, to_stage=to, moved_at=when
        )

    move(c["a"], x, aware(2024, 6, 1))
    move(c["b"], x, aware(2025, 4, 1))  # arrives during the period
    move(c["c"], x, aware(2024, 6, 1))
    move(c["c"], y, aware(2024, 12, 1), x)  # left x before the period
    assert churn(Slice("stage", x.pk)) == (2, 1, 0, 0.5)
    assert churn(Slice("stage", y.pk)) == (1, 1, 0, 0.0)


def test_pilot_and_the_rest(org, manager):
    a = org["clients"]["a"]
    pilot = policy.create_pilot(
        actor=manager,
        version=draft_policy(manager).versions.get(status="draft"),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=30),
        staff_ids=[org["m1"].pk],
        client_ids=[a.pk],
    )
    assert churn(Slice("pilot", pilot.pk)) == (1, 1, 0, 0.0)
    assert churn(Slice("nonpilot", pilot.pk)) == (3, 1, 1, round(2 / 3, 6))


def test_unsupported_slices_are_refused(org):
    with pytest.raises(ValueError, match="cannot be computed"):
        compute("churn", YEAR, slice=Slice("channel", "email"))
    with pytest.raises(ValueError, match="cannot be computed"):
        compute("churn", YEAR, slice=Slice("touchpoint", 1))
    with pytest.raises(ValueError, match="cannot be computed"):
        compute("enps", YEAR, slice=Slice("employee", org["m1"].pk))


def test_check_exists(org):
    slicing.check_exists(Slice("team", org["t1"].pk))
    for missing in (
        Slice("team", 999999),
        Slice("employee", 999999),
        Slice("segment", 999999),
        Slice("pilot", 999999),
        Slice("stage", 999999),
        Slice("touchpoint", 999999),
        Slice("department", org["company"].pk),  # the root is no department
    ):
        with pytest.raises(ValueError):
            slicing.check_exists(missing)


# Survey answers: the agent, the recorded team (else the agent's unit), channel, segment.


def test_survey_metrics_by_agent_team_channel_and_segment(org):
    survey = make_survey("nps")
    c = org["clients"]
    when = aware(2025, 2, 10, 12)

    def answer(score, *, agent=None, team=None, channel="email", client=None):
        Response.objects.create(
            survey=survey,
            client=client or c["d"],
            agent=agent,
            team=team,
            channel=channel,
            score=score,
            submitted_at=when,
        )

    answer(10, agent=org["m1"])  # t1 by the agent's unit
    answer(9, agent=org["m1"], team=org["t2"])  # recorded for t2: t2's, not t1's
    answer(3, agent=org["m2"], channel="phone")  # t2 by the agent's unit
    answer(8, client=c["a"])  # nobody's; segment S
    answer(0, agent=org["m3"], client=c["c"])  # m3 has no unit; segment S

    def counts(s: Slice) -> tuple[int, int, int, float | None]:
        r = compute("nps", YEAR, slice=s)
        return r.extra["promoters"], r.extra["passives"], r.extra["detractors"], r.value

    assert counts(COMPANY) == (2, 1, 2, 0.0)
    assert counts(Slice("team", org["t1"].pk)) == (1, 0, 0, 100.0)
    assert counts(Slice("team", org["t2"].pk)) == (1, 0, 1, 0.0)
    assert counts(Slice("department", org["dept"].pk)) == (2, 0, 1, round(100 / 3, 2))
    assert counts(Slice("employee", org["m1"].pk)) == (2, 0, 0, 100.0)
    assert counts(Slice("channel", "phone")) == (0, 0, 1, -100.0)
    assert counts(Slice("segment", org["segment"].pk)) == (0, 1, 1, -50.0)
    assert counts(Slice("team", org["empty"].pk)) == (0, 0, 0, None)


def test_enps_by_unit(org):
    survey = make_survey("enps")
    StaffAnswer.objects.bulk_create(
        [StaffAnswer(survey=survey, unit=org["t1"], period="2025-02", score=10) for _ in range(5)]
        + [StaffAnswer(survey=survey, unit=org["t2"], period="2025-02", score=0) for _ in range(5)]
    )
    assert compute("enps", YEAR, slice=Slice("team", org["t1"].pk)).value == 100.0
    assert compute("enps", YEAR, slice=Slice("department", org["dept"].pk)).value == 0.0


# The API and the report.


def test_the_api_takes_a_slice_and_answers_422_for_a_bad_one(org, manager):
    api = api_as(manager)
    period = {"from": "2025-01-01", "to": "2025-12-31"}
    team = f"team:{org['t1'].pk}"
    one = api.get("/metrics/clients/churn", {**period, "slice": team})
    assert one.status_code == 200, one.content
    assert (one.json()["value"], one.json()["slice"]) == (0.5, team)
    listed = api.get("/metrics/surveys", {**period, "slice": f"employee:{org['m1'].pk}"})
    assert listed.status_code == 200
    assert "enps" not in {m["metric"] for m in listed.json()}  # not by employee: left out
    for bad in ("team:abc", "team:999999", "nonsense"):
        response = api.get("/metrics/clients/churn", {**period, "slice": bad})
        assert response.status_code == 422, bad
        assert ("query", "slice") in error_locs(response)
    refused = api.get("/metrics/clients/churn", {**period, "slice": "channel:email"})
    assert refused.status_code == 422
    assert ("query", "slice") in error_locs(refused)


def test_report_takes_a_slice(org):
    out = StringIO()
    team = f"team:{org['t1'].pk}"
    args = ["--from", "2025-01-01", "--to", "2025-12-31", "--format", "json"]
    call_command("report", "churn", *args, "--slice", team, stdout=out)
    printed = json.loads(out.getvalue())
    assert (printed["value"], printed["slice"], printed["inputs"]["n_start"]) == (0.5, team, 2)
    with pytest.raises(CommandError):
        call_command("report", "churn", *args, "--slice", "channel:email", stdout=StringIO())
