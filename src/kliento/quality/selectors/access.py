"""Who may see which evaluation (audits, mystery shops, QA reviews, calibration scorings).

- quality staff (`view_all_evaluations`: auditors, administrators, stage owners) see every
  evaluation, except another reviewer's calibration scoring while its session is open (blind
  scoring: the session page shows the scores once one has submitted one's own);
- a manager (`view_team_evaluations`) sees the completed evaluations of the people and teams
  of their unit and the units under it;
- whoever performs evaluations sees those they performed, drafts included;
- everyone sees the completed evaluations of their own work; a draft in progress is nobody's
  business but its author's. A calibration scoring is about the reviewers, not the agent (it
  names no employee), so an agent never sees one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kliento.core.models import OrgUnit, StaffProfile
from kliento.quality.models import CalibrationSeat, CalibrationSession, Evaluation

VIEW_ALL = "quality.view_all_evaluations"
VIEW_TEAM = "quality.view_team_evaluations"
PERFORM = "quality.perform_evaluations"


def _units_under(unit_id: int) -> set[int]:
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        children = OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def team_scope(user: Any) -> Q:
    """The evaluations about the people and units under the user's own unit (none without
    one)."""
    unit_id = StaffProfile.objects.filter(user=user).values_list("unit_id", flat=True).first()
    if not unit_id:
        return Q(pk__in=[])
    units = _units_under(unit_id)
    people = StaffProfile.objects.filter(unit_id__in=units).values("user_id")
    return Q(employee_id__in=people) | Q(team_id__in=units)


def visible_evaluations(user: Any) -> QuerySet[Evaluation]:
    found = Evaluation.objects.select_related(
        "version__checklist", "employee", "team", "touchpoint", "stage", "performed_by"
    )
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return found.none()
    completed = Q(status=Evaluation.Status.COMPLETED)
    if user.has_perm(VIEW_ALL):
        scoring = CalibrationSeat.objects.filter(
            session__status=CalibrationSession.Status.OPEN, evaluation__isnull=False
        ).values("evaluation_id")
        open_calibration = Q(kind=Evaluation.Kind.CALIBRATION, pk__in=scoring) & ~Q(
            performed_by=user
        )
        return found.exclude(open_calibration)
    seen = completed & Q(employee=user)
    if user.has_perm(VIEW_TEAM):
        seen |= completed & team_scope(user)
    if user.has_perm(PERFORM):
        seen |= Q(performed_by=user)
    return found.filter(seen)


def may_see_evaluation(user: Any, evaluation: Evaluation) -> bool:
    return visible_evaluations(user).filter(pk=evaluation.pk).exists()
