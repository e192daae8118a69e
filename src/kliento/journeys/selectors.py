"""Reads of the journey that other apps rely on."""

from __future__ import annotations

from kliento.journeys.models import ClientStage


def current_stage_ids(*, client_id: int) -> list[int]:
    """The id of the stage the client is at now, one per journey it is on."""
    return list(
        ClientStage.objects.filter(client_id=client_id)
        .order_by("journey_id")
        .values_list("stage_id", flat=True)
    )


def moves_after(after_id: int, limit: int) -> list[tuple[int, int, int, int | None]]:
    """Stage moves after `after_id`, oldest first: (id, client_id, to_stage_id, moved_by_id).
    For sources that follow the journey incrementally (e.g. surveys' "stage entered")."""
    from kliento.journeys.models import StageMove

    return list(
        StageMove.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "client_id", "to_stage_id", "actor_id")[:limit]
    )


def latest_move_id() -> int:
    from django.db.models import Max

    from kliento.journeys.models import StageMove

    return int(StageMove.objects.aggregate(top=Max("pk"))["top"] or 0)
