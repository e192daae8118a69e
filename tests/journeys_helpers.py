"""A small journey for the journeys tests: four main stages and two exit stages."""

from __future__ import annotations

from kliento.core import roles
from kliento.journeys import services
from kliento.journeys.models import Stage
from tests.factories import UserFactory

NAMES = ["Awareness", "Purchase", "Ownership", "Repeat"]
EXITS = ["At risk", "Churned"]


def make_journey(name: str = "B2C", owner=None, targets=None):
    owner = owner or UserFactory(username=f"owner-{name}", role=roles.STAGE_OWNER)
    targets = targets or {}
    specs = [services.StageSpec(name=n, owner=owner, target_days=targets.get(n)) for n in NAMES] + [
        services.StageSpec(name=n, owner=owner, is_exit=True) for n in EXITS
    ]
    journey = services.create_journey(actor=None, name=name, stages=specs)
    stages = {s.name: s for s in Stage.objects.filter(journey=journey)}
    return journey, stages
