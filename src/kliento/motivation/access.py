"""Who sees whose KPIs and statements: everyone their own; a manager (review_statements) the
members of their unit and the units under it; holders of view_all_statements everyone."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from kliento.core.models import OrgUnit, StaffProfile

REVIEW = "motivation.review_statements"
VIEW_ALL = "motivation.view_all_statements"
MANAGE = "motivation.manage_schemes"
EXPORT = "motivation.export_payroll"
THANK = "motivation.give_thanks"


def _units_under(unit_id: int) -> set[int]:
    found, frontier = {unit_id}, [unit_id]
    while frontier:
        children = list(OrgUnit.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def team_ids(user: Any) -> set[int] | None:
    """Ids of the people whose statements `user` may see; None means everyone."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.has_perm(VIEW_ALL):
        return None
    ids = {user.pk}
    if user.has_perm(REVIEW):
        unit_id = StaffProfile.objects.filter(user=user).values_list("unit_id", flat=True).first()
        if unit_id:
            units = _units_under(unit_id)
            ids.update(
                StaffProfile.objects.filter(unit_id__in=units).values_list("user_id", flat=True)
            )
    return ids


def may_see_employee(user: Any, employee_id: int) -> bool:
    ids = team_ids(user)
    return ids is None or employee_id in ids


def may_review(user: Any, employee_id: int) -> bool:
    """A manager reviews and approves their team's statements, never their own."""
    if not user.has_perm(REVIEW) or employee_id == user.pk:
        return False
    return may_see_employee(user, employee_id)


def visible_people(user: Any) -> QuerySet[Any]:
    people = get_user_model().objects.filter(is_active=True).order_by("first_name", "username")
    ids = team_ids(user)
    return people if ids is None else people.filter(pk__in=ids)
