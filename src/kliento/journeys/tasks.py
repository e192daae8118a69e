"""The background task that applies the journeys' move rules."""

from __future__ import annotations

from django.tasks import task


@task()
def apply_move_rules(journey_id: int | None = None) -> str:
    """Apply the active move rules (of one journey, or all). Safe to run twice, and two at once:
    see `kliento.journeys.engine`."""
    from kliento.journeys import engine

    result = engine.run_rules(journey_id=journey_id)
    return f"{result.rules} rules, {result.examined} clients examined, {result.moved} moved"
