"""The client card's panel: the client's stage on each journey, its last moves and a move form
for whoever may move it."""

from __future__ import annotations

from typing import Any

from kliento.core.types import AuthenticatedHttpRequest
from kliento.journeys import rules
from kliento.journeys.forms import MoveForm
from kliento.journeys.models import ClientStage, Journey, Stage, StageMove

MOVES_SHOWN = 5


def panel_context(user: Any, client_id: int, form: MoveForm | None = None) -> dict[str, Any]:
    places = {
        cs.journey_id: cs
        for cs in ClientStage.objects.filter(client_id=client_id).select_related("stage")
    }
    rows = []
    for journey in Journey.objects.filter(is_active=True).order_by("name"):
        stages = list(Stage.objects.filter(journey=journey).order_by("position"))
        if not stages:
            continue
        place = places.get(journey.pk)
        current = place.stage if place else None
        movable = any(
            rules.may_move(user, client_id=client_id, current=current, target=s)
            for s in stages[:1] + ([current] if current else [])
        ) and user.has_perm(rules.MOVE)
        moves = list(
            StageMove.objects.filter(client_id=client_id, journey=journey).select_related(
                "from_stage", "to_stage", "actor", "rule"
            )[:MOVES_SHOWN]
        )
        rows.append(
            {
                "journey": journey,
                "place": place,
                "moves": moves,
                "form": (
                    form
                    if form is not None and form.prefix == f"j{journey.pk}"
                    else MoveForm(
                        stages=stages,
                        current_id=current.pk if current else None,
                        prefix=f"j{journey.pk}",
                    )
                )
                if movable
                else None,
            }
        )
    return {"client_id": client_id, "journeys": rows}


def stage_panel(request: AuthenticatedHttpRequest, client: Any) -> dict[str, Any] | None:
    context = panel_context(request.user, client.pk)
    return context if context["journeys"] else None
