"""Key-client (Pareto) analysis on a hand-made dataset whose answer is known."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kliento.metrics.selectors import pareto
from tests.factories import ClientFactory, PurchaseFactory

pytestmark = pytest.mark.django_db

START = dt.date(2025, 1, 1)
END = dt.date(2025, 12, 31)
# Ten buying clients; revenue 1000 PLN in total, the top two bring 500 + 300 = 80%.
REVENUES = [500, 300, 50, 40, 30, 25, 20, 15, 10, 10]


@pytest.fixture
def ten_clients():
    clients = []
    for index, revenue in enumerate(REVENUES):
        client = ClientFactory(name=f"Client {index:02d}")
        # Split each revenue over two purchases so the analysis has to sum per client.
        half = Decimal(revenue) / 2
        PurchaseFactory(client=client, occurred_on=dt.date(2025, 3, 1), amount=half)
        PurchaseFactory(client=client, occurred_on=dt.date(2025, 9, 1), amount=half)
        clients.append(client)
    return clients


def test_top_two_of_ten_bring_eighty_percent(ten_clients):
    result = pareto(start=START, end=END, currency="PLN")

    assert result.buyers == 10
    assert result.total_revenue == Decimal("1000")
    assert result.top_count == 2
    assert result.top_revenue == Decimal("800")
    assert result.top_share_percent == 80.0
    assert result.top_ids == [ten_clients[0].pk, ten_clients[1].pk]
    first, second = result.top
    assert (first.name, first.revenue, first.share, first.cumulative_share) == (
        "Client 00",
        Decimal("500"),
        50.0,
        50.0,
    )
    assert (second.revenue, second.share, second.cumulative_share) == (Decimal("300"), 30.0, 80.0)


def test_other_currencies_and_purchases_outside_the_period_are_excluded(ten_clients):
    # A huge EUR purchase and PLN purchases just outside the period must change nothing.
    PurchaseFactory(
        client=ten_clients[9], occurred_on=dt.date(2025, 6, 1), amount=10**6, currency="EUR"
    )
    PurchaseFactory(client=ten_clients[8], occurred_on=START - dt.timedelta(days=1), amount=10**6)
    PurchaseFactory(client=ten_clients[7], occurred_on=END + dt.timedelta(days=1), amount=10**6)
    # A buyer only in EUR is not among the PLN buyers.
    PurchaseFactory(occurred_on=dt.date(2025, 6, 1), amount=5, currency="EUR")

    result = pareto(start=START, end=END, currency="pln")

    assert result.currency == "PLN"
    assert (result.buyers, result.total_revenue, result.top_share_percent) == (
        10,
        Decimal("1000"),
        80.0,
    )
    assert result.top_ids == [ten_clients[0].pk, ten_clients[1].pk]


def test_period_bounds_are_inclusive():
    client = ClientFactory()
    PurchaseFactory(client=client, occurred_on=START, amount=1)
    PurchaseFactory(client=client, occurred_on=END, amount=2)
    result = pareto(start=START, end=END, currency="PLN")
    assert result.total_revenue == Decimal("3")


def test_analysis_in_another_currency(ten_clients):
    eur_buyer = ClientFactory()
    PurchaseFactory(client=eur_buyer, occurred_on=dt.date(2025, 5, 5), amount=70, currency="EUR")
    result = pareto(start=START, end=END, currency="EUR")
    assert (result.buyers, result.top_ids, result.top_share_percent) == (1, [eur_buyer.pk], 100.0)


def test_default_currency_comes_from_settings(ten_clients, settings):
    settings.KLIENTO_DEFAULT_CURRENCY = "EUR"
    assert pareto(start=START, end=END).buyers == 0


def test_empty_period_has_no_buyers_and_no_division_by_zero(ten_clients):
    result = pareto(start=dt.date(2020, 1, 1), end=dt.date(2020, 12, 31), currency="PLN")
    assert (result.buyers, result.total_revenue, result.top_count) == (0, Decimal("0"), 0)
    assert result.top == []
    assert result.top_share_percent == 0.0


@pytest.mark.parametrize(("buyers", "top"), [(1, 1), (2, 1), (4, 1), (5, 1), (8, 2), (13, 3)])
def test_top_fifth_is_rounded_and_never_empty(buyers, top):
    for n in range(buyers):
        PurchaseFactory(occurred_on=dt.date(2025, 2, 2), amount=100 + n)
    assert pareto(start=START, end=END, currency="PLN").top_count == top


def test_equal_revenues_are_ranked_deterministically():
    clients = [ClientFactory() for _ in range(5)]
    for client in clients:
        PurchaseFactory(client=client, occurred_on=dt.date(2025, 2, 2), amount=10)
    assert pareto(start=START, end=END, currency="PLN").top_ids == [clients[0].pk]


def test_flagged_key_clients_are_marked_in_the_ranking(ten_clients):
    ten_clients[1].is_key = True
    ten_clients[1].save()
    result = pareto(start=START, end=END, currency="PLN")
    assert [row.is_key for row in result.top] == [False, True]


def test_curve_gives_the_revenue_share_at_each_share_of_clients(ten_clients):
    curve = pareto(start=START, end=END, currency="PLN").curve

    # Ten buyers make ten groups of one: the curve passes through every client.
    assert curve[0] == (0.0, 0.0)
    assert [round(x) for x, _y in curve] == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    assert [round(y, 1) for _x, y in curve] == [
        0.0, 50.0, 80.0, 85.0, 89.0, 92.0, 94.5, 96.5, 98.0, 99.0, 100.0
    ]  # fmt: skip


def test_a_large_top_is_flagged_whole_but_listed_in_part(settings, monkeypatch):
    from kliento.metrics import key_clients

    monkeypatch.setattr(key_clients, "PARETO_ROWS_SHOWN", 3)
    clients = [ClientFactory() for _ in range(30)]
    for rank, client in enumerate(clients):
        PurchaseFactory(client=client, occurred_on=dt.date(2025, 5, 1), amount=1000 - rank)

    result = pareto(start=START, end=END, currency="PLN")

    assert result.top_count == 6
    assert result.top_ids == [c.pk for c in clients[:6]]
    assert [row.client_id for row in result.top] == [c.pk for c in clients[:3]]
    assert result.top_revenue == sum(Decimal(1000 - rank) for rank in range(6))
    assert len(result.curve) == 21
