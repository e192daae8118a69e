"""The one place a score is computed (and the rule explained in words).

Rule: each item has a weight; items answered "not applicable" leave both the numerator and the
denominator; the score is the weight of the items met as a percentage of the weight of the
applicable items, rounded half-up to two decimals. Any critical item not met makes the score 0.
When every item is not applicable there is no score (None, shown as "not applicable").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

PASS, FAIL, NA = "pass", "fail", "na"
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Line:
    """One answered item, as the score needs it."""

    weight: int
    critical: bool
    outcome: str  # "pass" | "fail" | "na"


@dataclass(frozen=True)
class Score:
    value: Decimal | None  # 0 to 100, or None when nothing was applicable
    critical_failed: bool
    applicable_weight: int
    passed_weight: int
    applicable_items: int
    passed_items: int
    failed_items: int
    na_items: int

    @property
    def applicable(self) -> bool:
        return self.value is not None


def score(lines: Iterable[Line]) -> Score:
    applicable_weight = passed_weight = 0
    passed = failed = na = 0
    critical_failed = False
    for line in lines:
        if line.weight <= 0:
            raise ValueError("A checklist item's weight must be positive")
        if line.outcome == NA:
            na += 1
            continue
        if line.outcome not in (PASS, FAIL):
            raise ValueError(f"Unknown outcome {line.outcome!r}")
        applicable_weight += line.weight
        if line.outcome == PASS:
            passed += 1
            passed_weight += line.weight
        else:
            failed += 1
            critical_failed = critical_failed or line.critical
    value: Decimal | None
    if applicable_weight == 0:
        value = None
    elif critical_failed:
        value = Decimal("0.00")
    else:
        value = (HUNDRED * passed_weight / applicable_weight).quantize(CENT, ROUND_HALF_UP)
    return Score(
        value=value,
        critical_failed=critical_failed,
        applicable_weight=applicable_weight,
        passed_weight=passed_weight,
        applicable_items=passed + failed,
        passed_items=passed,
        failed_items=failed,
        na_items=na,
    )


def rule_text() -> str:
    """The rule as the result page states it, in the active language."""
    return _(  # xgettext:no-python-format
        "Score = weight of the items met ÷ weight of the applicable items × 100%. Items marked "
        "“not applicable” count in neither. Any critical item not met makes the score 0. When "
        "no item applies there is no score."
    )


def explain(result: Score) -> str:
    """This result's arithmetic in words, e.g. "7 of 9 weight points met: 77.78%"."""
    if result.value is None:
        return _("No item applied, so there is no score.")
    if result.critical_failed:
        return _("A critical item was not met, so the score is 0.")
    return _("%(passed)s of %(total)s weight points met: %(score)s%%.") % {
        "passed": result.passed_weight,
        "total": result.applicable_weight,
        "score": result.value,
    }
