"""The performance signals the team app registers itself (others plug in via team.registry)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.translation import gettext_lazy

from kliento.quality import selectors as quality
from kliento.surveys import selectors as surveys
from kliento.team.registry import Reading, Signal, register_signal

CSAT = "csat"
AUDIT_COMPLIANCE = "audit_compliance"
QA_SCORE = "qa_score"


def csat(employee_ids: Iterable[int], since: dt.date, until: dt.date) -> Reading:
    """% satisfied among the clients' CSAT answers about these employees' work."""
    groups = surveys.agent_score_counts(
        kind="csat", since=since, until=until, agent_ids=employee_ids
    )
    n = sum(g.n for g in groups)
    satisfied = sum(g.categories.get("satisfied", 0) for g in groups)
    return Reading(100.0 * satisfied / n if n else None, n, satisfied)


def _checked_items(
    employee_ids: Iterable[int], since: dt.date, until: dt.date, kinds: tuple[str, ...]
) -> Reading:
    """% of applicable checklist items passed in the employees' completed evaluations."""
    n = passed = 0
    for employee_id in employee_ids:
        found = quality.compliance(start=since, end=until, employee_id=employee_id, kinds=kinds)
        n += found.n_items
        passed += found.passed_items
    return Reading(100.0 * passed / n if n else None, n, passed)


def audit_compliance(employee_ids: Iterable[int], since: dt.date, until: dt.date) -> Reading:
    return _checked_items(employee_ids, since, until, ("audit", "mystery_shop"))


def qa_score(employee_ids: Iterable[int], since: dt.date, until: dt.date) -> Reading:
    return _checked_items(employee_ids, since, until, ("review",))


def register() -> None:
    label = gettext_lazy(  # xgettext:no-python-format
        "CSAT (% satisfied)"
    )
    register_signal(Signal(CSAT, label, csat))
    register_signal(
        Signal(
            AUDIT_COMPLIANCE,
            gettext_lazy(  # xgettext:no-python-format
                "Audit compliance (% of checked items passed)"
            ),
            audit_compliance,
        )
    )
    register_signal(
        Signal(
            QA_SCORE,
            gettext_lazy(  # xgettext:no-python-format
                "QA review score (% of checked items passed)"
            ),
            qa_score,
        )
    )
