"""The card's purchase-history chart: revenue per month and currency over the last 24 months."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from kliento.clients.selectors import monthly_revenue
from tests.factories import ClientFactory, PurchaseFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 14)


def buy(client, day, amount, currency="PLN"):
    PurchaseFactory(client=client, occurred_on=day, amount=Decimal(amount), currency=currency)


def test_revenue_is_summed_per_month_and_currency(client_card):
    buy(client_card, dt.date(2026, 5, 1), "10.10")
    buy(client_card, dt.date(2026, 5, 14), "0.20")
    buy(client_card, dt.date(2026, 3, 31), "5.00")
    buy(client_card, dt.date(2026, 3, 2), "7.50", "EUR")
    buy(client_card, dt.date(2024, 6, 1), "1.00")  # the first of the 24 months
    buy(client_card, dt.date(2024, 5, 31), "999.00")  # 25 months back: left out
    buy(client_card, dt.date(2026, 6, 1), "999.00")  # after this month: left out
    buy(ClientFactory(), dt.date(2026, 5, 2), "999.00")  # another client
    revenue = monthly_revenue(client_card, today=TODAY)
    assert len(revenue.months) == 24
    assert (revenue.months[0], revenue.months[-1]) == (dt.date(2024, 6, 1), dt.date(2026, 5, 1))
    pln, eur = revenue.series
    assert (pln.currency, eur.currency) == ("PLN", "EUR")
    assert pln.amounts[-1] == Decimal("10.30") and pln.amounts[-3] == Decimal("5.00")
    assert pln.amounts[0] == Decimal("1.00") and pln.total == Decimal("16.30")
    assert eur.amounts[-3] == Decimal("7.50") and eur.total == Decimal("7.50")
    assert [month for month, _amounts in revenue.rows] == [
        dt.date(2024, 6, 1),
        dt.date(2026, 3, 1),
        dt.date(2026, 5, 1),
    ]


def test_a_year_boundary_and_a_short_window(client_card):
    buy(client_card, dt.date(2025, 12, 31), "3.00")
    buy(client_card, dt.date(2026, 1, 1), "4.00")
    revenue = monthly_revenue(client_card, months=3, today=dt.date(2026, 1, 20))
    assert revenue.months == [dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1)]
    assert revenue.series[0].amounts == [Decimal("0.00"), Decimal("3.00"), Decimal("4.00")]


def test_no_purchases_no_series(client_card):
    revenue = monthly_revenue(client_card, today=TODAY)
    assert not revenue.has_data and revenue.rows == []


def test_the_card_embeds_the_chart_data_and_a_table(as_agent, client_card):
    buy(client_card, dt.date.today().replace(day=1), "12.34", "EUR")
    html = as_agent.get(client_card.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(
            r'<script id="purchase-chart-data" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert data["datasets"] == [{"label": "EUR", "data": [0.0] * 23 + [12.34]}]
    assert len(data["labels"]) == 24
    assert 'role="img"' in html and 'id="purchase-chart-table"' in html
    assert "purchase_chart.js" in html
    # No inline script: the data is JSON, the code a static file.
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []


def test_no_chart_without_view_purchase(client_card):
    from django.contrib.auth.models import Permission
    from django.test import Client as HttpClient

    from tests.factories import UserFactory

    buy(client_card, dt.date.today(), "12.34")
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_client"))
    http = HttpClient()
    http.force_login(viewer)
    html = http.get(client_card.get_absolute_url()).content.decode()
    assert "purchase-chart" not in html


def test_no_chart_for_a_client_without_purchases(as_agent, client_card):
    assert "purchase-chart" not in as_agent.get(client_card.get_absolute_url()).content.decode()
