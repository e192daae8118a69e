"""The customer journey: one owner per stage, moves that follow the journey, the card panel and
timeline, client merge, permissions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.clients.services import merge_clients
from kliento.core import roles
from kliento.core.models import AuditEntry, Notification
from kliento.journeys import services
from kliento.journeys.models import ClientStage, Journey, MoveRule, Stage, StageMove
from kliento.journeys.selectors import current_stage_ids
from tests.factories import ClientFactory, UserFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db


# --- exactly one owner -----------------------------------------------------------------------


def test_the_database_refuses_a_stage_without_an_owner():
    journey, _stages = make_journey()
    with pytest.raises(IntegrityError), transaction.atomic():
        Stage.objects.create(journey=journey, position=99, name="Nobody's")


def test_the_service_refuses_no_owner_or_two_with_one_message(manager):
    journey, stages = make_journey()
    other = UserFactory(role=roles.AGENT)
    for owner in (None, [], [manager, other]):
        with pytest.raises(ValidationError) as caught:
            services.save_stage(
                actor=manager,
                journey=journey,
                stage=stages["Purchase"],
                owner=owner,
                name="Purchase",
            )
        assert caught.value.error_dict["owner"][0].code == "one_owner"
    assert Stage.objects.get(pk=stages["Purchase"].pk).owner_id == stages["Awareness"].owner_id


def test_the_stage_form_says_the_owner_is_missing_beside_the_field(as_manager):
    _journey, stages = make_journey()
    url = reverse("journeys:stage_edit", args=[stages["Purchase"].pk])
    response = as_manager.post(url, {"name": "Purchase", "owner": ""})
    assert response.status_code == 400
    assert "exactly one owner" in response.context["form"].errors["owner"][0]


def test_a_new_owner_is_audited_and_notified(manager, as_manager):
    _journey, stages = make_journey()
    new_owner = UserFactory(username="newowner", role=roles.STAGE_OWNER)
    url = reverse("journeys:stage_edit", args=[stages["Purchase"].pk])
    response = as_manager.post(url, {"name": "Purchase", "owner": new_owner.pk, "target_days": 7})
    assert response.status_code == 302
    stage = Stage.objects.get(pk=stages["Purchase"].pk)
    assert (stage.owner_id, stage.target_days) == (new_owner.pk, 7)
    entry = AuditEntry.objects.get(action="journey.stage_owner_changed")
    assert entry.changes["to"] == new_owner.pk and entry.actor == manager
    assert Notification.objects.filter(recipient=new_owner, kind=services.OWNER_GIVEN).exists()


# --- moves -----------------------------------------------------------------------------------


def test_a_move_records_from_to_who_why_and_the_timeline(manager):
    _journey, stages = make_journey()
    client = ClientFactory()
    first = services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    move = services.move_client(
        actor=manager, client_id=client.pk, to_stage=stages["Purchase"], reason="paid"
    )
    assert first.from_stage is None
    assert (move.from_stage, move.to_stage, move.actor, move.reason, move.forced) == (
        stages["Awareness"],
        stages["Purchase"],
        manager,
        "paid",
        False,
    )
    assert current_stage_ids(client_id=client.pk) == [stages["Purchase"].pk]
    place = ClientStage.objects.get(client=client)
    assert place.joined_at == first.moved_at and place.entered_at == move.moved_at
    entry = TimelineEntry.objects.filter(client=client, kind=services.MOVED).first()
    assert entry.data["to_stage_id"] == stages["Purchase"].pk
    assert "Purchase" not in str(entry.data)  # ids, not names


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (None, "Purchase"),
        ("Awareness", "Ownership"),
        ("Purchase", "Awareness"),
        ("At risk", "Repeat"),
    ],
)
def test_off_the_order_needs_force_and_a_reason(manager, start, target):
    _journey, stages = make_journey()
    client = ClientFactory()
    if start:
        services.move_client(
            actor=manager, client_id=client.pk, to_stage=stages[start], force=True, reason="set"
        )
    with pytest.raises(ValidationError) as caught:
        services.move_client(actor=manager, client_id=client.pk, to_stage=stages[target])
    assert caught.value.error_dict["to_stage"][0].code == "not_next"
    with pytest.raises(ValidationError) as caught:
        services.move_client(
            actor=manager, client_id=client.pk, to_stage=stages[target], force=True
        )
    assert caught.value.error_dict["reason"][0].code == "required"
    moves = StageMove.objects.filter(client=client).count()
    move = services.move_client(
        actor=manager, client_id=client.pk, to_stage=stages[target], force=True, reason="because"
    )
    assert move.forced and StageMove.objects.filter(client=client).count() == moves + 1


def test_an_exit_stage_is_reachable_from_anywhere(manager):
    _journey, stages = make_journey()
    client = ClientFactory()
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    assert not services.move_client(
        actor=manager, client_id=client.pk, to_stage=stages["Churned"]
    ).forced


def test_bad_moves_are_refused_and_write_nothing(manager):
    journey, stages = make_journey()
    _other_journey, other = make_journey("B2B")
    client = ClientFactory()
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    cases = [
        ({"to_stage": 999_999}, "unknown_id"),
        ({"to_stage": other["Awareness"], "journey": journey}, "other_journey"),
        ({"to_stage": stages["Awareness"]}, "same_stage"),
    ]
    for kwargs, code in cases:
        with pytest.raises(ValidationError) as caught:
            services.move_client(actor=manager, client_id=client.pk, **kwargs)
        assert caught.value.error_dict["to_stage"][0].code == code
    assert StageMove.objects.filter(client=client).count() == 1


def test_an_empty_or_cyclic_journey_is_refused(manager):
    owner = UserFactory(role=roles.STAGE_OWNER)
    with pytest.raises(ValidationError) as caught:
        services.create_journey(actor=manager, name="Empty", stages=[])
    assert caught.value.error_dict["stages"][0].code == "empty"
    with pytest.raises(ValidationError) as caught:
        services.create_journey(
            actor=manager,
            name="Only exits",
            stages=[services.StageSpec(name="Churned", owner=owner, is_exit=True)],
        )
    assert caught.value.error_dict["stages"][0].code == "empty"
    with pytest.raises(ValidationError) as caught:
        services.create_journey(
            actor=manager,
            name="Loop",
            stages=[
                services.StageSpec(name="A", owner=owner),
                services.StageSpec(name="B", owner=owner),
                services.StageSpec(name="a", owner=owner),
            ],
        )
    assert caught.value.error_dict["stages"][0].code == "cyclic"


# --- who may move whom -----------------------------------------------------------------------


def test_who_may_move(manager, agent, auditor, outsider):
    owner = UserFactory(username="stage-owner", role=roles.STAGE_OWNER)
    _journey, stages = make_journey(owner=owner)
    other_owner = UserFactory(role=roles.STAGE_OWNER)
    handled = ClientFactory(account_manager=agent)
    stranger = ClientFactory()
    for client in (handled, stranger):
        services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    # The agent moves the clients they handle, not others.
    services.move_client(actor=agent, client_id=handled.pk, to_stage=stages["Purchase"])
    with pytest.raises(PermissionDenied):
        services.move_client(actor=agent, client_id=stranger.pk, to_stage=stages["Purchase"])
    # The stage's owner acts on their stage; another stage owner does not.
    services.move_client(actor=owner, client_id=stranger.pk, to_stage=stages["Purchase"])
    with pytest.raises(PermissionDenied):
        services.move_client(actor=other_owner, client_id=stranger.pk, to_stage=stages["Ownership"])
    for user in (auditor, outsider):
        with pytest.raises(PermissionDenied):
            services.move_client(actor=user, client_id=handled.pk, to_stage=stages["Ownership"])


@pytest.mark.parametrize(
    ("persona", "board", "setup"),
    [("manager", 200, 200), ("agent", 200, 403), ("auditor", 200, 403), ("outsider", 403, 403)],
)
def test_pages_by_role(request, persona, board, setup):
    http = request.getfixturevalue(f"as_{persona}")
    journey, _stages = make_journey()
    assert http.get(reverse("journeys:board", args=[journey.pk])).status_code == board
    assert http.get(reverse("journeys:setup", args=[journey.pk])).status_code == setup
    assert http.get(reverse("journeys:my_stage")).status_code == board


def test_only_a_manager_edits_rules_and_stages(as_agent):
    _journey, stages = make_journey()
    response = as_agent.post(
        reverse("journeys:stage_edit", args=[stages["Purchase"].pk]),
        {"name": "Hacked", "owner": stages["Purchase"].owner_id},
    )
    assert response.status_code == 403
    assert Stage.objects.get(pk=stages["Purchase"].pk).name == "Purchase"


# --- board and card --------------------------------------------------------------------------


def test_the_board_moves_with_the_next_stage_button(manager, as_manager):
    journey, stages = make_journey()
    client = ClientFactory(name="Board Client")
    services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    board = as_manager.get(reverse("journeys:board", args=[journey.pk]))
    assert "Board Client" in board.content.decode()
    assert "Move Board Client to Purchase" in board.content.decode()
    prefix = "c"
    response = as_manager.post(
        reverse("journeys:move", args=[client.pk]),
        {"prefix": prefix, f"{prefix}-to_stage": stages["Purchase"].pk},
    )
    assert response.status_code == 302
    assert current_stage_ids(client_id=client.pk) == [stages["Purchase"].pk]
    # Skipping a stage from the board is refused with the reason as a message.
    response = as_manager.post(
        reverse("journeys:move", args=[client.pk]),
        {"prefix": prefix, f"{prefix}-to_stage": stages["Repeat"].pk},
        follow=True,
    )
    assert "not the next stage" in response.content.decode()
    assert current_stage_ids(client_id=client.pk) == [stages["Purchase"].pk]


def test_the_card_panel_moves_and_shows_the_error_beside_the_field(manager, as_manager):
    journey, stages = make_journey()
    client = ClientFactory()
    card = as_manager.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "journey-panel" in card and "not on this journey" in card
    prefix = f"j{journey.pk}"
    url = reverse("journeys:move", args=[client.pk])
    bad = as_manager.post(
        url,
        {
            "prefix": prefix,
            "panel": "card",
            f"{prefix}-to_stage": stages["Repeat"].pk,
            f"{prefix}-force": "on",
        },
        headers={"HX-Request": "true"},
    )
    assert "needs a reason" in bad.content.decode()
    assert "HX-Trigger" not in bad
    good = as_manager.post(
        url,
        {"prefix": prefix, "panel": "card", f"{prefix}-to_stage": stages["Awareness"].pk},
        headers={"HX-Request": "true"},
    )
    assert good["HX-Trigger"] == "kliento:timeline-changed"
    assert current_stage_ids(client_id=client.pk) == [stages["Awareness"].pk]
    timeline = as_manager.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert "Placed at Awareness" in timeline


# --- merge -----------------------------------------------------------------------------------


def test_merge_keeps_the_survivors_stage_and_every_move(manager):
    journey, stages = make_journey()
    b2b, b2b_stages = make_journey("B2B")
    kept, dup = ClientFactory(), ClientFactory()
    services.move_client(actor=manager, client_id=kept.pk, to_stage=stages["Awareness"])
    for stage in ("Awareness", "Purchase"):
        services.move_client(actor=manager, client_id=dup.pk, to_stage=stages[stage])
    services.move_client(actor=manager, client_id=dup.pk, to_stage=b2b_stages["Awareness"])
    merge_clients(actor=manager, survivor=kept, duplicates=[dup])
    places = {p.journey_id: p.stage_id for p in ClientStage.objects.filter(client=kept)}
    assert places == {journey.pk: stages["Awareness"].pk, b2b.pk: b2b_stages["Awareness"].pk}
    assert StageMove.objects.filter(client=kept).count() == 4
    assert not ClientStage.objects.filter(client_id=dup.pk).exists()


def test_a_column_shows_twenty_and_loads_more(manager, as_manager):
    journey, stages = make_journey()
    for i in range(25):
        client = ClientFactory(name=f"Queue {i:02d}")
        services.move_client(actor=manager, client_id=client.pk, to_stage=stages["Awareness"])
    board = as_manager.get(reverse("journeys:board", args=[journey.pk])).content.decode()
    assert board.count("data-client-id=") == 20
    url = reverse("journeys:column", args=[stages["Awareness"].pk])
    more = as_manager.get(f"{url}?page=2", headers={"HX-Request": "true"}).content.decode()
    assert more.count("data-client-id=") == 5 and "Queue 20" in more
    assert as_manager.get(f"{url}?page=x").status_code == 200


def test_my_stage_lists_who_is_over_the_target(manager, client):
    owner = UserFactory(username="owner-me", role=roles.STAGE_OWNER)
    _journey, stages = make_journey(owner=owner, targets={"Awareness": 10})
    late, fresh = ClientFactory(name="Late One"), ClientFactory(name="Fresh One")
    for c in (late, fresh):
        services.move_client(actor=manager, client_id=c.pk, to_stage=stages["Awareness"])
    ClientStage.objects.filter(client=late).update(
        entered_at=timezone.now() - dt.timedelta(days=25)
    )
    client.force_login(owner)
    page = client.get(reverse("journeys:my_stage")).content.decode()
    assert "Late One" in page and "Fresh One" not in page and "stuck" in page


def test_a_manager_sets_up_a_journey_and_its_rules_in_pages(manager, as_manager):
    response = as_manager.post(
        reverse("journeys:create"),
        {
            "name": "B2B",
            "main_stages": "Lead\nDeal\n\nCustomer",
            "exit_stages": "Lost",
            "owner": manager.pk,
        },
    )
    assert response.status_code == 302
    journey = Journey.objects.get(name="B2B")
    stages = {s.name: s for s in Stage.objects.filter(journey=journey)}
    assert [s.name for s in Stage.objects.filter(journey=journey)] == [
        "Lead",
        "Deal",
        "Customer",
        "Lost",
    ]
    assert stages["Lost"].is_exit
    empty = as_manager.post(
        reverse("journeys:create"), {"name": "Empty", "main_stages": " \n", "owner": manager.pk}
    )
    assert empty.status_code == 400 and "main_stages" in empty.context["form"].errors
    url = reverse("journeys:rule_add", args=[journey.pk])
    rule = {
        "name": "Bought",
        "condition": "purchases",
        "threshold": 1,
        "position": 1,
        "from_stages": [stages["Lead"].pk, stages["Deal"].pk],
        "to_stage": stages["Customer"].pk,
        "is_active": "on",
    }
    assert as_manager.post(url, rule).status_code == 302
    back = {
        **rule,
        "name": "Back",
        "from_stages": [stages["Customer"].pk],
        "to_stage": stages["Lead"].pk,
    }
    refused = as_manager.post(url, back)
    assert refused.status_code == 400
    assert "round in circles" in str(refused.context["form"].errors["to_stage"])
    assert MoveRule.objects.count() == 1
    setup = as_manager.get(reverse("journeys:setup", args=[journey.pk])).content.decode()
    assert "Bought" in setup
    delete = reverse("journeys:rule_delete", args=[MoveRule.objects.get().pk])
    assert as_manager.post(delete).status_code == 302
    assert not MoveRule.objects.exists()
