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
