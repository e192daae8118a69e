"""KPI sources: what a KPI can be defined from. Each source computes one employee's value over
a period from another app's selectors, with how many records it rests on and a link to them.

Another app may register its own source from its `ready()` (the plug-in surface of this app).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise

from kliento.core.registry import Registry

HIGHER = "higher"  # more is better
LOWER = "lower"  # less is better


@dataclass(frozen=True)
class KpiValue:
    value: Decimal | None  # None: nothing to measure in the period
    n: int  # how many records the value rests on
    link: str = ""  # a local URL listing those records


@dataclass(frozen=True)
class KpiSource:
    key: str
    label: Promise | str
    unit: str  # "", "%", "count"
    direction: str  # HIGHER or LOWER
    compute: Callable[[int, dt.date, dt.date], KpiValue]
    description: Promise | str = ""
    # The same values for many employees at once ({id: value} for every id asked): a statement
    # run over a team reads each source once per period instead of once per employee. Must
    # agree with `compute` (tests compare them); optional (then `compute` runs per id).
    compute_many: Callable[[Sequence[int], dt.date, dt.date], dict[int, KpiValue]] | None = None

    def values(
        self, employee_ids: Sequence[int], start: dt.date, end: dt.date
    ) -> dict[int, KpiValue]:
        """Every employee's value over the period (KpiValue(None, 0) where there is no data)."""
        if self.compute_many is None:
            return {pk: self.compute(pk, start, end) for pk in employee_ids}
        found = self.compute_many(employee_ids, start, end)
        return {pk: found[pk] for pk in employee_ids}


kpi_sources: Registry[KpiSource] = Registry("KPI sources")


def register_kpi_source(source: KpiSource) -> KpiSource:
    return kpi_sources.register(source)


def rounded(value: Decimal | float, places: str = "0.01") -> Decimal:
    return Decimal(value).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent (two decimals), None when nothing was counted."""
    return rounded(Decimal(part) * 100 / whole) if whole else None
