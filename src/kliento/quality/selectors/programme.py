"""Reads of planned control: the audit calendar, mystery-shop assignments, corrective actions,
areas with no control for too long, and the exemplary feed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from kliento.core.models import OrgUnit
from kliento.desk import selectors as desk
from kliento.quality.models import AuditPlan, CorrectiveAction, Evaluation, ShopAssignment
from kliento.quality.selectors.compliance import completed, last_controls
from kliento.touchpoints import selectors as touchpoints

PLAN = "quality.plan_control"
MANAGE_ACTIONS = "quality.manage_corrective_actions"


def plans() -> QuerySet[AuditPlan]:
    return AuditPlan.objects.select_related(
        "checklist", "touchpoint", "stage", "team", "employee", "auditor"
    )


@dataclass(frozen=True)
class CalendarDay:
    day: dt.date
    plan: AuditPlan
    overdue: bool


def calendar(*, until: dt.date, today: dt.date | None = None) -> list[CalendarDay]:
    """Every planned audit date from each active plan's next one up to `until`, by date."""
    from kliento.quality.services.programme import occurrences

    today = today or timezone.localdate()
    days = [
        CalendarDay(day, plan, day < today)
        for plan in plans().filter(active=True)
        for day in occurrences(plan, until)
    ]
    days.sort(key=lambda d: (d.day, d.plan.pk))
    return days


def assignments_for(user: Any) -> QuerySet[ShopAssignment]:
    """Every assignment for those who plan control; one's own for an internal shopper."""
    found = ShopAssignment.objects.select_related(
        "checklist", "touchpoint", "stage", "employee", "shopper", "evaluation"
    )
    if user.has_perm(PLAN):
        return found
    return found.filter(shopper=user)


def actions_for(user: Any) -> QuerySet[CorrectiveAction]:
    """Every corrective action for quality staff; one's own (as owner) for anyone else."""
    found = CorrectiveAction.objects.select_related(
        "owner", "result__item", "result__evaluation__version__checklist"
    )
    if user.has_perm(MANAGE_ACTIONS):
        return found
    return found.filter(owner=user)


def no_control_months() -> int:
    return int(getattr(settings, "KLIENTO_QUALITY_NO_CONTROL_MONTHS", 6))


@dataclass(frozen=True)
class Uncontrolled:
    kind: str  # "touchpoint" | "stage" | "team"
    id: int
    name: str
    last: dt.datetime | None


def uncontrolled_areas(user: Any, *, now: dt.datetime | None = None) -> list[Uncontrolled]:
    """The areas `user` answers for (touchpoints and stages they own; every team for those who
    plan control) whose latest completed evaluation is older than the configured months (six
    by default), or that were never controlled."""
    from kliento.quality.services.programme import add_months

    now = now or timezone.now()
    cutoff_day = add_months(timezone.localdate(now), -no_control_months())
    found: list[Uncontrolled] = []

    def check(kind: str, areas: list[tuple[int, str]], field: str) -> None:
        latest = last_controls(field)
        for pk, name in areas:
            last = latest.get(pk)
            if last is None or timezone.localdate(last) < cutoff_day:
                found.append(Uncontrolled(kind, pk, name, last))

    owned = touchpoints.touchpoints(touchpoints.TouchpointFilters(owner_id=user.pk))
    check("touchpoint", [(t.pk, t.name) for t in owned], "touchpoint")
    stages = touchpoints.stages().filter(owner=user)
    check("stage", [(s.pk, touchpoints.stage_label(s)) for s in stages], "stage")
    if user.has_perm(PLAN):
        teams = OrgUnit.objects.filter(kind=OrgUnit.Kind.TEAM)
        check("team", [(t.pk, t.name) for t in teams], "team")
    return found


@dataclass(frozen=True)
class ExemplaryItem:
    evaluation: Evaluation
    # Shown only to a viewer who may see the case (else None: the client stays hidden).
    case_label: str | None
    client_name: str | None


def exemplary_feed(user: Any, *, limit: int = 50) -> list[ExemplaryItem]:
    """Company-wide: completed results marked exemplary, newest mark first. A case and its
    client are named only to a viewer who may see that case."""
    rows = (
        completed()
        .filter(exemplary=True)
        .select_related("version__checklist", "employee", "team", "touchpoint", "stage")
        .order_by("-exemplary_at", "-id")[:limit]
    )
    items = []
    for evaluation in rows:
        case_label = client_name = None
        if evaluation.case_id is not None:
            case = desk.case_for(user, evaluation.case_id)
            if case is not None:
                case_label = f"{case.number} {case.subject}"
                if user.has_perm("clients.view_client"):
                    client_name = str(case.client)
        items.append(ExemplaryItem(evaluation, case_label, client_name))
    return items
