"""Comparing a period with a baseline: every test statistic, interval and sample size against
scipy.stats or a computation that does not share the module's formulas."""

from __future__ import annotations

import datetime as dt
import json
import math
from io import StringIO

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from scipy import stats

from kliento.metrics import compare
from tests.test_metrics_surveys import answer
from tests.test_surveys import make_survey

Z = stats.norm.ppf(0.975)
Z_POWER = stats.norm.ppf(0.8)


def scores(promoters: int, passives: int, detractors: int) -> np.ndarray:
    return np.array([1.0] * promoters + [0.0] * passives + [-1.0] * detractors)


def test_two_nps_against_the_answers_own_variances():
    base, later = scores(30, 40, 30), scores(50, 30, 20)
    got = compare.compare_nps((30, 30, 100), (50, 20, 100))
    se = 100 * math.sqrt(base.var() / base.size + later.var() / later.size)
    difference = 100 * (later.mean() - base.mean())
    assert got.difference == pytest.approx(30.0) == pytest.approx(difference)
    assert (got.low, got.high) == (
        pytest.approx(difference - Z * se),
        pytest.approx(difference + Z * se),
    )
    assert got.p_value == pytest.approx(2 * stats.norm.sf(difference / se))
    assert got.significant and got.df is None
    assert compare.compare_nps((0, 0, 0), (1, 0, 1)) is None


def test_two_shares_is_the_chi_square_test_without_correction():
    got = compare.compare_shares((45, 100), (60, 110))
    table = np.array([[45, 55], [60, 50]])
    chi2, p_value, _dof, _expected = stats.chi2_contingency(table, correction=False)
    assert got.statistic**2 == pytest.approx(chi2)
    assert got.p_value == pytest.approx(p_value)
    p1, p2 = 0.45, 60 / 110
    se = math.sqrt(p1 * (1 - p1) / 100 + p2 * (1 - p2) / 110)
    assert got.difference == pytest.approx(100 * (p2 - p1))
    assert got.low == pytest.approx(100 * (p2 - p1 - Z * se))
    assert not got.significant  # p ≈ 0.16


def test_welch_is_scipys():
    rng = np.random.default_rng(11)
    a, b = rng.normal(3.5, 1.0, 25), rng.normal(4.1, 1.8, 40)
    got = compare.compare_means(
        (a.mean(), a.std(ddof=1), a.size), (b.mean(), b.std(ddof=1), b.size)
    )
    theirs = stats.ttest_ind(b, a, equal_var=False)
    ci = theirs.confidence_interval(0.95)
    assert got.statistic == pytest.approx(theirs.statistic)
    assert got.p_value == pytest.approx(theirs.pvalue)
    assert got.df == pytest.approx(theirs.df)
    assert (got.low, got.high) == (pytest.approx(ci.low), pytest.approx(ci.high))
    assert compare.compare_means((3.0, 1.0, 1), (3.0, 1.0, 5)) is None


def test_unanimous_periods():
    same = compare.compare_nps((10, 0, 10), (20, 0, 20))
    assert (same.difference, same.p_value, same.significant) == (0.0, 1.0, False)
    apart = compare.compare_shares((10, 10), (0, 10))
    assert apart.p_value < 0.05  # pooled share 0.5: a real test, not a division by zero


def normal_power_shares(p1: float, p2: float, n: int) -> float:
    mean = (p1 + p2) / 2
    spread = math.sqrt(p1 * (1 - p1) + p2 * (1 - p2))
    return stats.norm.cdf(
        (abs(p1 - p2) * math.sqrt(n) - Z * math.sqrt(2 * mean * (1 - mean))) / spread
    )


@pytest.mark.parametrize(("p1", "p2"), [(0.5, 0.6), (0.8, 0.85), (0.3, 0.1)])
def test_sample_size_for_shares_is_the_smallest_with_80_percent_power(p1, p2):
    n = compare.n_for_shares(p1, p2)
    assert normal_power_shares(p1, p2, n) >= 0.8 > normal_power_shares(p1, p2, n - 1)


def test_sample_size_for_means_and_nps():
    # The textbook case: half a standard deviation, 5% two-sided, 80% power: 63 per group.
    assert compare.n_for_means(1.0, 0.5) == 63
    n = compare.n_for_means(1.2, 0.3)
    power = stats.norm.cdf(0.3 / (1.2 * math.sqrt(2 / n)) - Z)
    assert power >= 0.8 > stats.norm.cdf(0.3 / (1.2 * math.sqrt(2 / (n - 1))) - Z)
    # NPS: shares 0.4/0.2 → variance 0.56; 10 points.
    variance = 0.4 + 0.2 - 0.2**2
    assert compare.n_for_nps(0.4, 0.2, 10) == math.ceil((Z + Z_POWER) ** 2 * 2 * variance / 0.01)
    with pytest.raises(ValueError):
        compare.n_for_shares(0.5, 0.5)


@pytest.mark.django_db
def test_the_report_compares_with_a_baseline_period():
    survey = make_survey("csat", scale="1-5")
    january = timezone.make_aware(dt.datetime(2025, 1, 15, 12))
    answer(survey, 5, 4, 3, 2, 1, 2, when=january)  # 2 of 6 satisfied
    answer(survey, 5, 5, 4, 4, 4, 3)  # February: 5 of 6
    out = StringIO()
    call_command(
        "report", "csat", "--from", "2025-02-01", "--to", "2025-02-28",
        "--baseline-from", "2025-01-01", "--baseline-to", "2025-01-31", "--format", "json",
        stdout=out,
    )  # fmt: skip
    got = json.loads(out.getvalue())
    assert got["baseline"]["value"] == round(100 * 2 / 6, 2) and got["value"] == round(500 / 6, 2)
    expected = compare.compare_shares((2, 6), (5, 6))
    assert got["comparison"]["difference"] == round(expected.difference, 4)
    assert got["comparison"]["p_value"] == round(expected.p_value, 6)
    assert got["comparison"]["n_needed_per_period"] == compare.n_for_shares(2 / 6, 5 / 6)
    welch = stats.ttest_ind([5, 5, 4, 4, 4, 3], [5, 4, 3, 2, 1, 2], equal_var=False)
    assert got["comparison"]["mean"]["p_value"] == pytest.approx(welch.pvalue, abs=1e-5)


@pytest.mark.django_db
def test_baseline_refusals():
    with pytest.raises(CommandError, match="Only survey metrics"):
        call_command("report", "churn", "--from", "2025-02-01", "--to", "2025-02-28",
                     "--baseline-from", "2025-01-01", "--baseline-to", "2025-01-31")  # fmt: skip
    with pytest.raises(CommandError, match="both"):
        call_command("report", "nps", "--from", "2025-02-01", "--to", "2025-02-28",
                     "--baseline-from", "2025-01-01")  # fmt: skip
    # An empty baseline: no comparison, no error.
    out = StringIO()
    call_command("report", "nps", "--from", "2025-02-01", "--to", "2025-02-28",
                 "--baseline-from", "2025-01-01", "--baseline-to", "2025-01-31",
                 "--format", "json", stdout=out)  # fmt: skip
    assert json.loads(out.getvalue())["comparison"] is None


def test_the_product_docs_baseline_example():
    """docs/product.md, C9: NPS 35 (110/50/40 of 200) then 44 (140/80/30 of 250): +9 ± 14,
    the interval includes zero, so the improvement is not yet proven."""
    got = compare.compare_nps((110, 40, 200), (140, 30, 250))
    assert got.difference == pytest.approx(9.0)
    assert round((got.high - got.low) / 2) == 14
    assert got.low < 0 < got.high and not got.significant
