"""What the card derives from purchases: revenue, count, average check, first/last, recency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.clients.selectors import CurrencyTotals, purchase_stats
from tests.factories import ClientFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def test_client_without_purchases_has_empty_stats(client_card):
    stats = purchase_stats(client_card)
    assert stats.totals == []
    assert stats.count == 0
    assert (stats.first, stats.last, stats.recency_days) == (None, None, None)


def test_stats_per_currency_with_first_last_and_recency(client_card):
    today = timezone.localdate()
    for days_ago, amount, currency in [
        (400, "100.00", "PLN"),
        (30, "50.00", "PLN"),
        (12, "0.01", "PLN"),
        (90, "20.00", "EUR"),
    ]:
        PurchaseFactory(
            client=client_card,
            occurred_on=today - dt.timedelta(days=days_ago),
            amount=Decimal(amount),
            currency=currency,
        )
    PurchaseFactory(amount=Decimal("9999"), currency="PLN")  # another client's

    stats = purchase_stats(client_card)

    assert stats.totals == [
        CurrencyTotals("PLN", Decimal("150.01"), 3, Decimal("50.00")),
        CurrencyTotals("EUR", Decimal("20.00"), 1, Decimal("20.00")),
    ]
    assert stats.count == 4
    assert stats.first == today - dt.timedelta(days=400)
    assert stats.last == today - dt.timedelta(days=12)
    assert stats.recency_days == 12


def test_average_check_is_rounded_to_cents(client_card):
    for amount in ("10.00", "10.00", "10.01"):
        PurchaseFactory(client=client_card, amount=Decimal(amount))
    (pln,) = purchase_stats(client_card).totals
    assert pln.average == Decimal("10.00")
    assert pln.revenue == Decimal("30.01")


def test_card_shows_the_derived_figures(as_agent):
    client = ClientFactory()
    today = timezone.localdate()
    PurchaseFactory(client=client, occurred_on=today - dt.timedelta(days=3), amount=Decimal("300"))
    PurchaseFactory(client=client, occurred_on=today - dt.timedelta(days=10), amount=Decimal("100"))

    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()

    assert "400.00 PLN" in html  # revenue
    assert "200.00 PLN" in html  # average check
    assert "Last purchase 3 days ago." in html


def test_card_without_purchases_says_so(as_agent, client_card):
    html = as_agent.get(reverse("clients:detail", args=[client_card.pk])).content.decode()
    assert "No purchases yet." in html
