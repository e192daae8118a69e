"""From purchase occasions to the models' inputs: one row per client.

A purchase occasion is a client's purchases of one day, their amounts added (the models count
occasions, not receipts). For each client, with the calibration period ending on `until`:

- frequency x: occasions after the first (repeat purchases); 0 for a one-time buyer;
- recency t_x: from the first occasion to the last, in the unit;
- age T: from the first occasion to `until`, in the unit (days between the two dates, as in
  the published CDNOW summary: a first purchase on 1997-01-01 and `until` 1997-09-30 give
  T = 272/7 = 38.86 weeks);
- z̄: the mean amount of the repeat occasions (the first is left out, as in the paper), 0 when
  there are none. A zero amount still counts as an occasion.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from kliento.metrics.clv.likelihoods import Array

# Days in one unit; a month is the mean Gregorian month, so twelve of them make a year.
UNIT_DAYS: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}


@dataclass(frozen=True)
class Summary:
    client_ids: NDArray[np.int64]
    x: Array
    t_x: Array
    T: Array
    zbar: Array

    def __len__(self) -> int:
        return len(self.client_ids)


def summarise(
    occasions: Iterable[tuple[int, dt.date, Decimal | float]], *, until: dt.date, unit: str
) -> Summary:
    """`occasions` ordered by client, then date; rows after `until` are ignored, and rows of
    one client and day are added together (a selector that groups them already costs less)."""
    days = UNIT_DAYS[unit]
    ids: list[int] = []
    x: list[int] = []
    t_x: list[float] = []
    ages: list[float] = []
    zbar: list[float] = []

    current: int | None = None
    first = last = until
    repeats = 0
    repeat_total = 0.0

    def close() -> None:
        ids.append(current or 0)
        x.append(repeats)
        t_x.append((last - first).days / days)
        ages.append((until - first).days / days)
        zbar.append(repeat_total / repeats if repeats else 0.0)

    for client_id, day, amount in occasions:
        if day > until:
            continue
        value = float(amount)
        if client_id != current:
            if current is not None:
                close()
            current, first, last = client_id, day, day
            repeats, repeat_total = 0, 0.0
            continue
        if day < last:
            raise ValueError("occasions must be ordered by client, then date")
        if day == last:  # the same day again: one occasion, amounts added
            if repeats:
                repeat_total += value
            continue
        repeats += 1
        repeat_total += value
        last = day
    if current is not None:
        close()
    return Summary(
        client_ids=np.asarray(ids, dtype=np.int64),
        x=np.asarray(x, dtype=np.float64),
        t_x=np.asarray(t_x, dtype=np.float64),
        T=np.asarray(ages, dtype=np.float64),
        zbar=np.asarray(zbar, dtype=np.float64),
    )
