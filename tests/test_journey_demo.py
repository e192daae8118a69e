"""The demo journey: stages in the operator's language; every demo client where the journey's
own rules put it, with a history that matches its purchases, so the rules find nothing to do
right after loading; prospects and first-time buyers at the top of the funnel."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
from django.db.models import Count, Max, Min
from django.utils import timezone

from kliento.clients.demo.company import load_demo_clients
from kliento.clients.models import Client, Purchase
from kliento.core.demo import DemoOptions
from kliento.core.demo_organisation import load_organisation
from kliento.journeys import demo, demo_texts, engine
from kliento.journeys.models import ClientStage, Journey, MoveRule, Stage, StageMove

pytestmark = pytest.mark.django_db


def load(language: str, clients: int = 60) -> Journey:
    quiet = DemoOptions(language=language, report=lambda _m: None)
    load_organisation(quiet)
    load_demo_clients(clients=clients, language=language)
    demo.load(quiet)
    return Journey.objects.get()


def test_the_demo_journey_in_polish():
    journey = load("pl")
    assert journey.name == "Ścieżka klienta"
    names = list(Stage.objects.filter(journey=journey).values_list("name", "is_exit"))
    assert names[0] == ("Świadomość", False) and names[-1] == ("Utracony", True)
    assert len({s.owner_id for s in Stage.objects.all()}) > 1
    assert ClientStage.objects.count() == Client.objects.count() >= 60
    assert MoveRule.objects.count() == 4
    for place in ClientStage.objects.all():
        last = StageMove.objects.filter(client_id=place.client_id).order_by("-moved_at").first()
        assert last.to_stage_id == place.stage_id and last.moved_at == place.entered_at
    # A second load leaves the journey as it is.
    demo.load(DemoOptions(language="pl", report=lambda _m: None))
    assert Journey.objects.count() == 1


def test_the_rules_move_nobody_right_after_loading_and_every_stage_has_clients():
    """The defect: the scheduler's first run moved almost everyone to Repeat / At risk /
    Churned, as clients had been put at random stages whatever they had bought."""
    journey = load("en")
    stages = list(Stage.objects.filter(journey=journey).order_by("position"))
    per_stage = Counter(ClientStage.objects.values_list("stage_id", flat=True))
    for stage in stages:
        if not stage.is_exit:
            assert per_stage[stage.pk] > 0, stage.name
    # No stage holds most of the clients (the defect put ~all in the last three).
    assert max(per_stage.values()) < 0.6 * sum(per_stage.values())

    result = engine.run_rules(journey_id=journey.pk)

    assert result.rules == 4 and result.examined > 0
    assert result.moved == 0
    assert Counter(ClientStage.objects.values_list("stage_id", flat=True)) == per_stage


def test_each_client_stands_where_its_purchases_and_status_put_it():
    journey = load("en")
    s = list(Stage.objects.filter(journey=journey).order_by("position"))
    today = timezone.localdate()
    bought = {
        row["client_id"]: row
        for row in Purchase.objects.values("client_id").annotate(
            n=Count("id"), first=Min("occurred_on"), last=Max("occurred_on")
        )
    }
    rules = {r.to_stage_id: r for r in MoveRule.objects.all()}
    for place in ClientStage.objects.select_related("client"):
        client, row = place.client, bought.get(place.client_id)
        n = row["n"] if row else 0
        stage = s.index(next(x for x in s if x.pk == place.stage_id))
        if client.status == Client.Status.LEFT:
            assert stage == demo.CHURNED
            continue
        assert stage != demo.CHURNED
        if stage in (demo.AWARENESS, demo.CONSIDERATION):
            assert n == 0
        elif stage == demo.AT_RISK:
            assert (today - row["last"]).days >= demo.INACTIVE_DAYS
        else:
            assert (today - row["last"]).days < demo.INACTIVE_DAYS
            assert n == 1 if stage in (demo.PURCHASE, demo.OWNERSHIP) else n >= 2

        moves = list(StageMove.objects.filter(client=client).order_by("moved_at", "id"))
        assert moves[0].from_stage_id is None and not any(m.forced for m in moves)
        for before, after in itertools.pairwise(moves):
            assert after.from_stage_id == before.to_stage_id
            assert after.moved_at > before.moved_at
        assert moves[-1].moved_at <= timezone.now()
        assert place.joined_at == moves[0].moved_at
        for move in moves:
            if move.to_stage_id in rules:
                # The stage a rule moves to is reached by that rule, named as the reason.
                assert move.rule == rules[move.to_stage_id] and move.reason == move.rule.name
            else:
                assert move.rule is None
        into = {m.to_stage_id: m for m in moves}
        if row and row["first"] < today - dt.timedelta(days=1):
            assert into[s[demo.PURCHASE].pk].moved_at.date() == row["first"]
        if s[demo.ADVOCACY].pk in into:
            advocacy = into[s[demo.ADVOCACY].pk]
            assert advocacy.actor_id == client.account_manager_id and advocacy.reason
            assert advocacy.reason in {t["en"] for t in demo_texts.ADVOCATES}


def test_prospects_are_people_named_in_the_demo_language_some_over_target():
    journey = load("uk", clients=40)
    top = {s.position: s for s in Stage.objects.filter(journey=journey, position__in=[1, 2])}
    waiting = ClientStage.objects.filter(stage__in=top.values()).select_related("client", "stage")
    assert len(waiting) == demo.PROSPECTS
    firsts = set(demo_texts.FEMALE["uk"] + demo_texts.MALE["uk"])
    now = timezone.now()
    over = 0
    for place in waiting:
        client = place.client
        assert client.kind == Client.Kind.PERSON and client.language == "uk"
        assert client.name.split()[0] in firsts
        assert not Purchase.objects.filter(client=client).exists()
        assert now - place.entered_at < dt.timedelta(days=61)
        over += (now - place.entered_at).days > place.stage.target_days
    assert 0 < over < demo.PROSPECTS / 2
    assert Counter(p.stage.position for p in waiting)[2] > 0
    assert engine.run_rules().moved == 0
