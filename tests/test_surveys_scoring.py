"""Survey scoring on hand-computed fixtures: categories on every scale, NPS with the interval
from the variance of the promoter/detractor difference, CSAT/CES shares (Wilson) and means."""

from __future__ import annotations

import pytest

from kliento.surveys import scoring


@pytest.mark.parametrize(
    ("score", "category", "poor"),
    [
        (0, "detractor", True),
        (6, "detractor", True),
        (7, "passive", False),
        (8, "passive", False),
        (9, "promoter", False),
        (10, "promoter", False),
    ],
)
def test_nps_categories(score, category, poor):
    reading = scoring.read_score("nps", "0-10", "", score)
    assert (reading.category, reading.poor) == (category, poor)


@pytest.mark.parametrize(
    ("scale", "score", "category", "poor"),
    [
        ("1-5", 1, "dissatisfied", True),
        ("1-5", 2, "dissatisfied", True),
        ("1-5", 3, "neutral", False),
        ("1-5", 4, "satisfied", False),
        ("1-5", 5, "satisfied", False),
        ("0-5", 0, "dissatisfied", True),
        ("0-5", 2, "dissatisfied", True),
        ("0-5", 3, "neutral", False),
        ("0-5", 4, "satisfied", False),
    ],
)
def test_csat_categories_on_both_scales(scale, score, category, poor):
    reading = scoring.read_score("csat", scale, "", score)
    assert (reading.category, reading.poor) == (category, poor)


@pytest.mark.parametrize(
    ("scale", "direction", "score", "category"),
    [
        # 1-5, high = easy: 4-5 low effort, 3 neutral, 1-2 high effort.
        ("1-5", "high_easy", 5, "low_effort"),
        ("1-5", "high_easy", 4, "low_effort"),
        ("1-5", "high_easy", 3, "neutral"),
        ("1-5", "high_easy", 2, "high_effort"),
        ("1-5", "high_easy", 1, "high_effort"),
        # 1-5, low = easy: mirrored.
        ("1-5", "low_easy", 1, "low_effort"),
        ("1-5", "low_easy", 2, "low_effort"),
        ("1-5", "low_easy", 4, "high_effort"),
        ("1-5", "low_easy", 5, "high_effort"),
        # 1-7, high = easy: 5-7 low effort, 4 neutral, 1-3 high effort.
        ("1-7", "high_easy", 7, "low_effort"),
        ("1-7", "high_easy", 5, "low_effort"),
        ("1-7", "high_easy", 4, "neutral"),
        ("1-7", "high_easy", 3, "high_effort"),
        ("1-7", "high_easy", 1, "high_effort"),
        # 1-7, low = easy.
        ("1-7", "low_easy", 1, "low_effort"),
        ("1-7", "low_easy", 3, "low_effort"),
        ("1-7", "low_easy", 4, "neutral"),
        ("1-7", "low_easy", 5, "high_effort"),
        ("1-7", "low_easy", 7, "high_effort"),
    ],
)
def test_ces_categories_follow_scale_and_direction(scale, direction, score, category):
    reading = scoring.read_score("ces", scale, direction, score)
    assert reading.category == category
    assert reading.poor == (category == "high_effort")


def test_a_score_off_the_scale_is_refused():
    with pytest.raises(ValueError):
        scoring.read_score("csat", "1-5", "", 0)
    with pytest.raises(ValueError):
        scoring.read_score("nps", "0-10", "", 11)


def test_nps_and_its_interval_by_hand():
    # 5 promoters (10, 10, 9, 9, 10), 2 passives (8, 7), 3 detractors (6, 5, 0): n = 10.
    # p = 0.5, d = 0.3, NPS = 20. Var = (p + d) - (p - d)^2 = 0.8 - 0.04 = 0.76.
    # Half-width = 1.96 * 100 * sqrt(0.76 / 10) = 1.96 * 100 * 0.2756810 = 54.0335.
    r = scoring.results("nps", "0-10", "", [10, 10, 9, 9, 8, 7, 6, 5, 0, 10])
    assert r.n == 10
    assert r.categories == {"promoter": 5, "passive": 2, "detractor": 3}
    assert r.headline is not None
    assert r.headline.value == pytest.approx(20.0)
    assert r.headline.low == pytest.approx(-34.0335, abs=1e-3)
    assert r.headline.high == pytest.approx(74.0335, abs=1e-3)
    assert r.headline.few  # fewer than 30 answers
    assert r.distribution == {0: 1, 1: 0, 2: 0, 3: 0, 4: 0, 5: 1, 6: 1, 7: 1, 8: 1, 9: 2, 10: 3}


def test_nps_of_all_promoters_has_no_width_and_stays_in_range():
    r = scoring.results("nps", "0-10", "", [10] * 40)
    assert r.headline is not None
    assert (r.headline.value, r.headline.low, r.headline.high) == (100.0, 100.0, 100.0)
    assert not r.headline.few


def test_csat_share_with_wilson_interval_and_mean_by_hand():
    # 8 answers, 5 satisfied (5, 5, 4, 4, 5): p = 0.625. Wilson with z^2 = 3.8416:
    # denominator = 1 + 3.8416/8 = 1.4802; centre = (0.625 + 0.2401)/1.4802 = 0.584448;
    # half = 1.96 * sqrt(0.625*0.375/8 + 3.8416/256) / 1.4802 = 0.278710.
    # Mean = 29/8 = 3.625; s^2 = 15.875/7 = 2.267857; half = 1.96 * sqrt(2.267857/8) = 1.043563.
    r = scoring.results("csat", "1-5", "", [5, 5, 4, 4, 3, 2, 1, 5])
    assert r.headline is not None
    assert r.headline.value == pytest.approx(62.5)
    assert r.headline.low == pytest.approx(30.5738, abs=1e-3)
    assert r.headline.high == pytest.approx(86.3158, abs=1e-3)
    assert r.mean.value == pytest.approx(3.625)
    assert r.mean.low == pytest.approx(2.581437, abs=1e-5)
    assert r.mean.high == pytest.approx(4.668563, abs=1e-5)
    assert r.categories == {"satisfied": 5, "neutral": 1, "dissatisfied": 2}


def test_csat_zero_to_five_counts_zero_as_dissatisfied():
    r = scoring.results("csat", "0-5", "", [0, 0, 5, 4])
    assert r.categories == {"dissatisfied": 2, "satisfied": 2}
    assert list(r.distribution) == [0, 1, 2, 3, 4, 5]


def test_ces_share_of_low_effort_on_a_low_is_easy_seven_point_scale():
    # 1-3 low effort (4 answers of 5), 6 high effort: 80 % low effort.
    r = scoring.results("ces", "1-7", "low_easy", [1, 2, 3, 3, 6])
    assert r.headline is not None
    assert r.headline.value == pytest.approx(80.0)
    assert r.categories == {"low_effort": 4, "high_effort": 1}


def test_no_answers_give_zero_n_not_an_error():
    r = scoring.results("nps", "0-10", "", [])
    assert r.n == 0
    assert r.headline is not None and r.headline.n == 0
