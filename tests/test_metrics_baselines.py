"""Saved baselines: the snapshot keeps its figures, a later period is compared with it (values
computed independently here), the sample size, pilots' automatic snapshots at start and end,
who may save and read them, and the API's 404/422 answers."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from scipy import stats as scipy_stats

from kliento.clients.models import Client
from kliento.metrics import baselines, services
from kliento.metrics.models import BaselineFigure, MetricBaseline
from kliento.metrics.pilot_baselines import pilot_period
from kliento.metrics.registry import Period
from kliento.metrics.slices import COMPANY, Slice
from kliento.policy import services as policy
from kliento.surveys.models import Response
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, UserFactory
from tests.policy_support import draft_policy
from tests.test_surveys import make_survey

pytestmark = pytest.mark.django_db

FEBRUARY = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
Z = scipy_stats.norm.ppf(0.975)
Z_POWER = scipy_stats.norm.ppf(0.8)


def answer(survey, scores, day: int, month: int) -> None:
    client = ClientFactory()
    when = timezone.make_aware(dt.datetime(2025, month, day, 12))
    Response.objects.bulk_create(
        Response(survey=survey, client=client, channel="email", score=s, submitted_at=when)
        for s in scores
    )


BEFORE = [10] * 6 + [7] * 2 + [0] * 2  # P 6, passive 2, D 2: NPS 40
AFTER = [10] * 3 + [8] * 3 + [2] * 4  # P 3, passive 3, D 4: NPS -10


@pytest.fixture
def nps_survey(db):
    survey = make_survey("nps")
    answer(survey, BEFORE, 10, 2)
    answer(survey, AFTER, 10, 3)
    return survey


def one_answer_scores(scores: list[int]) -> np.ndarray:
    return np.array([1 if s >= 9 else -1 if s <= 6 else 0 for s in scores], dtype=float)


def test_save_and_compare_nps_against_independent_figures(nps_survey, manager):
    saved = services.save_baseline(
        actor=manager, name="Before", metric_keys=["nps"], slices=["company"], period=FEBRUARY
    )
    [figure] = saved.figures.all()
    assert (figure.metric, figure.slice, figure.value, figure.extra["n"]) == (
        "nps",
        "company",
        40.0,
        10,
    )
    # The snapshot stays what it was when later answers arrive for its period.
    answer(nps_survey, [0] * 5, 20, 2)
    [row] = baselines.compare_baseline(
        saved, start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), detect=10
    )
    assert row["baseline"]["value"] == 40.0 and row["later"]["value"] == -10.0
    a, b = one_answer_scores(BEFORE), one_answer_scores(AFTER)
    se = 100 * math.sqrt(a.var() / a.size + b.var() / b.size)  # var with the n divisor
    diff = 100 * (b.mean() - a.mean())
    test = row["test"]
    assert test["difference"] == pytest.approx(-50.0)
    assert test["ci_low"] == pytest.approx(diff - Z * se, abs=1e-4)
    assert test["ci_high"] == pytest.approx(diff + Z * se, abs=1e-4)
    assert test["p_value"] == pytest.approx(2 * scipy_stats.norm.sf(abs(diff / se)), abs=1e-6)
    assert test["significant"] is False  # p ≈ 0.17
    # Answers per period to detect 10 points from the baseline's shares (0.6, 0.2).
    variance = 0.6 + 0.2 - 0.4**2
    assert row["n_needed_to_detect"] == math.ceil((Z + Z_POWER) ** 2 * 2 * variance / 0.1**2)


def test_churn_is_compared_by_two_proportions(manager):
    since = dt.date(2023, 1, 1)
    for i in range(10):  # 2024: 10 at the start, 2 lost
        Client.objects.create(
            name=f"a{i}",
            client_since=since,
            status="left" if i < 2 else "active",
            left_on=dt.date(2024, 6, 1) if i < 2 else None,
        )
    for i in range(5):  # of the 8 left, 5 lost in 2025
        Client.objects.filter(name=f"a{i + 2}").update(status="left", left_on=dt.date(2025, 6, 1))
    saved = services.save_baseline(
        actor=manager,
        name="2024",
        metric_keys=["churn", "revenue"],
        slices=[COMPANY],
        period=Period(dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    )
    rows = {
        r["metric"]: r
        for r in baselines.compare_baseline(
            saved, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
        )
    }
    x1, n1, x2, n2 = 2, 10, 5, 8
    p1, p2 = x1 / n1, x2 / n2
    pooled = (x1 + x2) / (n1 + n2)
    z = (p2 - p1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    half = Z * math.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
    test = rows["churn"]["test"]
    assert test["difference"] == pytest.approx(100 * (p2 - p1))
    assert test["statistic"] == pytest.approx(z, abs=1e-4)
    assert test["ci_low"] == pytest.approx(100 * (p2 - p1 - half), abs=1e-3)
    assert test["significant"] is bool(2 * scipy_stats.norm.sf(abs(z)) < 0.05)
    assert rows["churn"]["difference"] == pytest.approx(0.625 - 0.2)
    assert rows["revenue"]["test"] is None and rows["revenue"]["difference"] == 0.0


def test_invalid_baselines_are_refused_whole(manager):
    with pytest.raises(ValidationError) as caught:
        services.save_baseline(
            actor=manager,
            name=" ",
            metric_keys=["nope"],
            slices=["team:999999"],
            period=FEBRUARY,
        )
    assert set(caught.value.message_dict) == {"name", "metric_keys", "slices"}
    with pytest.raises(ValidationError) as caught:
        services.save_baseline(
            actor=manager,
            name="x",
            metric_keys=["churn"],
            slices=[Slice("channel", "email")],
            period=FEBRUARY,
        )
    assert "slices" in caught.value.message_dict
    assert not MetricBaseline.objects.exists() and not BaselineFigure.objects.exists()


def test_a_source_saves_once(manager):
    def save():
        return services.save_baseline(
            actor=None,
            name="auto",
            metric_keys=["active"],
            slices=["company"],
            period=FEBRUARY,
            source="test:1",
        )

    assert save().pk == save().pk
    assert MetricBaseline.objects.count() == 1


def test_a_pilot_records_its_baselines_at_start_and_end(
    manager, agent, django_capture_on_commit_callbacks
):
    client = ClientFactory(client_since=dt.date(2024, 1, 1))
    today = timezone.localdate()
    pilot = policy.create_pilot(
        actor=manager,
        version=draft_policy(manager).versions.get(status="draft"),
        starts_on=today,
        ends_on=today + dt.timedelta(days=29),
        staff_ids=[agent.pk],
        client_ids=[client.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        policy.start_pilot(actor=manager, pilot=pilot)
    start = MetricBaseline.objects.get(source=f"policy.pilot:{pilot.pk}:start")
    assert (start.period_start, start.period_end) == (
        today - dt.timedelta(days=30),
        today - dt.timedelta(days=1),
    )
    slices = set(start.figures.values_list("slice", flat=True))
    assert slices == {f"pilot:{pilot.pk}", f"nonpilot:{pilot.pk}"}
    churn = start.figures.get(metric="churn", slice=f"pilot:{pilot.pk}")
    assert churn.inputs["n_start"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        policy.finish_pilot(actor=manager, pilot=pilot, decision="revise")
    end = MetricBaseline.objects.get(source=f"policy.pilot:{pilot.pk}:end")
    assert (end.period_start, end.period_end) == (today, today)
    assert pilot_period(pilot, "end", today + dt.timedelta(days=3)).end == today + dt.timedelta(
        days=3
    )


# Pages and API: managers save; whoever sees the metrics reads.


def test_pages_permissions_and_form_errors(nps_survey, as_manager, as_auditor, as_agent):
    create = reverse("metrics:baseline_create")
    assert as_agent.get(reverse("metrics:baselines")).status_code == 403
    assert as_auditor.get(create).status_code == 403
    bad = as_manager.post(
        create,
        {"name": "", "start": "2025-02-01", "end": "2025-02-28", "slices": "team:abc"},
    )
    assert bad.status_code == 200 and not MetricBaseline.objects.exists()
    response = as_manager.post(
        create,
        {
            "name": "Before",
            "start": "2025-02-01",
            "end": "2025-02-28",
            "metric_keys": ["nps", "churn"],
            "slices": "company",
        },
    )
    saved = MetricBaseline.objects.get()
    assert response.status_code == 302 and saved.figures.count() == 2
    detail = reverse("metrics:baseline", args=[saved.pk])
    page = as_auditor.get(detail, {"start": "2025-03-01", "end": "2025-03-31", "detect": "10"})
    assert page.status_code == 200 and 'id="baseline-comparison"' in page.content.decode()
    assert as_auditor.get(reverse("metrics:baselines")).status_code == 200
    assert as_agent.get(detail).status_code == 403
    assert as_manager.get(reverse("metrics:baseline", args=[999999])).status_code == 404


def test_api_create_read_compare_and_422s(nps_survey, manager, auditor):
    body = {
        "name": "Before",
        "metric_keys": ["nps"],
        "slices": ["company"],
        "from": "2025-02-01",
        "to": "2025-02-28",
    }
    assert api_as(auditor).post("/metrics/baselines", body).status_code == 403
    assert api_as(UserFactory()).get("/metrics/baselines").status_code == 403
    created = api_as(manager).post("/metrics/baselines", body)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["figures"][0]["value"] == 40.0
    assert [b["id"] for b in api_as(auditor).get("/metrics/baselines").json()] == [pk]
    assert api_as(auditor).get(f"/metrics/baselines/{pk}").status_code == 200
    compared = api_as(auditor).get(
        f"/metrics/baselines/{pk}/compare", {"from": "2025-03-01", "to": "2025-03-31"}
    )
    assert compared.status_code == 200
    assert compared.json()[0]["test"]["difference"] == pytest.approx(-50.0)
    for change, field in (
        ({"metric_keys": ["nope"]}, "metric_keys"),
        ({"slices": ["team:abc"]}, "slices"),
        ({"name": ""}, "name"),
        ({"from": "2025-03-01"}, "to"),
    ):
        bad = api_as(manager).post("/metrics/baselines", body | change)
        assert bad.status_code == 422, change
        assert ("body", "payload", field) in error_locs(bad), bad.json()
    for params, field in (
        ({"from": "2025-03-01", "to": "2025-03-31", "against": "team:999999"}, "against"),
        ({"from": "2025-03-01", "to": "2025-03-31", "detect": "0"}, "detect"),
        ({"from": "2025-03-31", "to": "2025-03-01"}, "to"),
    ):
        bad = api_as(auditor).get(f"/metrics/baselines/{pk}/compare", params)
        assert bad.status_code == 422, params
        assert ("query", field) in error_locs(bad), bad.json()
    assert api_as(auditor).get("/metrics/baselines/999999").status_code == 404
    assert MetricBaseline.objects.count() == 1
