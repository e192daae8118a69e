"""Who sees which dashboard (managers all; an employee their own scorecard and their team's
figures, a stage or touchpoint owner their own), the export's contents (CSV and XLSX, formula
text made inert), and the weekly digest: once per person and week, opt-in, in the recipient's
language."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from kliento.core.models import NotificationPreference, OrgUnit, StaffProfile
from kliento.journeys import services as journeys
from kliento.metrics import digest
from kliento.metrics.rollup_models import DigestSent
from kliento.metrics.rollups import build
from kliento.surveys.models import Response
from tests.factories import ClientFactory
from tests.test_notifications import run_queued_tasks
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(agent):
    company = OrgUnit.objects.create(name="Acme", kind=OrgUnit.Kind.COMPANY)
    dept = OrgUnit.objects.create(name="Service", kind=OrgUnit.Kind.DEPARTMENT, parent=company)
    mine = OrgUnit.objects.create(name="=HYPERLINK(1)", kind=OrgUnit.Kind.TEAM, parent=dept)
    other = OrgUnit.objects.create(name="Other", kind=OrgUnit.Kind.TEAM, parent=dept)
    StaffProfile.objects.create(user=agent, unit=mine)
    survey = make_survey("nps")
    client = ClientFactory()
    today = timezone.localdate()
    Response.objects.bulk_create(
        Response(
            survey=survey,
            client=client,
            channel="email",
            score=score,
            team=team,
            agent=agent if team == mine else None,
            submitted_at=timezone.now() - dt.timedelta(days=1),
        )
        for score, team in [(10, mine), (9, mine), (3, mine), (6, other)]
    )
    build.refresh()
    return {"dept": dept, "mine": mine, "other": other, "today": today}


def get(http, name, *args, **query):
    return http.get(reverse(f"metrics:{name}", args=args), query)


def test_a_manager_sees_every_dashboard_with_the_whole_roll_up(org, as_manager, agent):
    page = get(as_manager, "dashboard")
    assert page.status_code == 200
    assert [str(h) for h in page.context["tables"][1].header][:2] == ["Team", "NPS"]
    card = get(as_manager, "dashboard_employee", agent.pk)
    header = [str(h) for h in card.context["tables"][0].header]
    assert header[1:] == [
        agent.get_full_name() or agent.username,
        "=HYPERLINK(1)",
        "Service",
        "Company",
    ]
    rows = dict(card.context["tables"][0].rows)
    # Roll-up: employee (10, 9, 3) → team (the same) → department (+6) → company.
    assert [f.n for f in rows["NPS"]] == [3, 3, 4, 4]
    assert [f.value for f in rows["NPS"]][:3] == [33.33, 33.33, 0.0]
    for name, key in (("dashboard_unit", org["dept"].pk), ("dashboard_unit", org["other"].pk)):
        assert get(as_manager, name, key).status_code == 200


def test_an_employee_sees_their_scorecard_and_team_only(org, agent, as_agent, manager):
    own = get(as_agent, "dashboard_employee", agent.pk)
    assert own.status_code == 200
    assert len(own.context["tables"][0].header) == 3  # metric, me, my team: nothing above
    assert get(as_agent, "my_scorecard").url == reverse(
        "metrics:dashboard_employee", args=[agent.pk]
    )
    assert get(as_agent, "dashboard_unit", org["mine"].pk).status_code == 200
    assert get(as_agent, "dashboard_unit", org["other"].pk).status_code == 404
    assert get(as_agent, "dashboard_unit", org["dept"].pk).status_code == 404
    assert get(as_agent, "dashboard_employee", manager.pk).status_code == 404
    assert get(as_agent, "dashboard").status_code == 403


def test_outsiders_and_anonymous(org, agent, as_outsider, client):
    assert get(as_outsider, "dashboard").status_code == 403
    assert get(as_outsider, "dashboard_employee", agent.pk).status_code == 404
    assert get(as_outsider, "dashboard_unit", org["mine"].pk).status_code == 404
    assert get(client, "dashboard_employee", agent.pk).status_code == 302  # to the login page


def test_a_stage_owner_sees_their_stage(org, agent, as_agent, manager, as_manager):
    journey = journeys.create_journey(
        actor=None,
        name="J",
        stages=[
            journeys.StageSpec(name="Mine", owner=agent),
            journeys.StageSpec(name="Theirs", owner=manager),
        ],
    )
    mine, theirs = journey.stages.order_by("position")
    assert get(as_agent, "dashboard_stage", mine.pk).status_code == 200
    assert get(as_agent, "dashboard_stage", theirs.pk).status_code == 404
    assert get(as_manager, "dashboard_stage", mine.pk).status_code == 200
    assert get(as_manager, "dashboard_stage", 999_999).status_code == 404


def test_export_csv_and_xlsx(org, as_manager):
    csv_out = get(as_manager, "dashboard", export="csv", table=1)
    assert csv_out["Content-Type"].startswith("text/csv")
    lines = csv_out.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Team,NPS,NPS (n),CSAT")
    # A team whose name a spreadsheet would run as a formula is written inert.
    assert any(line.startswith("'=HYPERLINK(1),33.33,3,") for line in lines)
    assert any(line.startswith("Other,-100.0,1,") for line in lines)
    xlsx = get(as_manager, "dashboard", export="xlsx", table=1)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Team", "NPS", "NPS (n)")
    assert ("'=HYPERLINK(1)", 33.33, 3) in [r[:3] for r in rows]


def test_bad_period_shows_the_error_not_a_500(as_manager, org):
    page = get(as_manager, "dashboard", start="2025-05-01", end="2025-04-01")
    assert page.status_code == 200 and page.context["form"].errors["end"]
    assert get(as_manager, "dashboard", start="nonsense").status_code == 200


def test_every_figure_drills_down_and_explains(org, as_manager):
    html = get(as_manager, "dashboard").content.decode()
    assert html.count('<details class="metric-explain') >= 6
    assert reverse("surveys:list") in html and reverse("desk:queue") + "?queue=all" in html
    assert "<svg" in html and reverse("metrics:dashboard_unit", args=[org["other"].pk]) in html


def test_charts_are_named_on_the_page_and_empty_ones_left_out(org, as_manager):
    html = get(as_manager, "dashboard").content.decode()
    # Each chart's name is visible text, not only the SVG's tooltip.
    assert '<p class="small fw-semibold mb-1 metric-chart-title">NPS per team</p>' in html
    assert 'metric-chart-title">NPS by week</p>' in html
    # Only NPS was answered: no CSAT trend chart with nothing in it.
    assert "CSAT by week" not in html
    # A score says what it counts.
    assert '<div class="small text-body-secondary metric-unit">points</div>' in html


def test_team_bars_fall_back_to_csat_when_nps_has_no_team(org, as_manager):
    Response.objects.filter(survey__kind="nps").update(team=None, agent=None)
    csat = make_survey("csat")
    Response.objects.create(
        survey=csat,
        client=ClientFactory(),
        channel="email",
        score=5,
        team=org["other"],
        submitted_at=timezone.now() - dt.timedelta(days=1),
    )
    build.refresh()
    html = get(as_manager, "dashboard").content.decode()
    assert "NPS per team" not in html
    assert 'metric-chart-title">CSAT per team</p>' in html


def test_digest_once_per_week_opt_in_in_the_recipients_language(
    org, manager, agent, monkeypatch, django_capture_on_commit_callbacks
):
    manager.email = "boss@example.com"
    manager.save()
    StaffProfile.objects.create(user=manager, language="ru")
    agent.email = "agent@example.com"
    agent.save()
    # The agent opts in but may not see company figures: nothing is sent to them.
    for person in (manager, agent):
        NotificationPreference.objects.create(
            user=person, kind=digest.KIND, email=True, in_app=False
        )
    monkeypatch.setattr(digest, "_", lambda text: f"[{translation.get_language()}] {text}")
    next_week = org["today"] + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        assert digest.send(today=next_week) == 1
        assert digest.send(today=next_week) == 0
    run_queued_tasks()
    (message,) = mail.outbox
    assert message.to == ["boss@example.com"]
    assert message.body.startswith("[ru] Last week")
    assert "NPS: 0.0 (n = 4)" in message.body
    assert DigestSent.objects.filter(user_id=manager.pk).count() == 1
    # Nobody who did not opt in gets it.
    NotificationPreference.objects.all().delete()
    assert digest.send(today=next_week + dt.timedelta(days=7)) == 0
