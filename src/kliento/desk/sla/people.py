"""Who is told about a case's SLA warnings, breaches and escalations."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse

from kliento.core.models import OrgUnit
from kliento.desk import access
from kliento.desk.models import Case


def case_url(case: Case) -> str:
    """The case's page; empty while no case page is mounted (the notification then has no
    link rather than a broken one)."""
    try:
        return reverse("desk:case", args=[case.pk])
    except NoReverseMatch:
        return ""


def _units_up(unit_id: int) -> list[int]:
    """The unit and the units above it (a team's managers often sit in its department)."""
    found: list[int] = []
    current: int | None = unit_id
    while current is not None and current not in found:
        found.append(current)
        current = OrgUnit.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return found


def unit_members(unit_id: int) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(is_active=True, staff_profile__unit_id=unit_id)
        .order_by("pk")
    )


def team_managers(unit_id: int) -> list[Any]:
    """People who set up the desk (managers) in the team or a unit above it."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__unit_id__in=_units_up(unit_id))
        .order_by("pk")
    )
    return [user for user in users if user.has_perm(access.MANAGE)]


def role_holders(role: str, unit_id: int | None) -> list[Any]:
    """People with the role; those in the case's team (or above it) when there are any, else
    everyone with the role."""
    users = get_user_model().objects.filter(is_active=True, groups__name=role).order_by("pk")
    if unit_id is not None:
        near = list(users.filter(staff_profile__unit_id__in=_units_up(unit_id)))
        if near:
            return near
    return list(users)


def workers(case: Case) -> list[Any]:
    """The assignee; without one, the team's members who may work cases."""
    if case.assignee_id is not None and case.assignee is not None:
        return [case.assignee]
    if case.team_id is not None:
        return [u for u in unit_members(case.team_id) if u.has_perm(access.WORK)]
    return []


def breach_recipients(case: Case) -> list[Any]:
    """Those who work the case and the team's managers."""
    people = {u.pk: u for u in workers(case)}
    if case.team_id is not None:
        people.update({u.pk: u for u in team_managers(case.team_id)})
    return list(people.values())
