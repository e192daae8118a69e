"""Agreement between reviewers who scored the same thing (calibration). Pure functions: no
database, so each statistic is checked against published worked examples in the tests.

Input is a list of units (checklist items); each unit is the list of the values the raters
gave it, with None for a rater who gave none (missing). Values are nominal (pass / fail / na):
"not applicable" is a judgement like the others, so a reviewer who calls an item N/A disagrees
with one who calls it met. Only a missing answer is left out.

- Percent agreement: the share of agreeing pairs among the pairs of raters who both answered,
  per unit and pooled over all units.
- Krippendorff's alpha (nominal): 1 - D_o / D_e from the coincidence matrix; a unit answered
  by fewer than two raters is not pairable and is skipped, so missing answers are allowed.
- Fleiss' kappa: needs the same raters on every unit, so it uses only the units every rater
  answered (the result says how many).
A statistic that is undefined (too few pairable values, or all values in one category, where
chance agreement is already perfect) is None rather than a made-up number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from itertools import permutations

Unit = Sequence[Hashable | None]


def _present(unit: Unit) -> list[Hashable]:
    return [v for v in unit if v is not None]


def unit_agreement(unit: Unit) -> float | None:
    """The share of agreeing pairs among the raters who answered; None below two answers."""
    values = _present(unit)
    m = len(values)
    if m < 2:
        return None
    agreeing = sum(c * (c - 1) for c in Counter(values).values())
    return agreeing / (m * (m - 1))


def percent_agreement(units: Sequence[Unit]) -> float | None:
    """Pooled over units: agreeing pairs / all pairs (a unit with more raters weighs more)."""
    agreeing = pairs = 0
    for unit in units:
        values = _present(unit)
        m = len(values)
        if m < 2:
            continue
        agreeing += sum(c * (c - 1) for c in Counter(values).values())
        pairs += m * (m - 1)
    return agreeing / pairs if pairs else None


def krippendorff_alpha_nominal(units: Sequence[Unit]) -> float | None:
    """Krippendorff's alpha for nominal data with missing values (Krippendorff 2011)."""
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    for unit in units:
        values = _present(unit)
        m = len(values)
        if m < 2:
            continue
        for a, b in permutations(values, 2):
            coincidences[(a, b)] = coincidences.get((a, b), 0.0) + 1 / (m - 1)
    totals: dict[Hashable, float] = {}
    for (a, _b), weight in coincidences.items():
        totals[a] = totals.get(a, 0.0) + weight
    n = sum(totals.values())
    if n <= 1:
        return None
    observed = sum(w for (a, b), w in coincidences.items() if a != b)
    expected = sum(totals[a] * totals[b] for a in totals for b in totals if a != b)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


@dataclass(frozen=True)
class Kappa:
    value: float | None
    units_used: int


def fleiss_kappa_counts(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from a subjects-by-categories table of counts (each row sums to the same
    number of raters, at least two)."""
    rows = [list(r) for r in table if sum(r) > 0]
    if not rows:
        return None
    raters = sum(rows[0])
    if raters < 2 or any(sum(r) != raters for r in rows):
        raise ValueError("Fleiss' kappa needs the same number of raters (two or more) per subject")
    subjects = len(rows)
    categories = len(rows[0])
    p = [sum(r[j] for r in rows) / (subjects * raters) for j in range(categories)]
    p_bar = sum((sum(c * c for c in r) - raters) / (raters * (raters - 1)) for r in rows) / subjects
    p_e = sum(x * x for x in p)
    if p_e == 1:
        return None
    return (p_bar - p_e) / (1 - p_e)


def fleiss_kappa(units: Sequence[Unit]) -> Kappa:
    """Fleiss' kappa over the units that every rater answered."""
    complete = [list(u) for u in units if u and all(v is not None for v in u)]
    if not complete:
        return Kappa(None, 0)
    categories = sorted({v for u in complete for v in u}, key=str)
    table = [[u.count(c) for c in categories] for u in complete]
    if len({sum(r) for r in table}) != 1 or sum(table[0]) < 2:
        return Kappa(None, 0)
    return Kappa(fleiss_kappa_counts(table), len(complete))
