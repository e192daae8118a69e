"""Journey and touchpoint metrics registered in the metric layer, on hand-computed fixtures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kliento.journeys.models import StageMove
from kliento.metrics import registry
from kliento.touchpoints.models import Impression, QualityParameter, Touchpoint
from tests.api_support import api_as
from tests.factories import ClientFactory, UserFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db

JANUARY = registry.Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31))


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def move(client, journey, from_stage, to_stage, day):
    StageMove.objects.create(
        client=client, journey=journey, from_stage=from_stage, to_stage=to_stage, moved_at=noon(day)
    )


@pytest.fixture
def moves():
    """1: Awareness 1 Jan → Purchase 11 Jan (10 days) → Ownership 10 Feb.
    2: Awareness 5 Jan → Purchase 9 Jan (4 days).
    3: Awareness 1 Dec 2024 → Purchase 2 Jan (32 days).
    January: stays ended 4, 10, 32 days (median 10, p90 10 + 0.8 * 22 = 27.6); entries 2 into
    Awareness and 3 into Purchase; conversion Awareness→Purchase 2 of 2, Purchase→Ownership 1 of
    3: pooled 3 / 5."""
    journey, s = make_journey()
    a, p, o = s["Awareness"], s["Purchase"], s["Ownership"]
    one, two, three = ClientFactory(), ClientFactory(), ClientFactory()
    move(one, journey, None, a, dt.date(2025, 1, 1))
    move(one, journey, a, p, dt.date(2025, 1, 11))
    move(one, journey, p, o, dt.date(2025, 2, 10))
    move(two, journey, None, a, dt.date(2025, 1, 5))
    move(two, journey, a, p, dt.date(2025, 1, 9))
    move(three, journey, None, a, dt.date(2024, 12, 1))
    move(three, journey, a, p, dt.date(2025, 1, 2))
    return s


def by_stage(rows, key):
    return {row["stage"]: row[key] for row in rows}


def test_entries_per_stage(moves):
    result = registry.compute("journey_stage_entries", JANUARY)
    assert result.value == 5
    entered = by_stage(result.inputs["stages"], "entered")
    assert (entered["Awareness"], entered["Purchase"], entered["Ownership"]) == (2, 3, 0)


def test_time_in_stage_over_completed_stays(moves):
    result = registry.compute("journey_time_in_stage", JANUARY)
    assert result.value == 10.0
    assert result.extra == {"median_days": 10.0, "p90_days": 27.6}
    assert result.inputs["n"] == 3
    stages = {row["stage"]: row for row in result.inputs["stages"]}
    assert (stages["Awareness"]["n"], stages["Awareness"]["median_days"]) == (3, 10.0)
    assert stages["Purchase"]["n"] == 0 and stages["Purchase"]["median_days"] is None
    february = registry.Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    # One stay ended in February: Purchase, 11 Jan → 10 Feb.
    assert registry.compute("journey_time_in_stage", february).value == 30.0


def test_conversion_reuses_the_boards_cohort_figure(moves):
    result = registry.compute("journey_conversion", JANUARY)
    assert result.value == 0.6
    assert (result.inputs["entered"], result.inputs["moved_on"]) == (5, 3)
    first = result.inputs["steps"][0]
    assert (first["from_stage"], first["to_stage"], first["rate"]) == ("Awareness", "Purchase", 1.0)


def test_an_empty_period_has_no_figures():
    assert registry.compute("journey_time_in_stage", JANUARY).value is None
    assert registry.compute("journey_conversion", JANUARY).value is None
    assert registry.compute("touchpoint_net_impression", JANUARY).value is None


@pytest.fixture
def impressions():
    """Desk: 3 positive and 1 negative in January (one more negative in February); Phone: one
    neutral. Net: Desk 2 / 4 = 0.5, Phone 0, all 2 / 5 = 0.4."""
    kind, category = Touchpoint.Kind.values[0], Touchpoint.Category.values[0]
    owner = UserFactory(username="tp-owner")
    desk = Touchpoint.objects.create(name="Desk", kind=kind, category=category, owner=owner)
    phone = Touchpoint.objects.create(name="Phone", kind=kind, category=category, owner=owner)
    QualityParameter.objects.create(touchpoint=desk, name="Greeting", measurement="m", target="t")
    client = ClientFactory()
    for sentiment, touchpoint, day in (
        ("positive", desk, dt.date(2025, 1, 3)),
        ("positive", desk, dt.date(2025, 1, 4)),
        ("positive", desk, dt.date(2025, 1, 31)),
        ("negative", desk, dt.date(2025, 1, 1)),
        ("negative", desk, dt.date(2025, 2, 1)),
        ("neutral", phone, dt.date(2025, 1, 9)),
    ):
        Impression.objects.create(
            touchpoint=touchpoint, client=client, sentiment=sentiment, occurred_at=noon(day)
        )


def test_touchpoint_quality(impressions):
    assert registry.compute("touchpoint_impressions", JANUARY).value == 5
    result = registry.compute("touchpoint_net_impression", JANUARY)
    assert result.value == 0.4
    rows = {row["touchpoint"]: row for row in result.inputs["touchpoints"]}
    assert (rows["Desk"]["n"], rows["Desk"]["net"], rows["Desk"]["n_quality_parameters"]) == (
        4,
        0.5,
        1,
    )
    assert (rows["Phone"]["neutral"], rows["Phone"]["net"]) == (1, 0.0)


def test_the_api_lists_them(manager, agent, moves, impressions):
    period = {"from": "2025-01-01", "to": "2025-01-31"}
    journeys = api_as(manager).get("/metrics/journeys", period)
    assert journeys.status_code == 200, journeys.content
    assert {m["metric"]: m["value"] for m in journeys.json()}["journey_conversion"] == 0.6
    touchpoints = api_as(manager).get("/metrics/touchpoints", period).json()
    assert {m["metric"]: m["value"] for m in touchpoints}["touchpoint_net_impression"] == 0.4
    assert api_as(agent).get("/metrics/journeys", period).status_code == 403
    reversed_period = {"from": "2025-02-01", "to": "2025-01-01"}
    assert api_as(manager).get("/metrics/touchpoints", reversed_period).status_code == 422
