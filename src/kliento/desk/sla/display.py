"""The case's SLA targets as the case page shows them: `rows(case)` for the
"desk/sla/_case_sla.html" snippet (include it with `sla_rows=rows(case)`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from kliento.desk.models import Case
from kliento.desk.selectors import TargetState, sla_state


def duration_text(amount: dt.timedelta) -> str:
    minutes = int(abs(amount).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d h %(m)d min") % {"h": hours, "m": minutes}
    return _("%(m)d min") % {"m": minutes}


def standing(state: TargetState) -> tuple[str, str]:
    """A short text and a Bootstrap colour for one target."""
    if state.met:
        return (
            _("Met late") if state.breached else _("Met"),
            "warning" if state.breached else "success",
        )
    if state.remaining is None:
        return _("Running"), "secondary"
    if state.remaining < dt.timedelta(0):
        return _("Late by %(time)s") % {"time": duration_text(state.remaining)}, "danger"
    left = _("%(time)s left") % {"time": duration_text(state.remaining)}
    if state.paused:
        return _("Paused, %(left)s") % {"left": left}, "secondary"
    return left, "info"


def rows(case: Case, *, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    found = []
    for state in sla_state(case, now=now):
        text, colour = standing(state)
        found.append({"state": state, "text": text, "colour": colour})
    return found
