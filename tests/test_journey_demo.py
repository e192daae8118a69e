"""The demo journey: stages in the operator's language, every demo client on it with a history
that follows the journey, rules that find nothing left to do right away but are idempotent."""

from __future__ import annotations

import pytest

from kliento.clients.demo.company import load_demo_clients
from kliento.clients.models import Client
from kliento.core.demo import DemoOptions
from kliento.core.demo_organisation import load_organisation
from kliento.journeys import demo, engine
from kliento.journeys.models import ClientStage, Journey, MoveRule, Stage, StageMove

pytestmark = pytest.mark.django_db


def test_the_demo_journey_in_polish():
    load_organisation(DemoOptions(language="pl", report=lambda _m: None))
    load_demo_clients(clients=60, language="pl")
    demo.load(DemoOptions(language="pl", report=lambda _m: None))
    journey = Journey.objects.get()
    assert journey.name == "Ścieżka klienta"
    names = list(Stage.objects.filter(journey=journey).values_list("name", "is_exit"))
    assert names[0] == ("Świadomość", False) and names[-1] == ("Utracony", True)
    assert len({s.owner_id for s in Stage.objects.all()}) > 1
    assert ClientStage.objects.count() == Client.objects.count() >= 60
    assert MoveRule.objects.count() == 4
    for place in ClientStage.objects.all():
        last = StageMove.objects.filter(client_id=place.client_id).order_by("-moved_at").first()
        assert last.to_stage_id == place.stage_id and last.moved_at == place.entered_at
    engine.run_rules()
    assert engine.run_rules().moved == 0
    # A second load leaves the journey as it is.
    demo.load(DemoOptions(language="pl", report=lambda _m: None))
    assert Journey.objects.count() == 1
