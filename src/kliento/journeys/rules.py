"""Who may do what on a journey, and which moves follow it: one place the forms, the API and
the services ask."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kliento.clients import selectors as clients
from kliento.journeys.models import Stage

VIEW = "journeys.view_journey"
MANAGE = "journeys.manage_journey"
MOVE = "journeys.move_client"
REASON_MAX = 500


def may_manage(user: Any) -> bool:
    return bool(user.has_perm(MANAGE))


def may_move(user: Any, *, client_id: int, current: Stage | None, target: Stage) -> bool:
    """A manager moves anyone; the owner of the client's stage (or, for a client not yet on the
    journey, of the stage it is placed at) acts on their stage; an agent moves the clients they
    handle (their account manager)."""
    if user is None:
        return True  # the system: the rule worker, the demo loader
    if not user.has_perm(MOVE):
        return False
    if may_manage(user):
        return True
    owner_id = current.owner_id if current is not None else target.owner_id
    if owner_id == user.pk:
        return True
    return client_id in clients.handled_by(user.pk, [client_id])


def movable_filter(user: Any) -> Q:
    """The ClientStage rows `user` may move (for lists that offer the move)."""
    if may_manage(user):
        return Q()
    return Q(stage__owner=user) | Q(client_id__in=clients.handled_ids_query(user.pk))


def main_path(stages: list[Stage]) -> list[Stage]:
    return [s for s in sorted(stages, key=lambda s: s.position) if not s.is_exit]


def follows_journey(stages: list[Stage], current: Stage | None, target: Stage) -> bool:
    """The next stage of the main path (the first one for a client not yet on the journey), or
    any exit stage. Anything else — back, skipping ahead, out of an exit stage — is forced."""
    if target.is_exit:
        return True
    path = main_path(stages)
    if current is None:
        return bool(path) and path[0].pk == target.pk
    if current.is_exit:
        return False
    ids = [s.pk for s in path]
    at = ids.index(current.pk) if current.pk in ids else -1
    return at >= 0 and at + 1 < len(ids) and ids[at + 1] == target.pk
