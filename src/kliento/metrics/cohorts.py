"""Acquisition cohorts (SPEC C9): historical LTV and retention curves by the month or quarter
in which clients were acquired (`client_since`).

For a cohort of `size` clients and k periods after its acquisition period (k = 0 is that
period itself):

- LTV to date at k = the cohort's revenue in periods 0..k / size: what an acquired client has
  brought so far, on average, including the clients who have since left;
- retention at k = members active at the end of period k (under the company's churn rule) /
  size; the current period is measured at the day the table is drawn up ("to date").

Revenue is summed in one currency (the default), as every revenue figure of the metric layer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from kliento.clients import selectors as clients
from kliento.metrics.registry import ChurnRule
from kliento.metrics.units import money_text

GRAINS = ("month", "quarter")
# Every period end from the first cohort to today is one grouped count: ten years is 120 of
# them by month, enough for any reading of a cohort table and cheap enough to draw per request.
MAX_YEARS = 10


def earliest_start(today: dt.date) -> dt.date:
    """The first acquisition day a cohort table may start from."""
    return dt.date(today.year - MAX_YEARS, 1, 1)


DIGITS = 6


@dataclass(frozen=True)
class CohortCell:
    offset: int
    revenue: Decimal  # in this period
    ltv: Decimal  # revenue per client to date
    active: int
    retention: float


@dataclass
class CohortRow:
    start: dt.date
    size: int
    cells: list[CohortCell] = field(default_factory=list)


@dataclass
class CohortTable:
    grain: str
    as_of: dt.date
    currency: str
    rule: ChurnRule
    rows: list[CohortRow] = field(default_factory=list)

    @property
    def offsets(self) -> list[int]:
        longest = max((len(row.cells) for row in self.rows), default=0)
        return list(range(longest))

    @property
    def max_ltv(self) -> Decimal:
        return max((c.ltv for r in self.rows for c in r.cells), default=Decimal("0"))

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the API: every cell with its inputs."""
        return {
            "grain": self.grain,
            "as_of": self.as_of.isoformat(),
            "currency": self.currency,
            "rule": self.rule.key,
            "cohorts": [
                {
                    "cohort": row.start.isoformat(),
                    "size": row.size,
                    "periods": [
                        {
                            "offset": c.offset,
                            "revenue": money_text(c.revenue),
                            "ltv": money_text(c.ltv),
                            "active": c.active,
                            "retention": c.retention,
                        }
                        for c in row.cells
                    ],
                }
                for row in self.rows
            ],
        }


def cohort_table(
    *,
    first: dt.date,
    last: dt.date,
    grain: str = "month",
    as_of: dt.date,
    rule: ChurnRule | None = None,
    currency: str | None = None,
) -> CohortTable:
    if grain not in GRAINS:
        raise ValueError(f"Unknown grain {grain!r}")
    rule = rule or ChurnRule.configured()
    code = (currency or settings.KLIENTO_DEFAULT_CURRENCY).upper()
    table = CohortTable(grain=grain, as_of=as_of, currency=code, rule=rule)
    cohorts = clients.acquisition_cohorts(
        first=first,
        last=last,
        grain="quarter" if grain == "quarter" else "month",
        as_of=as_of,
        currency=code,
        inactive_days=rule.inactive_days,
    )
    for cohort in cohorts:
        row = CohortRow(start=cohort.start, size=cohort.size)
        to_date = Decimal("0")
        for offset in range(cohort.last_offset + 1):
            revenue = cohort.revenue.get(offset, Decimal("0"))
            to_date += revenue
            active = cohort.active.get(offset, 0)
            row.cells.append(
                CohortCell(
                    offset=offset,
                    revenue=revenue,
                    ltv=to_date / cohort.size,
                    active=active,
                    retention=round(active / cohort.size, DIGITS),
                )
            )
        table.rows.append(row)
    return table


def csv_rows(table: CohortTable, measure: str) -> tuple[list[str], list[list[object]]]:
    """One line per cohort: its start, size, then the measure ("ltv" or "retention") per period
    since acquisition (empty where the period has not come yet)."""
    header = ["cohort", "size", *(str(k) for k in table.offsets)]
    lines: list[list[object]] = []
    for row in table.rows:
        values: list[object] = [
            money_text(c.ltv) if measure == "ltv" else c.retention for c in row.cells
        ]
        values += [""] * (len(table.offsets) - len(values))
        lines.append([row.start.isoformat(), row.size, *values])
    return header, lines
