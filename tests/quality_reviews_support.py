"""Helpers of the QA review tests: a case checklist, agents with resolved cases, reviewers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from kliento.core import roles
from kliento.desk.models import Case
from tests.desk_support import member, new_case, team
from tests.quality_support import checklist

# A Monday well in the past, so "now" never falls inside it.
WEEK = dt.date(2026, 3, 2)


def case_checklist(by: Any, name: str = "Case handling"):
    """Items (weight, critical, allows_na): 2 / critical 1 / 1 with N/A allowed."""
    return checklist(by=by, name=name, area_kind="case")


def resolved_case(
    agent: Any, *, day: dt.date = WEEK, kind: str = "question", **fields: Any
) -> Case:
    case = new_case(assignee=agent, kind=kind, **fields)
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    Case.objects.filter(pk=case.pk).update(status=Case.Status.RESOLVED, resolved_at=moment)
    case.refresh_from_db()
    return case


def people() -> dict[str, Any]:
    front = team("Front")
    return {
        "olena": member(front, "olena"),
        "jakub": member(front, "jakub"),
        "ewa": member(None, "ewa", roles.AUDITOR),
        "anna": member(None, "anna", roles.AUDITOR),
        "marta": member(front, "marta", roles.MANAGER),
    }
