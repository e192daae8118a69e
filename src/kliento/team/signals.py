"""The performance signals the team app registers itself (others plug in via team.registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from kliento.surveys import selectors as surveys
from kliento.team.registry import Reading, Signal, register_signal

CSAT = "csat"


def csat(employee_ids: Iterable[int], since: dt.date, until: dt.date) -> Reading:
    """% satisfied among the clients' CSAT answers about these employees' work."""
    groups = surveys.agent_score_counts(
        kind="csat", since=since, until=until, agent_ids=employee_ids
    )
    n = sum(g.n for g in groups)
    satisfied = sum(g.categories.get("satisfied", 0) for g in groups)
    return Reading(100.0 * satisfied / n if n else None, n, satisfied)


def register() -> None:
    label = gettext_lazy(  # xgettext:no-python-format
        "CSAT (% satisfied)"
    )
    register_signal(Signal(CSAT, label, csat))
