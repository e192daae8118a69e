"""The board's stored stage figures: computed right on a hand-computed fixture, refreshed
idempotently, honest about their time, and exact again after moves, deletions and merges once
refreshed. Also the conversion panel the board loads separately, and the split
"changed since" query the incremental rule runs use."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import Client, Purchase
from kliento.clients.selectors import clients_changed_since
from kliento.clients.services import delete_client, merge_clients
from kliento.core.schedule import periodic_jobs
from kliento.journeys import rollup, services
from kliento.journeys.models import ClientStage, StageRollup
from tests.factories import ClientFactory
from tests.journeys_helpers import make_journey

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)


def days_ago(n):
    return NOW - dt.timedelta(days=n)


def place(journey, stage, entered):
    client = ClientFactory()
    ClientStage.objects.create(
        client=client, journey=journey, stage=stage, entered_at=days_ago(entered), joined_at=NOW
    )
    return client


@pytest.fixture
def fixture():
    """Awareness (target 10 days): clients 2, 4, 12 and 30 days there. Purchase: one client
    5 days there."""
    journey, stages = make_journey(targets={"Awareness": 10})
    clients = [place(journey, stages["Awareness"], d) for d in (2, 4, 12, 30)]
    clients.append(place(journey, stages["Purchase"], 5))
    return journey, stages, clients


def figures_by_name(journey, now):
    board = rollup.board_figures(journey, now=now)
    return board, {f.stage.name: f for f in board.figures}


def test_refresh_stores_the_hand_computed_figures(fixture):
    journey, stages, _clients = fixture
    rollup.refresh(journey, now=NOW)
    row = StageRollup.objects.get(stage=stages["Awareness"])
    assert (row.count, row.over_target, row.refreshed_at) == (4, 2, NOW)
    assert row.average_days == pytest.approx(12) and row.median_days == pytest.approx(8)
    purchase = StageRollup.objects.get(stage=stages["Purchase"])
    assert (purchase.count, purchase.median_days, purchase.over_target) == (1, 5, 0)
    empty = StageRollup.objects.get(stage=stages["Repeat"])
    assert (empty.count, empty.average_days, empty.median_days) == (0, None, None)
    assert StageRollup.objects.count() == len(stages)


def test_refresh_is_idempotent(fixture):
    journey, stages, _clients = fixture
    rollup.refresh(journey, now=NOW)
    first = list(StageRollup.objects.order_by("stage_id").values())
    rollup.refresh(journey, now=NOW)
    assert list(StageRollup.objects.order_by("stage_id").values()) == first
    later = NOW + dt.timedelta(minutes=5)
    rollup.refresh(journey, now=later)
    assert StageRollup.objects.count() == len(stages)
    assert set(StageRollup.objects.values_list("refreshed_at", flat=True)) == {later}


def test_the_board_reads_the_stored_figures_with_their_time_until_refreshed(fixture, manager):
    journey, stages, clients = fixture
    rollup.refresh(journey, now=NOW)
    # Moves, a deletion and a merge after the refresh.
    services.move_client(actor=manager, client_id=clients[0].pk, to_stage=stages["Purchase"])
    delete_client(actor=manager, client=Client.objects.get(pk=clients[3].pk))
    merge_clients(actor=manager, survivor=clients[1].pk, duplicates=[clients[2].pk])
    later = NOW + dt.timedelta(minutes=3)
    board, by_name = figures_by_name(journey, later)
    # Still the figures of NOW, and said to be.
    assert board.as_of == NOW
    assert by_name["Awareness"].count == 4 and by_name["Purchase"].count == 1
    rollup.refresh(journey, now=later)
    board, by_name = figures_by_name(journey, later)
    assert board.as_of == later
    # Awareness: only clients[1] is left (4 days there, plus the 3 minutes since NOW).
    aware = by_name["Awareness"]
    assert (aware.count, aware.over_target) == (1, 0)
    assert aware.median_days == pytest.approx(4 + 3 / 1440)
    # Purchase: the 5-day client and clients[0], who arrived just now.
    purchase = by_name["Purchase"]
    assert purchase.count == 2
    assert ClientStage.objects.filter(journey=journey).count() == 3


def test_a_stage_without_figures_or_stale_figures_are_computed_on_the_spot(fixture, manager):
    journey, stages, _clients = fixture
    board, by_name = figures_by_name(journey, NOW)  # none yet
    assert board.as_of == NOW and by_name["Awareness"].count == 4
    services.save_stage(actor=manager, journey=journey, name="Loyal", owner=manager)
    place(journey, stages["Awareness"], 1)
    later = NOW + dt.timedelta(minutes=1)
    board, by_name = figures_by_name(journey, later)
    assert board.as_of == later and "Loyal" in by_name and by_name["Awareness"].count == 5
    much_later = later + rollup.STALE_AFTER + dt.timedelta(seconds=1)
    place(journey, stages["Awareness"], 1)
    board, by_name = figures_by_name(journey, much_later)
    assert board.as_of == much_later and by_name["Awareness"].count == 6


def test_the_refresh_is_a_periodic_job_over_active_journeys(fixture):
    journey, _stages, _clients = fixture
    job = periodic_jobs.get("journeys.refresh_board_figures")
    assert job is not None and job.every == rollup.REFRESH_EVERY
    other, _ = make_journey("Dormant")
    other.is_active = False
    other.save()
    assert rollup.refresh_all(now=NOW) == 1
    assert not StageRollup.objects.filter(stage__journey=other).exists()
    assert StageRollup.objects.filter(stage__journey=journey).count() == 6


def test_the_board_says_when_its_figures_were_computed_and_loads_conversion(
    fixture, manager, as_manager
):
    journey, stages, clients = fixture
    services.move_client(actor=manager, client_id=clients[4].pk, to_stage=stages["Ownership"])
    page = as_manager.get(reverse("journeys:board", args=[journey.pk])).content.decode()
    assert "data-figures-as-of" in page and "Stage figures as of" in page
    url = reverse("journeys:conversion", args=[journey.pk])
    assert f'hx-get="{url}?days=90"' in page and 'id="conversion"' not in page
    table = as_manager.get(f"{url}?days=30", headers={"HX-Request": "true"}).content.decode()
    # One move in the period: Purchase → Ownership (1 entered Ownership, none moved on).
    assert 'id="conversion" data-days="30"' in table
    assert '<td>Purchase</td><td>Ownership</td><td class="text-end">0</td>' in table
    assert '<td>Ownership</td><td>Repeat</td><td class="text-end">1</td>' in table
    bad = as_manager.get(f"{url}?days=7").content.decode()
    assert 'data-days="90"' in bad
    assert as_manager.get(reverse("journeys:conversion", args=[99999])).status_code == 404


def test_my_stage_says_when_its_figures_were_computed(fixture, client):
    _journey, stages, _clients = fixture
    client.force_login(stages["Awareness"].owner)
    page = client.get(reverse("journeys:my_stage")).content.decode()
    assert "Figures as of" in page and "4 clients here" in page


def test_changed_since_unites_saved_cards_new_purchases_and_newly_inactive():
    since = timezone.now() - dt.timedelta(hours=1)
    old = timezone.now() - dt.timedelta(days=3)
    saved, bought, quiet, untouched = (ClientFactory() for _ in range(4))
    Client.objects.filter(pk__in=[bought.pk, quiet.pk, untouched.pk]).update(updated_at=old)
    Purchase.objects.create(
        client=bought, occurred_on=timezone.localdate(), amount=10, currency="EUR"
    )
    Purchase.objects.create(
        client=bought, occurred_on=timezone.localdate(), amount=5, currency="EUR"
    )
    Client.objects.filter(pk=bought.pk).update(updated_at=old)
    Client.objects.filter(pk=quiet.pk).update(
        last_purchase_on=timezone.localdate() - dt.timedelta(days=30)
    )
    assert clients_changed_since(since) == sorted([saved.pk, bought.pk])
    assert clients_changed_since(since, inactive_days=30) == sorted([saved.pk, bought.pk, quiet.pk])
    first = clients_changed_since(since, inactive_days=30, limit=2)
    rest = clients_changed_since(since, inactive_days=30, after_id=first[-1], limit=2)
    assert first + rest == sorted([saved.pk, bought.pk, quiet.pk])
    assert untouched.pk not in first + rest
