"""Who may see and work which case: the one rule every view, API endpoint and search uses.

A user with `desk.view_all_cases` sees every case. Anyone else with `desk.view_case` sees the
cases assigned to them, the cases of their team (their unit and the units under it) and the
cases no team has taken yet; every other case is hidden as if it did not exist (404, never
403, so ids in URLs reveal nothing).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from kliento.core.models import OrgUnit
from kliento.desk.models import Case

VIEW = "desk.view_case"
VIEW_ALL = "desk.view_all_cases"
WORK = "desk.work_cases"
MANAGE = "desk.manage_desk"


def team_ids(user: Any) -> set[int]:
    """The user's unit and every unit below it."""
    profile = getattr(user, "staff_profile", None)
    unit_id = getattr(profile, "unit_id", None)
    if unit_id is None:
        return set()
    found = {unit_id}
    frontier = {unit_id}
    while frontier:
        frontier = (
            set(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        )
        found |= frontier
    return found


def visibility(user: Any, *, teams: set[int] | None = None) -> Q | None:
    """The filter of the cases `user` may see; None: all of them. `teams`: the user's
    `team_ids`, when the caller has them already."""
    if not user.is_authenticated or not user.has_perm(VIEW):
        return Q(pk__in=[])
    if user.has_perm(VIEW_ALL):
        return None
    if teams is None:
        teams = team_ids(user)
    return Q(assignee_id=user.pk) | Q(team_id__in=teams) | Q(team__isnull=True)


def visible_cases(user: Any) -> QuerySet[Case]:
    rule = visibility(user)
    cases = Case.objects.all()
    return cases if rule is None else cases.filter(rule)


def can_see(user: Any, case: Case) -> bool:
    rule = visibility(user)
    return rule is None or visible_cases(user).filter(pk=case.pk).exists()


def can_work(user: Any, case: Case) -> bool:
    return user.has_perm(WORK) and can_see(user, case)
