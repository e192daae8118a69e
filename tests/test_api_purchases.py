"""Purchases through the API: record, list with date filters (per client and overall), remove."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kliento.clients.models import Purchase, TimelineEntry
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def test_record_purchase_writes_the_timeline(manager, client_card):
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases",
        {
            "occurred_on": "2026-03-14",
            "amount": "120",
            "currency": "pln",
            "description": "Monthly pass",
            "items": [{"name": "Pass", "quantity": 2, "unit_price": "60.00"}],
            "channel": "online",
            "external_ref": "ORD-1",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["amount"], body["currency"], body["channel"]) == ("120.00", "PLN", "online")
    assert body["items"] == [{"name": "Pass", "quantity": 2, "unit_price": "60.00"}]
    purchase = Purchase.objects.get(pk=body["id"])
    assert purchase.amount == Decimal("120.00")
    entry = client_card.timeline.get()
    assert (entry.kind, entry.data["purchase_id"]) == (TimelineEntry.Kind.PURCHASE, purchase.pk)


def test_same_order_number_twice_is_422(manager, client_card):
    PurchaseFactory(external_ref="ORD-1")
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/purchases",
        {"occurred_on": "2026-03-14", "amount": "1", "currency": "PLN", "external_ref": "ORD-1"},
    )
    assert error_locs(response) == [("body", "payload", "external_ref")]
    assert not client_card.purchases.exists()


@pytest.fixture
def bought(db, client_card):
    for day in (dt.date(2026, 1, 5), dt.date(2026, 2, 5), dt.date(2026, 3, 5)):
        PurchaseFactory(client=client_card, occurred_on=day)
    PurchaseFactory(client=client_card, occurred_on=dt.date(2026, 2, 6), currency="EUR")
    PurchaseFactory(occurred_on=dt.date(2026, 2, 7))  # another client's
    return client_card


def _dates(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [p["occurred_on"] for p in response.json()["items"]]


def test_client_purchases_newest_first_with_date_filters(manager, bought):
    api = api_as(manager)
    url = f"/clients/{bought.pk}/purchases"
    assert _dates(api.get(url)) == ["2026-03-05", "2026-02-06", "2026-02-05", "2026-01-05"]
    assert _dates(api.get(url, {"since": "2026-02-01", "until": "2026-02-28"})) == [
        "2026-02-06",
        "2026-02-05",
    ]
    assert _dates(api.get(url, {"currency": "eur"})) == ["2026-02-06"]
    page = api.get(url, {"page_size": 3, "page": 2}).json()
    assert (page["count"], [p["occurred_on"] for p in page["items"]]) == (4, ["2026-01-05"])


def test_all_purchases_with_filters(manager, bought):
    api = api_as(manager)
    assert len(_dates(api.get("/purchases"))) == 5
    assert _dates(api.get("/purchases", {"since": "2026-02-06", "until": "2026-02-07"})) == [
        "2026-02-07",
        "2026-02-06",
    ]
    assert len(_dates(api.get("/purchases", {"client": bought.pk}))) == 4
    assert api.get("/purchases", {"client": 999999}).status_code == 404


def test_reversed_period_is_422(manager, client_card):
    api = api_as(manager)
    params = {"since": "2026-03-01", "until": "2026-01-01"}
    assert error_locs(api.get("/purchases", params)) == [("query", "until")]
    assert error_locs(api.get(f"/clients/{client_card.pk}/purchases", params)) == [
        ("query", "until")
    ]


def test_remove_purchase_writes_the_timeline(manager, client_card):
    purchase = PurchaseFactory(client=client_card)
    response = api_as(manager).delete(f"/clients/{client_card.pk}/purchases/{purchase.pk}")
    assert response.status_code == 204
    assert not Purchase.objects.filter(pk=purchase.pk).exists()
    assert client_card.timeline.get().kind == TimelineEntry.Kind.PURCHASE_REMOVED


def test_purchase_of_another_client_is_404(manager, client_card):
    other = PurchaseFactory(client=ClientFactory())
    response = api_as(manager).delete(f"/clients/{client_card.pk}/purchases/{other.pk}")
    assert response.status_code == 404
    assert Purchase.objects.filter(pk=other.pk).exists()
