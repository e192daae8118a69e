"""Trends: calendar buckets (weeks from Monday, quarter boundaries, cut first and last buckets),
empty buckets kept, each point equal to the single-period figure, and the series on the
metric page, in the API and in `kliento report --by`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import Client
from kliento.metrics import trends
from kliento.metrics.registry import compute
from kliento.surveys.models import Response
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, PurchaseFactory
from tests.test_surveys import make_survey

D = dt.date


def spans(start: dt.date, end: dt.date, by: str) -> list[tuple[dt.date, dt.date, bool]]:
    return [(b.period.start, b.period.end, b.partial) for b in trends.buckets(start, end, by)]


def test_weeks_start_on_monday_and_the_edges_are_cut():
    # 2025-01-01 is a Wednesday; 2025-01-19 a Sunday.
    assert spans(D(2025, 1, 1), D(2025, 1, 19), "week") == [
        (D(2025, 1, 1), D(2025, 1, 5), True),
        (D(2025, 1, 6), D(2025, 1, 12), False),
        (D(2025, 1, 13), D(2025, 1, 19), False),
    ]
    assert spans(D(2025, 1, 6), D(2025, 1, 6), "week") == [(D(2025, 1, 6), D(2025, 1, 6), True)]


def test_quarters_and_months_follow_the_calendar():
    assert spans(D(2024, 2, 15), D(2024, 10, 1), "quarter") == [
        (D(2024, 2, 15), D(2024, 3, 31), True),
        (D(2024, 4, 1), D(2024, 6, 30), False),
        (D(2024, 7, 1), D(2024, 9, 30), False),
        (D(2024, 10, 1), D(2024, 10, 1), True),
    ]
    assert spans(D(2024, 12, 1), D(2025, 3, 31), "quarter")[-1] == (
        D(2025, 1, 1),
        D(2025, 3, 31),
        False,
    )
    months = spans(D(2024, 1, 1), D(2024, 3, 31), "month")
    assert months == [
        (D(2024, 1, 1), D(2024, 1, 31), False),
        (D(2024, 2, 1), D(2024, 2, 29), False),  # a leap year
        (D(2024, 3, 1), D(2024, 3, 31), False),
    ]
    assert len(spans(D(2024, 1, 1), D(2024, 1, 10), "day")) == 10


def test_bad_ranges_are_refused():
    with pytest.raises(ValueError):
        trends.buckets(D(2025, 2, 1), D(2025, 1, 1), "week")
    with pytest.raises(ValueError):
        trends.buckets(D(2025, 1, 1), D(2025, 2, 1), "fortnight")
    with pytest.raises(ValueError):
        trends.buckets(D(2020, 1, 1), D(2025, 1, 1), "day")  # more than MAX_BUCKETS


@pytest.fixture
def sales(db):
    client = ClientFactory(client_since=D(2024, 1, 1))
    for day, amount in ((D(2025, 1, 6), "10.00"), (D(2025, 1, 7), "5.00"), (D(2025, 1, 20), "7")):
        PurchaseFactory(client=client, occurred_on=day, amount=amount)
    return client


def test_each_point_is_the_bucket_figure_and_empty_buckets_stay(sales):
    points = trends.trend("revenue", D(2025, 1, 1), D(2025, 1, 26), "week")
    assert [(p.result.period.start, p.result.value, p.partial) for p in points] == [
        (D(2025, 1, 1), "0.00", True),
        (D(2025, 1, 6), "15.00", False),
        (D(2025, 1, 13), "0.00", False),  # nothing that week: still a point
        (D(2025, 1, 20), "7.00", False),
    ]
    for p in points:
        assert p.result.value == compute("revenue", p.result.period).value


@pytest.mark.django_db
def test_survey_trend_keeps_n_and_empty_weeks():
    survey = make_survey("nps")
    client = ClientFactory()
    when = timezone.make_aware(dt.datetime(2025, 1, 7, 12))
    Response.objects.bulk_create(
        Response(survey=survey, client=client, channel="email", score=s, submitted_at=when)
        for s in (10, 9, 0)
    )
    points = trends.trend("nps", D(2025, 1, 6), D(2025, 1, 19), "week")
    assert [(p.result.extra["n"], p.result.value) for p in points] == [
        (3, round(100 / 3, 2)),
        (0, None),
    ]


def test_the_api_gives_the_series_and_422s(sales, manager):
    api = api_as(manager)
    got = api.get(
        "/metrics/clients/revenue/trend", {"from": "2025-01-01", "to": "2025-01-26", "by": "week"}
    )
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["metric"], body["by"]) == ("revenue", "week")
    assert [p["value"] for p in body["points"]] == ["0.00", "15.00", "0.00", "7.00"]
    assert [p["partial"] for p in body["points"]] == [True, False, False, False]
    for params, field in (
        ({"from": "2025-01-01", "to": "2025-01-26", "by": "fortnight"}, "by"),
        ({"from": "2000-01-01", "to": "2025-01-26", "by": "day"}, "by"),
        ({"from": "2025-01-26", "to": "2025-01-01", "by": "week"}, "to"),
        ({"from": "2025-01-01", "to": "2025-01-26", "slice": "channel:email"}, "slice"),
    ):
        bad = api.get("/metrics/clients/revenue/trend", params)
        assert bad.status_code == 422, params
        assert ("query", field) in error_locs(bad), bad.json()
    assert (
        api.get(
            "/metrics/clients/nope/trend", {"from": "2025-01-01", "to": "2025-01-02"}
        ).status_code
        == 404
    )


def test_report_by_week(sales):
    out = StringIO()
    args = ["--from", "2025-01-01", "--to", "2025-01-26", "--by", "week"]
    call_command("report", "revenue", *args, "--format", "json", stdout=out)
    series = json.loads(out.getvalue())
    assert [(p["from"], p["value"]) for p in series["points"]] == [
        ("2025-01-01", "0.00"),
        ("2025-01-06", "15.00"),
        ("2025-01-13", "0.00"),
        ("2025-01-20", "7.00"),
    ]
    csv_out = StringIO()
    call_command("report", "revenue", *args, "--format", "csv", stdout=csv_out)
    lines = csv_out.getvalue().splitlines()
    assert len(lines) == 5 and lines[0].startswith("metric,from,to")
    with pytest.raises(CommandError):
        call_command(
            "report", "revenue", "--from", "2000-01-01", "--to", "2025-01-01", "--by", "day"
        )


def test_metric_page_shows_the_series_and_checks_access(sales, as_manager, as_agent):
    url = reverse("metrics:metric", args=["revenue"])
    page = as_manager.get(
        url,
        {"start": "2025-01-01", "end": "2025-01-26", "slice_kind": "company", "by": "week"},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="metric-trend"' in html and "15.00" in html
    bad = as_manager.get(
        url, {"start": "2025-01-01", "end": "2025-01-26", "slice_kind": "team", "slice_id": "x"}
    )
    assert bad.status_code == 200 and 'id="metric-trend"' not in bad.content.decode()
    assert as_manager.get(reverse("metrics:metric", args=["nope"])).status_code == 404
    assert as_agent.get(url).status_code == 403
    assert Client.objects.count() == 1
