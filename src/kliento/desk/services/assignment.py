"""Who works a case: manual assignment, taking a case (one of two agents wins), and the
automatic hand-out of a team's new cases (round-robin or least loaded)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor
from kliento.desk import access, hooks
from kliento.desk.hooks import CaseChange
from kliento.desk.models import Case, CaseEvent, TeamRouting
from kliento.desk.models.cases import history_data
from kliento.desk.services.cases import TIMELINE_CHANGED, _on_timeline

# Sentinel for "whoever holds it now": assign without a compare-and-set.
ANYONE = object()


class CaseTaken(Exception):
    """Someone else took the case first."""

    def __init__(self, case: Case) -> None:
        self.case = case
        holder = (
            case.assignee.get_full_name() or case.assignee.get_username() if case.assignee else ""
        )
        super().__init__(
            _("%(name)s has already taken this case.") % {"name": holder}
            if holder
            else _("The case changed hands in the meantime; reload it.")
        )


def team_members(team_id: int) -> list[Any]:
    """Agents of a team who may work cases, in a stable order."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, staff_profile__unit_id=team_id)
        .order_by("pk")
    )
    return [user for user in users if user.has_perm(access.WORK)]


def _record(case: Case, actor: Actor, old: int | None, new: int | None) -> None:
    now = timezone.now()
    diff = {"assignee": (old, new)}
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ASSIGNED,
        actor=actor,
        data=history_data(diff),
        created_at=now,
    )
    _on_timeline(case, TIMELINE_CHANGED, actor, {"changes": history_data(diff)})
    hooks.emit(CaseChange(case=case, kind="assigned", actor=actor, changes=diff))


@retry_on_conflict
@transaction.atomic
def assign(*, actor: Actor, case: Case, assignee: Any, expected: Any = ANYONE) -> Case:
    """Give the case to `assignee` (None: nobody). With `expected` (a user id or None), only if
    the case is still held by that user: the conditional UPDATE makes one of two agents who
    take the same case at once win, and the other gets CaseTaken."""
    if assignee is not None and not assignee.has_perm(access.WORK):
        raise ValidationError({"assignee": _("This person cannot work cases.")})
    new_id = getattr(assignee, "pk", None)
    rows = Case.objects.filter(pk=case.pk)
    if expected is not ANYONE:
        rows = rows.filter(assignee_id=expected)
    old_id = Case.objects.filter(pk=case.pk).values_list("assignee_id", flat=True).first()
    updated = (
        rows.exclude(assignee_id=new_id).update(assignee_id=new_id, updated_at=timezone.now())
        if new_id is not None
        else rows.exclude(assignee__isnull=True).update(assignee_id=None, updated_at=timezone.now())
    )
    current = Case.objects.select_related("assignee").get(pk=case.pk)
    if not updated:
        if current.assignee_id == new_id:
            return current
        raise CaseTaken(current)
    _record(current, actor, old_id if expected is ANYONE else expected, new_id)
    return current


def take(*, actor: Any, case: Case) -> Case:
    """The agent takes an unassigned case for themselves."""
    return assign(actor=actor, case=case, assignee=actor, expected=None)


def _least_loaded(members: list[Any]) -> Any:
    loads = dict(
        Case.objects.filter(assignee__in=members, status__in=Case.ACTIVE)
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
        .values_list("assignee_id", "n")
    )
    return min(members, key=lambda user: (loads.get(user.pk, 0), user.pk))


def route(*, case: Case) -> Case:
    """Hand a new case of a team to an agent by the team's strategy (nothing for manual).
    Runs inside the caller's transaction; the routing row is locked, so two cases arriving
    at once go to two agents in turn."""
    if case.team_id is None or case.assignee_id is not None:
        return case
    routing = TeamRouting.objects.select_for_update().filter(team_id=case.team_id).first()
    if routing is None or routing.strategy == TeamRouting.Strategy.MANUAL:
        return case
    members = team_members(case.team_id)
    if not members:
        return case
    if routing.strategy == TeamRouting.Strategy.ROUND_ROBIN:
        after = [user for user in members if user.pk > (routing.last_assignee_id or 0)]
        chosen = (after or members)[0]
    else:
        chosen = _least_loaded(members)
    routing.last_assignee = chosen
    routing.save(update_fields=["last_assignee"])
    return assign(actor=None, case=case, assignee=chosen, expected=None)


def open_count(user_ids: list[int]) -> dict[int, int]:
    return dict(
        Case.objects.filter(Q(assignee_id__in=user_ids) & Q(status__in=Case.ACTIVE))
        .values_list("assignee_id")
        .annotate(n=Count("pk"))
        .values_list("assignee_id", "n")
    )
