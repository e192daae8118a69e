"""The case's SLA targets as the case page shows them: `rows(case)` for the
"desk/sla/_case_sla.html" snippet (include it with `sla_rows=rows(case)`), and
`describe_event(event)` for the history lines of kinds "sla" and "escalated"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from kliento.desk.models import Case, CaseEvent, SlaTarget
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


def describe_event(event: CaseEvent) -> str:
    """One history line of the clock or of escalation, in the reader's language."""
    data = event.data or {}
    if event.kind == CaseEvent.Kind.ESCALATED:
        levels = data.get("level") or [None, None]
        return _("Escalated to level %(level)s of the policy procedure.") % {"level": levels[-1]}
    target = str(dict(SlaTarget.choices).get(str(data.get("target")), data.get("target")))
    raw = parse_datetime(str(data.get("due_at", "")))
    due = formats.date_format(timezone.localtime(raw), "SHORT_DATETIME_FORMAT") if raw else "—"
    if data.get("event") == "breached":
        return _("SLA breached: %(target)s was due at %(due)s.") % {"target": target, "due": due}
    return _("SLA warning: %(target)s is due at %(due)s.") % {"target": target, "due": due}
