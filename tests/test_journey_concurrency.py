"""Two rule workers at once on PostgreSQL: nobody is moved twice, and two people moving the
same client at the same moment make one move after the other."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from kliento.clients import selectors as clients
from kliento.journeys import engine, services
from kliento.journeys.models import ClientStage, StageMove
from tests.factories import ClientFactory, PurchaseFactory
from tests.journeys_helpers import make_journey
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite has no row locks; the race is tested on PostgreSQL",
    ),
]

PAUSE = 0.2


def test_two_workers_move_each_client_once(monkeypatch):
    journey, stages = make_journey()
    services.save_rule(
        actor=None,
        journey=journey,
        name="First purchase",
        condition="purchases",
        threshold=1,
        from_stages=[stages["Awareness"]],
        include_unplaced=True,
        to_stage=stages["Purchase"],
    )
    buyers = [ClientFactory() for _ in range(30)]
    for client in buyers[:20]:
        services.move_client(actor=None, client_id=client.pk, to_stage=stages["Awareness"])
    for client in buyers:
        PurchaseFactory(client=client)
    monkeypatch.setattr(engine, "BATCH", 7)
    facts = clients.lifecycle_facts

    def slow_facts(ids):
        # Read after the batch's rows are locked: both workers hold their batch at once.
        time.sleep(PAUSE)
        return facts(ids)

    monkeypatch.setattr(engine.clients, "lifecycle_facts", slow_facts)
    results = []
    errors = run_together(
        lambda: results.append(engine.run_rules()), lambda: results.append(engine.run_rules())
    )
    assert errors == []
    assert sum(r.moved for r in results) == 30
    for client in buyers:
        rule_moves = StageMove.objects.filter(client=client, rule__isnull=False).count()
        assert rule_moves == 1, client.pk
    assert ClientStage.objects.filter(stage=stages["Purchase"]).count() == 30


def test_two_people_move_the_same_client_one_after_the_other(manager):
    _journey, stages = make_journey()
    client = ClientFactory()
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    errors = run_together(
        lambda: services.move_client(
            actor=manager, client_id=client.pk, to_stage=stages["Purchase"]
        ),
        lambda: services.move_client(
            actor=manager, client_id=client.pk, to_stage=stages["Purchase"]
        ),
    )
    # The second found the client at Purchase already (its lock waited for the first).
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert StageMove.objects.filter(client=client).count() == 2
