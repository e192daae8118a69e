"""The score arithmetic: weights, "not applicable", critical items, rounding — by hand and by
properties over random checklists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kliento.quality.scoring import FAIL, NA, PASS, Line, explain, rule_text, score


def test_weighted_percentage_by_hand():
    result = score([Line(3, False, PASS), Line(1, False, FAIL), Line(2, False, PASS)])
    assert result.value == Decimal("83.33")  # 5 of 6
    assert (result.passed_weight, result.applicable_weight) == (5, 6)
    assert not result.critical_failed


def test_not_applicable_leaves_numerator_and_denominator():
    with_na = score([Line(1, False, PASS), Line(1, False, FAIL), Line(50, False, NA)])
    assert with_na.value == Decimal("50.00")
    assert with_na.na_items == 1 and with_na.applicable_items == 2


def test_failed_critical_item_zeroes_the_score():
    result = score([Line(10, False, PASS), Line(1, True, FAIL), Line(5, False, PASS)])
    assert result.value == Decimal("0.00")
    assert result.critical_failed
    assert "0" in explain(result)


def test_critical_item_not_applicable_does_not_zero():
    result = score([Line(1, True, NA), Line(1, False, PASS)])
    assert result.value == Decimal("100.00") and not result.critical_failed


def test_all_not_applicable_has_no_score():
    result = score([Line(1, False, NA), Line(2, True, NA)])
    assert result.value is None and not result.applicable
    assert score([]).value is None


def test_rounding_is_half_up():
    # 2 of 3 = 66.666… → 66.67; 1 of 8 = 12.5 exactly; 1 of 16 = 6.25
    assert score([Line(2, False, PASS), Line(1, False, FAIL)]).value == Decimal("66.67")
    assert score([Line(1, False, PASS), Line(7, False, FAIL)]).value == Decimal("12.50")
    assert score([Line(1, False, PASS), Line(15, False, FAIL)]).value == Decimal("6.25")
    # 1 of 200 = 0.5 → 0.50; 1 of 3 → 33.33
    assert score([Line(1, False, PASS), Line(2, False, FAIL)]).value == Decimal("33.33")


def test_bad_lines_are_refused():
    with pytest.raises(ValueError):
        score([Line(0, False, PASS)])
    with pytest.raises(ValueError):
        score([Line(1, False, "maybe")])


def test_rule_is_written_in_words():
    assert "not applicable" in rule_text() and "critical" in rule_text()
    assert explain(score([Line(3, False, PASS), Line(1, False, FAIL)])) == (
        "3 of 4 weight points met: 75.00%."
    )


lines = st.lists(
    st.builds(
        Line,
        weight=st.integers(min_value=1, max_value=100),
        critical=st.booleans(),
        outcome=st.sampled_from([PASS, FAIL, NA]),
    ),
    max_size=40,
)


@given(lines)
def test_score_properties(items):
    result = score(items)
    applicable = [x for x in items if x.outcome != NA]
    if not applicable:
        assert result.value is None
        return
    assert result.value is not None
    assert Decimal(0) <= result.value <= Decimal(100)
    if any(x.critical and x.outcome == FAIL for x in applicable):
        assert result.value == 0 and result.critical_failed
        return
    met = sum(x.weight for x in applicable if x.outcome == PASS)
    total = sum(x.weight for x in applicable)
    assert abs(result.value - Decimal(100 * met) / total) <= Decimal("0.005")
    if met == total:
        assert result.value == 100


@given(lines, st.lists(st.integers(min_value=1, max_value=100), max_size=5))
def test_adding_not_applicable_items_changes_nothing(items, weights):
    extra = [Line(w, True, NA) for w in weights]
    assert score(items).value == score(items + extra).value


@given(lines, st.integers(min_value=2, max_value=9))
def test_scaling_every_weight_keeps_the_score(items, factor):
    scaled = [Line(min(x.weight * factor, 1000), x.critical, x.outcome) for x in items]
    if all(x.weight * factor <= 1000 for x in items):
        assert score(items).value == score(scaled).value
