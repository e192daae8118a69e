"""Move rules: configurable data, idempotent and incremental runs, refused bad rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kliento.clients.models import Client, TimelineEntry
from kliento.journeys import engine, services
from kliento.journeys.models import ClientStage, MoveRule, StageMove
from kliento.journeys.selectors import current_stage_ids
from tests.factories import ClientFactory, PurchaseFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db


def rule(journey, stages, condition, n, sources, target, unplaced=False, position=1):
    return services.save_rule(
        actor=None,
        journey=journey,
        name=f"{condition} {n}",
        condition=condition,
        threshold=n,
        from_stages=[stages[s] for s in sources],
        include_unplaced=unplaced,
        to_stage=stages[target],
        position=position,
    )


def buy(client, days_ago=1):
    """A purchase, with the client's last purchase kept as the purchase service keeps it."""
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    PurchaseFactory(client=client, occurred_on=day)
    last = max(day, client.last_purchase_on or day)
    Client.objects.filter(pk=client.pk).update(last_purchase_on=last)
    client.last_purchase_on = last


def test_first_and_second_purchase_move_once_each():
    journey, stages = make_journey()
    rule(journey, stages, "purchases", 1, ["Awareness"], "Purchase", unplaced=True, position=1)
    rule(journey, stages, "purchases", 2, ["Purchase", "Ownership"], "Repeat", position=2)
    one, two, none = ClientFactory(), ClientFactory(), ClientFactory()
    buy(one)
    buy(two, 10)
    buy(two, 5)
    result = engine.run_rules()
    assert current_stage_ids(client_id=one.pk) == [stages["Purchase"].pk]
    # The first rule placed it at Purchase, the second took it on to Repeat in the same run.
    assert current_stage_ids(client_id=two.pk) == [stages["Repeat"].pk]
    assert current_stage_ids(client_id=none.pk) == []
    assert result.moved == 3
    moves = StageMove.objects.count()
    again = engine.run_rules()
    assert again.moved == 0 and StageMove.objects.count() == moves
    # A rule's move is on the timeline, attributed to the rule.
    entry = TimelineEntry.objects.filter(client=two, kind=services.MOVED).first()
    assert entry.data["rule_id"] is not None and entry.actor_id is None


def test_a_later_run_looks_only_at_what_changed_and_still_catches_it(monkeypatch):
    journey, stages = make_journey()
    first = rule(journey, stages, "purchases", 1, ["Awareness"], "Purchase")
    client = ClientFactory()
    services.move_client(actor=None, client_id=client.pk, to_stage=stages["Awareness"])
    full = engine.run_rules()
    assert full.moved == 0 and full.examined == 1
    first.refresh_from_db()
    assert first.checked_until is not None
    # Pretend the last run was long ago for everything but this client.
    bystander = ClientFactory()
    services.move_client(actor=None, client_id=bystander.pk, to_stage=stages["Awareness"])
    old = timezone.now() - dt.timedelta(days=30)
    Client.objects.filter(pk=bystander.pk).update(updated_at=old)
    ClientStage.objects.filter(client=bystander).update(entered_at=old)
    buy(client)
    examined = []
    apply = engine._apply
    monkeypatch.setattr(
        engine, "_apply", lambda r, s, ids, t: examined.extend(ids) or apply(r, s, ids, t)
    )
    later = engine.run_rules()
    assert later.moved == 1
    assert set(examined) == {client.pk}
    assert current_stage_ids(client_id=client.pk) == [stages["Purchase"].pk]


def test_inactivity_and_leaving():
    journey, stages = make_journey()
    rule(
        journey, stages, "inactive", 180, ["Purchase", "Ownership", "Repeat"], "At risk", position=1
    )
    rule(
        journey,
        stages,
        "left",
        0,
        ["Awareness", "Purchase", "Ownership", "Repeat", "At risk"],
        "Churned",
        position=2,
    )
    lapsed, fresh, gone = ClientFactory(), ClientFactory(), ClientFactory()
    for client, days in ((lapsed, 200), (fresh, 20), (gone, 20)):
        buy(client, days)
        services.move_client(
            actor=None, client_id=client.pk, to_stage=stages["Ownership"], force=True, reason="x"
        )
    Client.objects.filter(pk=gone.pk).update(status="left")
    assert engine.run_rules().moved == 2
    assert current_stage_ids(client_id=lapsed.pk) == [stages["At risk"].pk]
    assert current_stage_ids(client_id=fresh.pk) == [stages["Ownership"].pk]
    assert current_stage_ids(client_id=gone.pk) == [stages["Churned"].pk]
    assert engine.run_rules().moved == 0


def test_a_manual_move_back_is_respected_by_the_next_incremental_run():
    journey, stages = make_journey()
    rule(journey, stages, "inactive", 180, ["Ownership"], "At risk")
    client = ClientFactory()
    buy(client, 200)
    services.move_client(
        actor=None, client_id=client.pk, to_stage=stages["Ownership"], force=True, reason="x"
    )
    engine.run_rules()
    assert current_stage_ids(client_id=client.pk) == [stages["At risk"].pk]
    # Reaching a source stage again makes the client a candidate again: the condition, not a
    # memory of past runs, decides, so a lapsed client put back by hand moves again.
    services.move_client(
        actor=None, client_id=client.pk, to_stage=stages["Ownership"], force=True, reason="back"
    )
    assert engine.run_rules().moved == 1


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"sources": ["Purchase"], "target": "Purchase"}, "from_stages", "cyclic"),
        ({"sources": []}, "from_stages", "required"),
        ({"n": 0}, "threshold", "min_value"),
        ({"condition": "astrology"}, "condition", "invalid_choice"),
        ({"target": "other"}, "to_stage", "other_journey"),
    ],
)
def test_bad_rules_are_refused(change, field, code):
    journey, stages = make_journey()
    _other, other_stages = make_journey("B2B")
    target = (
        other_stages["Purchase"]
        if change.get("target") == "other"
        else stages[change.get("target", "Repeat")]
    )
    with pytest.raises(ValidationError) as caught:
        services.save_rule(
            actor=None,
            journey=journey,
            name="Bad",
            condition=change.get("condition", "purchases"),
            threshold=change.get("n", 1),
            from_stages=[stages[s] for s in change.get("sources", ["Awareness"])],
            to_stage=target,
        )
    assert caught.value.error_dict[field][0].code == code
    assert not MoveRule.objects.exists()


def test_the_command_and_the_task_apply_the_rules(settings):
    from django.core.management import call_command

    from kliento.journeys.tasks import apply_move_rules

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    journey, stages = make_journey()
    rule(journey, stages, "purchases", 1, ["Awareness"], "Purchase", unplaced=True)
    buy(ClientFactory())
    call_command("apply_move_rules", "--enqueue")
    assert StageMove.objects.count() == 1
    buy(ClientFactory())
    call_command("apply_move_rules")
    assert StageMove.objects.count() == 2
    assert apply_move_rules.call().endswith("0 moved")


def test_rules_that_would_send_clients_round_in_circles_are_refused():
    journey, stages = make_journey()
    rule(journey, stages, "purchases", 2, ["Ownership", "At risk"], "Repeat")
    with pytest.raises(ValidationError) as caught:
        rule(journey, stages, "inactive", 180, ["Repeat"], "At risk")
    assert caught.value.error_dict["to_stage"][0].code == "cyclic"
    assert MoveRule.objects.count() == 1


def test_rules_in_any_order_settle_in_one_run():
    journey, stages = make_journey()
    # The later stage's rule comes first: a second pass takes the client on.
    rule(journey, stages, "purchases", 1, ["Purchase"], "Ownership", position=1)
    rule(journey, stages, "purchases", 1, ["Awareness"], "Purchase", position=2)
    client = ClientFactory()
    services.move_client(actor=None, client_id=client.pk, to_stage=stages["Awareness"])
    buy(client)
    assert engine.run_rules().moved == 2
    assert current_stage_ids(client_id=client.pk) == [stages["Ownership"].pk]
    assert engine.run_rules().moved == 0
