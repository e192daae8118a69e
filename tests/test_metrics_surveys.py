"""Survey metrics (NPS, CSAT, CES, eNPS) on hand-computed fixtures: n, 95% intervals, the
indicative flag, empty periods, scales 1-5/0-5/1-7, the direction of a CES scale, one survey
alone, the staff survey's anonymity, and `kliento report … --format json`."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from scipy import stats as scipy_stats

from kliento.metrics import stats
from kliento.metrics.registry import Period, compute
from kliento.surveys.models import Response, StaffAnswer
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory
from tests.test_surveys import make_survey

FEBRUARY = Period(dt.date(2025, 2, 1), dt.date(2025, 2, 28))
IN_FEBRUARY = timezone.make_aware(dt.datetime(2025, 2, 10, 12))
Z = scipy_stats.norm.ppf(0.975)


# Pure functions, against scipy.stats and numbers worked by hand.


@pytest.mark.parametrize(("k", "n"), [(0, 5), (3, 5), (5, 5), (8, 10), (17, 40)])
def test_wilson_is_scipys_wilson_interval(k, n):
    ci = scipy_stats.binomtest(k, n).proportion_ci(0.95, method="wilson")
    got = stats.wilson(k, n)
    assert got.value == pytest.approx(100 * k / n)
    assert got.low == pytest.approx(100 * ci.low, abs=1e-6)
    assert got.high == pytest.approx(100 * ci.high, abs=1e-6)


def test_wilson_by_hand_and_edge_cases():
    got = stats.wilson(8, 10)  # worked by hand: 49.02 … 94.33
    assert (round(got.low, 2), round(got.high, 2)) == (49.02, 94.33)
    assert stats.wilson(0, 0) is None
    with pytest.raises(ValueError):
        stats.wilson(3, 2)


def test_mean_uses_the_t_distribution():
    scores = [5, 5, 4, 3, 1]
    got = stats.mean_t({5: 2, 4: 1, 3: 1, 1: 1})
    ci = scipy_stats.ttest_1samp(scores, 0).confidence_interval(0.95)
    assert got.value == pytest.approx(3.6)
    assert (got.low, got.high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    # By hand: s = √2.8, t(4) = 2.7764: 3.6 ± 2.0777.
    assert (round(got.low, 2), round(got.high, 2)) == (1.52, 5.68)
    assert stats.mean_t({}) is None
    one = stats.mean_t({4: 1})
    assert (one.value, one.low, one.high) == (4.0, None, None)
    same = stats.mean_t({3: 4})
    assert (same.low, same.high) == (3.0, 3.0)


def test_nps_variance_is_the_multinomial_one():
    answers = np.array([1] * 6 + [0] * 2 + [-1] * 2)  # 6 promoters, 2 passives, 2 detractors
    got = stats.nps(6, 2, 10)
    half = Z * 100 * np.sqrt(answers.var() / 10)  # var with the n divisor
    assert got.value == pytest.approx(40.0)
    assert got.low == pytest.approx(40 - half) and got.high == pytest.approx(40 + half)
    assert stats.nps_variance(6, 2, 10) == pytest.approx(0.8 - 0.4**2)
    assert (round(got.low, 2), round(got.high, 2)) == (-9.58, 89.58)
    everyone = stats.nps(3, 0, 3)
    assert (everyone.value, everyone.low, everyone.high) == (100.0, 100.0, 100.0)
    assert stats.nps(0, 0, 0) is None
    wide = stats.nps(1, 1, 2)  # ±98: cut at the ends of the scale
    assert wide.low >= -100 and wide.high <= 100


# Through the database.


def answer(survey, *scores: int, when: dt.datetime = IN_FEBRUARY) -> None:
    client = ClientFactory()
    Response.objects.bulk_create(
        Response(survey=survey, client=client, channel="email", score=s, submitted_at=when)
        for s in scores
    )


def report(*args: str) -> dict:
    out = StringIO()
    call_command(
        "report",
        *args,
        "--from",
        "2025-02-01",
        "--to",
        "2025-02-28",
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


@pytest.mark.django_db
def test_nps_report_json():
    survey = make_survey("nps")
    answer(survey, 10, 9, 9, 10, 9, 10, 7, 8, 6, 0)
    answer(survey, 0, when=IN_FEBRUARY.replace(month=3))  # after the period
    got = report("nps")
    assert got["metric"] == "nps" and (got["from"], got["to"]) == ("2025-02-01", "2025-02-28")
    assert got["value"] == 40.0
    assert (got["n"], got["ci_low"], got["ci_high"]) == (10, -9.58, 89.58)
    assert (got["promoters"], got["passives"], got["detractors"]) == (6, 2, 2)
    assert got["indicative"] is True  # 10 < 30
    assert got["inputs"] == {
        "survey": None,
        "n": 10,
        "promoters": 6,
        "passives": 2,
        "detractors": 2,
        "min_n": 30,
    }


@pytest.mark.django_db
def test_all_promoters_and_the_minimum_n(settings):
    settings.KLIENTO_METRICS_MIN_N = 3
    answer(make_survey("nps"), 10, 9, 10)
    got = report("nps")
    assert (got["value"], got["ci_low"], got["ci_high"]) == (100.0, 100.0, 100.0)
    assert got["indicative"] is False and got["inputs"]["min_n"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["nps", "csat", "ces", "enps"])
def test_an_empty_period_has_no_value(key):
    got = report(key)
    assert got["value"] is None and got["n"] == 0
    assert (got["ci_low"], got["ci_high"], got["indicative"]) == (None, None, False)


@pytest.mark.django_db
def test_csat_on_one_to_five():
    answer(make_survey("csat", scale="1-5"), 5, 5, 4, 3, 1)
    got = compute("csat", FEBRUARY)
    assert got.value == 60.0
    ci = scipy_stats.binomtest(3, 5).proportion_ci(method="wilson")
    assert (got.extra["ci_low"], got.extra["ci_high"]) == (
        round(100 * ci.low, 2),
        round(100 * ci.high, 2),
    )
    assert (got.extra["satisfied"], got.extra["neutral"], got.extra["dissatisfied"]) == (3, 1, 1)
    assert got.extra["mean"] == 3.6
    assert (got.extra["mean_ci_low"], got.extra["mean_ci_high"]) == (1.52, 5.68)
    assert got.extra["scale"] == "1-5"


@pytest.mark.django_db
def test_csat_zero_to_five_and_mixed_scales():
    answer(make_survey("csat", scale="0-5"), 0, 4)
    zero = compute("csat", FEBRUARY)
    assert (zero.extra["satisfied"], zero.extra["dissatisfied"], zero.value) == (1, 1, 50.0)
    assert zero.extra["mean"] == 2.0
    answer(make_survey("csat", scale="1-5"), 5)
    mixed = compute("csat", FEBRUARY)
    # Shares pool across scales, means do not.
    assert (mixed.value, mixed.extra["n"]) == (round(200 / 3, 2), 3)
    assert mixed.extra["mean"] is None and mixed.extra["scale"] is None


@pytest.mark.django_db
def test_ces_one_to_seven():
    answer(make_survey("ces", scale="1-7", direction="high_easy"), 7, 6, 5, 4, 3, 2, 1)
    got = compute("ces", FEBRUARY)
    assert (got.extra["low_effort"], got.extra["neutral"], got.extra["high_effort"]) == (3, 1, 3)
    assert got.value == round(300 / 7, 2)
    assert got.extra["direction"] == "high_easy" and got.extra["mean"] == 4.0


@pytest.mark.django_db
def test_ces_where_low_means_easy():
    survey = make_survey("ces", scale="1-5", direction="low_easy")
    answer(survey, 1, 1, 2, 5, 4)
    got = compute("ces", FEBRUARY, survey_id=survey.pk)
    # 1 and 2 are the easy end here; 4 and 5 the hard one.
    assert (got.extra["low_effort"], got.extra["high_effort"], got.value) == (3, 2, 60.0)
    assert got.extra["direction"] == "low_easy"


@pytest.mark.django_db
def test_one_survey_alone_and_refusals():
    first, second = make_survey("nps"), make_survey("nps")
    answer(first, 10, 10)
    answer(second, 0)
    assert report("nps")["value"] == round(100 / 3, 2)
    alone = report("nps", "--survey", str(first.pk))
    assert (alone["value"], alone["n"], alone["inputs"]["survey"]) == (100.0, 2, first.pk)
    with pytest.raises(CommandError, match="not csat"):
        report("csat", "--survey", str(first.pk))
    with pytest.raises(CommandError, match="No survey"):
        report("nps", "--survey", "999999")
    with pytest.raises(CommandError, match="cannot be narrowed"):
        report("churn", "--survey", str(first.pk))


@pytest.mark.django_db
def test_enps_counts_whole_months_and_hides_small_groups():
    survey = make_survey("enps")

    def staff(period: str, *scores: int) -> None:
        StaffAnswer.objects.bulk_create(
            StaffAnswer(survey=survey, period=period, score=s) for s in scores
        )

    staff("2025-02", 10, 9, 3, 8)
    staff("2025-03", 0, 0)  # another month
    mid_month = Period(dt.date(2025, 2, 10), dt.date(2025, 2, 20))
    hidden = compute("enps", mid_month)
    assert hidden.value is None and hidden.extra["n"] == 4 and hidden.extra["hidden"] is True
    assert hidden.extra["promoters"] is None  # four answers would give away who said what
    staff("2025-02", 10)
    shown = compute("enps", mid_month)
    assert shown.extra["hidden"] is False and shown.extra["n"] == 5
    assert shown.value == 40.0  # (3 - 1) / 5
    assert compute("enps", Period(dt.date(2025, 2, 1), dt.date(2025, 3, 31))).extra["n"] == 7


@pytest.mark.django_db
def test_survey_metrics_api(manager, auditor, agent):
    survey = make_survey("nps")
    answer(survey, 10, 9, 6)
    period = {"from": "2025-02-01", "to": "2025-02-28"}
    listed = api_as(manager).get("/metrics/surveys", period)
    assert listed.status_code == 200, listed.content
    by_key = {item["metric"]: item for item in listed.json()}
    assert set(by_key) == {"nps", "csat", "ces", "enps"}
    assert by_key["nps"]["value"] == report("nps")["value"] == round(100 / 3, 2)
    one = api_as(auditor).get("/metrics/surveys/nps", {**period, "survey": survey.pk})
    assert one.status_code == 200 and one.json()["n"] == 3
    wrong = api_as(manager).get("/metrics/surveys/csat", {**period, "survey": survey.pk})
    assert wrong.status_code == 422 and error_locs(wrong) == [("query", "survey")]
    assert api_as(manager).get("/metrics/surveys/churn", period).status_code == 404
    assert api_as(manager).get("/metrics/clients/nps", period).status_code == 404
    assert api_as(agent).get("/metrics/surveys", period).status_code == 403


@pytest.mark.django_db
def test_the_page_shows_the_figures_and_a_comparison(as_manager, as_auditor, as_agent):
    survey = make_survey("nps")
    answer(survey, 10, 9, 9, 10, 9, 10, 7, 8, 6, 0)
    answer(survey, 0, 0, 10, when=IN_FEBRUARY.replace(month=1))
    url = reverse("metrics:survey_metrics")
    page = as_manager.get(url, {"start": "2025-02-01", "end": "2025-02-28"})
    assert page.status_code == 200
    nps_row = next(r for r in page.context["rows"] if r["definition"].key == "nps")
    assert nps_row["result"].value == report("nps")["value"] == 40.0
    assert 'class="badge text-bg-warning fs-6 indicative"' in page.text
    compared = as_manager.get(
        url,
        {
            "start": "2025-02-01",
            "end": "2025-02-28",
            "baseline_start": "2025-01-01",
            "baseline_end": "2025-01-31",
        },
    )
    nps_row = next(r for r in compared.context["rows"] if r["definition"].key == "nps")
    assert nps_row["before"].value == round(-100 / 3, 2)
    assert nps_row["compared"]["difference"] == pytest.approx(40 + 100 / 3, abs=1e-3)
    half = as_manager.get(
        url, {"start": "2025-02-01", "end": "2025-02-28", "baseline_start": "2025-01-01"}
    )
    assert half.context["rows"] == [] and "Give both days" in half.text
    assert as_auditor.get(url).status_code == 200
    assert as_agent.get(url).status_code == 403


@pytest.mark.django_db
def test_table_and_csv_formats_print_the_survey_figures():
    answer(make_survey("ces", scale="1-7", direction="low_easy"), 1, 2, 7)
    args = ("ces", "--from", "2025-02-01", "--to", "2025-02-28")
    table = StringIO()
    call_command("report", *args, stdout=table)
    lines = dict(
        line.split(None, 1) for line in table.getvalue().splitlines() if " " in line.strip()
    )
    assert lines["value"].strip() == str(round(200 / 3, 2)) and lines["n"].strip() == "3"
    assert lines["direction"].strip() == "low_easy"
    csv_out = StringIO()
    call_command("report", *args, "--format", "csv", stdout=csv_out)
    header, row = csv_out.getvalue().splitlines()
    cells = dict(zip(header.split(","), row.split(","), strict=True))
    assert (cells["low_effort"], cells["high_effort"], cells["input_n"]) == ("2", "1", "3")
