"""The board's figures and the baselines, on a fixture computed by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kliento.journeys import services, stats
from kliento.journeys.models import Baseline, ClientStage, StageMove
from tests.api_support import api_as
from tests.factories import ClientFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


@pytest.fixture(autouse=True)
def _now():
    """Times are set against this test's own start: services read the clock, and a module-level
    instant would drift by however long the suite ran before this test."""
    global NOW
    NOW = timezone.now().replace(microsecond=0)


def days_ago(n):
    return NOW - dt.timedelta(days=n)


def place(journey, stage, entered, joined):
    client = ClientFactory()
    ClientStage.objects.create(
        client=client,
        journey=journey,
        stage=stage,
        entered_at=days_ago(entered),
        joined_at=days_ago(joined),
    )
    return client


@pytest.fixture
def fixture():
    """Awareness (target 10 days): clients 2, 4, 12 and 30 days there. Purchase (no target):
    one client 5 days there. Lifetimes 20, 20, 20, 40, 10 days."""
    journey, stages = make_journey(targets={"Awareness": 10})
    for entered, joined in ((2, 20), (4, 20), (12, 20), (30, 40)):
        place(journey, stages["Awareness"], entered, joined)
    place(journey, stages["Purchase"], 5, 10)
    return journey, stages


def test_time_in_stage_and_share_over_target(fixture):
    journey, _stages = fixture
    by_name = {f.stage.name: f for f in stats.stage_figures(journey, now=NOW)}
    aware = by_name["Awareness"]
    assert aware.count == 4
    assert aware.average_days == pytest.approx((2 + 4 + 12 + 30) / 4)  # 12
    assert aware.median_days == pytest.approx((4 + 12) / 2)  # 8
    assert aware.over_target == 2 and aware.over_target_share == pytest.approx(0.5)
    purchase = by_name["Purchase"]
    assert (purchase.count, purchase.median_days, purchase.over_target_share) == (1, 5, None)
    assert by_name["Repeat"].count == 0 and by_name["Repeat"].average_days is None


def test_conversion_follows_the_cohort_that_entered_in_the_period():
    journey, stages = make_journey()
    a, p, o = stages["Awareness"], stages["Purchase"], stages["Ownership"]
    # Each client's own history: (from, to, days ago), oldest first.
    histories = [
        [(None, a, 50), (a, p, 45)],  # entered Awareness before the period: not in the cohort
        [(None, a, 20), (a, p, 15), (p, o, 2)],  # in the cohort, went on twice
        [(None, a, 10), (a, p, 3), (p, stages["At risk"], 1)],  # At risk is no conversion
        [(None, a, 5)],  # in the cohort, still in Awareness
        [(None, a, 40), (a, p, 25)],  # moved on within the period, but entered before it
    ]
    for history in histories:
        client = ClientFactory()
        for source, target, ago in history:
            StageMove.objects.create(
                client=client,
                journey=journey,
                from_stage=source,
                to_stage=target,
                moved_at=days_ago(ago),
            )
    first, second, third = stats.conversion(journey, start=days_ago(30), end=NOW)
    # Into Awareness in the last 30 days: 3 clients; 2 of them have moved on to Purchase.
    assert (first.entered, first.moved_on, first.rate) == (3, 2, pytest.approx(2 / 3))
    # Into Purchase in the period: 3 (15, 3 and 25 days ago); on to Ownership since: 1.
    assert (second.entered, second.moved_on, second.rate) == (3, 1, pytest.approx(1 / 3))
    assert (third.entered, third.moved_on, third.rate) == (1, 0, 0)
    # A period busier with onward moves than with entries never shows more than 100%.
    assert all(row.moved_on <= row.entered for row in (first, second, third))


def test_a_baseline_compared_with_the_present(fixture, manager):
    journey, stages = fixture
    baseline = services.take_baseline(actor=manager, journey=journey, name="Q1")
    assert baseline.total == 5
    # Lifetimes 20, 20, 20, 40, 10 → 22 days (a moment later: a hair more).
    assert baseline.average_lifetime_days == pytest.approx(22, abs=0.01)
    # Since the baseline: one client moves on from Awareness, a new one arrives at Purchase.
    moved = ClientStage.objects.filter(stage=stages["Awareness"]).order_by("entered_at").first()
    services.move_client(actor=manager, client_id=moved.client_id, to_stage=stages["Purchase"])
    place(journey, stages["Purchase"], 0, 0)
    result = stats.compare(baseline)
    rows = {s.name: s for s in result.stages}
    assert (result.then_total, result.now_total) == (5, 6)
    aware, purchase = rows["Awareness"], rows["Purchase"]
    assert (aware.then_count, aware.now_count, aware.change) == (4, 3, -1)
    assert (purchase.then_count, purchase.now_count, purchase.change) == (1, 3, 2)
    assert aware.then_share == pytest.approx(0.8) and aware.now_share == pytest.approx(0.5)
    assert aware.then_days == pytest.approx(12, abs=0.01)
    # The 30-day client left Awareness: 2, 4, 12 remain.
    assert aware.now_days == pytest.approx(6, abs=0.01)
    # Lifetimes now 20, 20, 20, 40, 10, 0.
    assert result.now_lifetime == pytest.approx(110 / 6, abs=0.01)


def test_baselines_through_the_api_and_pages(fixture, manager, auditor, as_manager, as_auditor):
    journey, _stages = fixture
    response = api_as(manager).post(f"/journeys/{journey.pk}/baselines", {"name": "Start"})
    assert response.status_code == 201, response.content
    assert (
        api_as(auditor).post(f"/journeys/{journey.pk}/baselines", {"name": "X"}).status_code == 403
    )
    again = api_as(manager).post(f"/journeys/{journey.pk}/baselines", {"name": "start"})
    assert again.status_code == 422
    baseline = Baseline.objects.get()
    comparison = api_as(auditor).get(f"/baselines/{baseline.pk}/comparison").json()
    assert comparison["then_total"] == 5 and comparison["now_total"] == 5
    page = as_auditor.get(f"/journeys/{journey.pk}/baselines/")
    assert page.status_code == 200 and "Start" in page.content.decode()
    assert as_auditor.post(f"/journeys/{journey.pk}/baselines/", {"name": "Y"}).status_code == 403
    assert as_manager.post(f"/journeys/{journey.pk}/baselines/", {"name": "Y"}).status_code == 302
