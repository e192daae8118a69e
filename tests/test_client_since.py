"""The "client since" date: the rule (first purchase, else the creation day, never after the
first purchase) for every entry path: the service and form, the API, the import, purchases."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.clients import rules, services
from kliento.clients.models import Client
from kliento.clients.services import activity
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, PurchaseFactory
from tests.imports_helpers import do_import, write_csv

pytestmark = pytest.mark.django_db


def test_a_new_client_without_purchases_is_one_since_today(manager):
    client = services.create_client(actor=manager, name="Anna")
    assert client.client_since == timezone.localdate()
    assert Client.objects.get(pk=client.pk).client_since == timezone.localdate()


def test_a_given_date_is_kept_and_an_earlier_purchase_moves_it_back(manager):
    client = services.create_client(actor=manager, name="Anna", client_since=dt.date(2024, 5, 1))
    assert client.client_since == dt.date(2024, 5, 1)
    services.record_purchase(
        actor=manager,
        client=client,
        occurred_on=dt.date(2024, 6, 1),
        amount=Decimal("10"),
        currency="PLN",
    )
    client.refresh_from_db()
    assert client.client_since == dt.date(2024, 5, 1)  # a later purchase changes nothing
    services.record_purchase(
        actor=manager,
        client=client,
        occurred_on=dt.date(2023, 2, 3),
        amount=Decimal("10"),
        currency="PLN",
    )
    client.refresh_from_db()
    assert client.client_since == dt.date(2023, 2, 3)


def test_editing_after_the_first_purchase_or_emptying_gives_the_rules_date(manager):
    client = services.create_client(actor=manager, name="Anna", client_since=dt.date(2024, 5, 1))
    PurchaseFactory(client=client, occurred_on=dt.date(2024, 7, 1))
    updated = services.update_client(
        actor=manager, client=client, changes={"client_since": dt.date(2024, 9, 1)}
    )
    assert updated.client_since == dt.date(2024, 7, 1)
    updated = services.update_client(actor=manager, client=client, changes={"client_since": None})
    assert updated.client_since == dt.date(2024, 7, 1)


def test_the_backfill_takes_the_first_purchase_else_the_creation_day():
    created = dt.datetime(2022, 3, 4, 12, tzinfo=dt.UTC)
    buyer = ClientFactory(created_at=created)
    PurchaseFactory(client=buyer, occurred_on=dt.date(2021, 1, 9))
    PurchaseFactory(client=buyer, occurred_on=dt.date(2023, 1, 9))
    idle = ClientFactory(created_at=created)
    stated = ClientFactory(created_at=created, client_since=dt.date(2020, 1, 1))
    assert rules.settle_client_since() == 2
    assert Client.objects.get(pk=buyer.pk).client_since == dt.date(2021, 1, 9)
    assert Client.objects.get(pk=idle.pk).client_since == dt.date(2022, 3, 4)
    assert Client.objects.get(pk=stated.pk).client_since == dt.date(2020, 1, 1)


def test_the_api_sets_shows_and_refuses_a_future_date(manager):
    api = api_as(manager)
    response = api.post("/clients", {"name": "Anna", "client_since": "2024-02-29"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["client_since"] == "2024-02-29"
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = api.patch(f"/clients/{body['id']}", {"client_since": future})
    assert error_locs(refused) == [("body", "payload", "client_since")]
    assert Client.objects.get(pk=body["id"]).client_since == dt.date(2024, 2, 29)


def test_the_form_edits_it_and_shows_a_future_date_beside_the_field(as_manager):
    client = ClientFactory(name="Anna", client_since=dt.date(2024, 1, 1))
    url = reverse("clients:edit", args=[client.pk])
    data = {"kind": "person", "name": "Anna", "client_since": "2023-12-01"}
    response = as_manager.post(url, data)
    assert response.status_code == 302, response.content
    assert Client.objects.get(pk=client.pk).client_since == dt.date(2023, 12, 1)
    future = timezone.localdate() + dt.timedelta(days=3)
    response = as_manager.post(url, {**data, "client_since": future.isoformat()})
    assert response.status_code == 200
    assert "client_since" in response.context["form"].errors
    assert Client.objects.get(pk=client.pk).client_since == dt.date(2023, 12, 1)


@pytest.mark.parametrize("header", ["client_since", "Клиент с", "клієнт з", "Klient od"])
def test_the_import_reads_the_column_in_each_language(tmp_path, header):
    path = write_csv(tmp_path, [["name", header], ["Anna", "2021-05-06"], ["Olek", ""]])
    _outcome, errors = do_import(path, "clients")
    assert errors == []
    assert Client.objects.get(name="Anna").client_since == dt.date(2021, 5, 6)
    # Not in the file: the rule's date (no purchases: the day of the import).
    assert Client.objects.get(name="Olek").client_since == timezone.localdate()


def test_the_export_writes_the_column(as_manager):
    ClientFactory(name="Anna", client_since=dt.date(2021, 5, 6))
    response = as_manager.get(reverse("imports:export", args=["clients"]), {"format": "csv"})
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert "client_since" in header
    assert lines[1].split(",")[header.index("client_since")] == "2021-05-06"


def test_refreshing_the_whole_base_settles_every_client():
    buyer = ClientFactory(client_since=dt.date(2024, 1, 1))
    PurchaseFactory(client=buyer, occurred_on=dt.date(2023, 6, 1))
    idle = ClientFactory(created_at=dt.datetime(2022, 3, 4, 12, tzinfo=dt.UTC))
    activity.refresh_purchase_totals()
    assert Client.objects.get(pk=buyer.pk).client_since == dt.date(2023, 6, 1)
    assert Client.objects.get(pk=idle.pk).client_since == dt.date(2022, 3, 4)


def test_the_card_shows_it(as_manager):
    client = ClientFactory(client_since=dt.date(2021, 5, 6))
    response = as_manager.get(reverse("clients:detail", args=[client.pk]))
    assert 'id="client-since"' in response.content.decode()
