"""Performance signals that refresher training watches.

An app registers a signal with a `compute(employee_ids, since, until)` that answers the value of
the signal for that group of people over the days from `since` to `until` (both included), with
the number of observations behind it. `successes` is set where the value is a share (percent of
n), so a before/after comparison can test it (metrics' two-proportion test).

Registered: CSAT of the clients' answers about the employees' work (surveys), audit compliance and
the QA review score (quality's `compliance(...)`, read by the team app itself)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

from kliento.core.registry import Registry


@dataclass(frozen=True)
class Reading:
    value: float | None  # None: no observations in the period
    n: int
    successes: int | None = None  # for a share: how many of the n counted


@dataclass(frozen=True)
class Signal:
    key: str
    label: Promise | str
    compute: Callable[[Iterable[int], dt.date, dt.date], Reading]
    unit: str = "%"


signals: Registry[Signal] = Registry("performance signals")


def register_signal(signal: Signal) -> Signal:
    return signals.register(signal)
