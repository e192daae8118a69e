"""Hooks other modules attach to the policy's life cycle.

`register_pilot_hook(fn)`: `fn(pilot, moment)` is called after the commit that starts
(`moment == "start"`) or ends (`"end"`) a pilot, once per transition. The metrics module takes
its before/after baseline snapshots here. A hook that fails is logged and does not undo the
transition (it has already been committed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Literal

Moment = Literal["start", "end"]
PilotHook = Callable[[Any, Moment], None]

logger = logging.getLogger(__name__)
_hooks: list[PilotHook] = []


def register_pilot_hook(fn: PilotHook) -> PilotHook:
    """Register `fn`; registering the same function again changes nothing. Usable as a
    decorator."""
    if fn not in _hooks:
        _hooks.append(fn)
    return fn


def unregister_pilot_hook(fn: PilotHook) -> None:
    if fn in _hooks:
        _hooks.remove(fn)


def run_pilot_hooks(pilot: Any, moment: Moment) -> None:
    for fn in list(_hooks):
        try:
            fn(pilot, moment)
        except Exception:
            logger.exception("Pilot hook %r failed for pilot %s (%s)", fn, pilot.pk, moment)
