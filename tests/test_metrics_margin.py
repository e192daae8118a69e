"""Purchase cost in every entry path, gross margin, LTV on margin and the key-client analysis on
margin, on a hand-computed dataset."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from kliento.clients import services
from kliento.clients.models import Client, Purchase
from kliento.imports.common import ImportOutcome
from kliento.metrics import registry
from kliento.metrics.selectors import pareto
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, PurchaseFactory
from tests.imports_helpers import do_import, write_csv

pytestmark = pytest.mark.django_db

YEAR = registry.Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}
LEFT = registry.ChurnRule()


@pytest.fixture
def costed():
    """A: 100 (cost 60) + 50 (no cost); B: 200 (cost 150); C: 300 (cost 90); D left mid-year.

    Costed revenue 600, cost 300: margin 0.5. Margin per client A 40, B 50, C 210 (total 300);
    the top 20% of three is one client, C: 210 / 300 = 0.7.
    Cohort: 4 at the start, 3 retained: churn 0.25, lifetime 4 years = 48 months; revenue 650
    over 4 clients and 12 months = 13.541666… a month; LTV = 650.00; on margin 325.00.
    """
    since = dt.date(2024, 1, 1)
    a, b, c = (Client.objects.create(name=n, client_since=since) for n in "ABC")
    Client.objects.create(name="D", client_since=since, status="left", left_on=dt.date(2025, 7, 1))
    PurchaseFactory(client=a, occurred_on=dt.date(2025, 2, 1), amount="100", cost="60")
    PurchaseFactory(client=a, occurred_on=dt.date(2025, 3, 1), amount="50")
    PurchaseFactory(client=b, occurred_on=dt.date(2025, 4, 1), amount="200", cost="150")
    PurchaseFactory(client=c, occurred_on=dt.date(2025, 5, 1), amount="300", cost="90")
    # Another currency and another year change nothing.
    PurchaseFactory(
        client=b, occurred_on=dt.date(2025, 5, 1), amount="999", cost="1", currency="EUR"
    )
    PurchaseFactory(client=b, occurred_on=dt.date(2024, 5, 1), amount="999", cost="1")
    return a, b, c


def test_gross_margin_counts_only_costed_purchases_and_says_which_lack_a_cost(costed):
    result = registry.compute("gross_margin", YEAR, LEFT)
    assert result.value == 0.5
    assert result.inputs == {
        "currency": "PLN",
        "revenue_with_cost": "600.00",
        "cost": "300.00",
        "n_purchases_with_cost": 3,
        "n_purchases_without_cost": 1,
        "revenue_without_cost": "50.00",
    }
    from kliento.clients.selectors import purchases_without_cost

    missing = purchases_without_cost(start=YEAR.start, end=YEAR.end)
    assert [p.amount for p in missing] == [Decimal("50.00")]


def test_ltv_on_margin_is_ltv_times_margin(costed):
    assert registry.compute("ltv", YEAR, LEFT).value == "650.00"
    result = registry.compute("ltv_margin", YEAR, LEFT)
    assert result.value == "325.00"
    assert result.inputs["ltv"] == "650.00" and result.inputs["margin"] == 0.5
    assert result.rule == "left"


def test_without_any_cost_there_is_no_margin_figure():
    Client.objects.create(name="A", client_since=dt.date(2024, 1, 1))
    PurchaseFactory(occurred_on=dt.date(2025, 2, 1), amount="100")
    assert registry.compute("gross_margin", YEAR, LEFT).value is None
    assert registry.compute("ltv_margin", YEAR, LEFT).value is None


def test_nobody_left_keeps_ltv_on_margin_unbounded():
    client = Client.objects.create(name="A", client_since=dt.date(2024, 1, 1))
    PurchaseFactory(client=client, occurred_on=dt.date(2025, 2, 1), amount="100", cost="30")
    result = registry.compute("ltv_margin", YEAR, LEFT)
    assert result.value == registry.UNBOUNDED and result.inputs["margin"] == 0.7


def test_key_clients_on_margin(costed):
    _a, _b, c = costed
    result = pareto(start=YEAR.start, end=YEAR.end, currency="PLN", basis="margin")
    assert (result.buyers, result.top_count, result.total_revenue) == (3, 1, Decimal("300"))
    assert result.top_ids == [c.pk] and result.top_revenue == Decimal("210")
    assert result.without_cost == 1
    by_revenue = pareto(start=YEAR.start, end=YEAR.end, currency="PLN")
    assert (by_revenue.buyers, by_revenue.top_revenue) == (3, Decimal("300"))
    share = registry.compute("key_client_margin_share", YEAR, LEFT)
    assert share.value == 0.7 and share.inputs["n_purchases_without_cost"] == 1
    assert registry.compute("key_client_share", YEAR, LEFT).value == 0.461538  # 300 / 650


def test_key_clients_page_and_api_on_margin(as_manager, manager, costed):
    response = as_manager.get(
        reverse("metrics:key_clients"),
        {"start": "2025-01-01", "end": "2025-12-31", "currency": "PLN", "basis": "margin"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "70.0% of the gross margin" in html
    assert 'id="pareto-without-cost"' in html
    got = api_as(manager).get("/metrics/key-clients", {**PERIOD, "basis": "margin"})
    assert got.status_code == 200, got.content
    body = got.json()
    assert (body["top_share_percent"], body["n_purchases_without_cost"]) == (70.0, 1)
    assert [row["value"] for row in body["top"]] == ["210.00"]
    assert error_locs(
        api_as(manager).get("/metrics/key-clients", {**PERIOD, "basis": "profit"})
    ) == [("query", "basis")]
    assert error_locs(
        api_as(manager).get("/metrics/key-clients", {**PERIOD, "currency": "XXQ"})
    ) == [("query", "currency")]


def test_key_clients_api_permissions(agent, auditor, costed):
    assert api_as(agent).get("/metrics/key-clients", PERIOD).status_code == 403


# --------------------------------------------------------------------------- cost entry paths


@pytest.mark.parametrize(
    ("cost", "code"),
    [("-1", "negative_amount"), ("1.005", "too_many_decimals"), ("1e15", "amount_too_large")],
)
def test_the_service_refuses_a_bad_cost(manager, cost, code):
    client = ClientFactory()
    with pytest.raises(ValidationError) as caught:
        services.record_purchase(
            actor=manager,
            client=client,
            occurred_on=dt.date(2025, 1, 1),
            amount=Decimal("10"),
            currency="PLN",
            cost=Decimal(cost),
        )
    assert [e.code for e in caught.value.error_dict["cost"]] == [code]
    assert not Purchase.objects.exists()


def test_the_form_takes_a_cost_as_people_write_it(as_manager, manager):
    client = ClientFactory()
    url = reverse("clients:purchase_add", args=[client.pk])
    data = {"occurred_on": "2025-01-01", "amount": "10", "currency": "PLN", "channel": "store"}
    refused = as_manager.post(url, {**data, "cost": "-5"})
    assert not Purchase.objects.exists()
    assert "cannot be negative" in refused.content.decode()
    as_manager.post(url, {**data, "cost": "7.50"})
    assert Purchase.objects.get().cost == Decimal("7.50")
    as_manager.post(url, {**data, "cost": ""})
    assert Purchase.objects.filter(cost__isnull=True).count() == 1


def test_the_api_takes_and_shows_the_cost(manager):
    client = ClientFactory()
    api = api_as(manager)
    url = f"/clients/{client.pk}/purchases"
    body = {"occurred_on": "2025-01-01", "amount": "10.00", "currency": "PLN"}
    created = api.post(url, {**body, "cost": "4.00"})
    assert created.status_code == 201, created.content
    assert created.json()["cost"] == "4.00"
    assert api.post(url, body).json()["cost"] is None
    locs = error_locs(api.post(url, {**body, "cost": "-1"}))
    assert locs and locs[0][-1] == "cost"
    assert Purchase.objects.count() == 2


def test_the_import_reads_the_cost_column_by_the_same_rule(tmp_path, manager):
    ClientFactory(external_ref="C-1")
    header = ["client", "date", "amount", "currency", "cost"]
    good = write_csv(
        tmp_path,
        [header, ["C-1", "2025-01-02", "10", "PLN", "4.5"], ["C-1", "2025-01-03", "8", "PLN", ""]],
    )
    outcome, errors = do_import(good, "purchases", actor=manager)
    assert errors == [] and isinstance(outcome, ImportOutcome)
    assert sorted(str(p.cost) for p in Purchase.objects.all()) == ["4.50", "None"]
    bad = write_csv(tmp_path, [header, ["C-1", "2025-01-04", "10", "PLN", "-3"]], name="bad.csv")
    _outcome, errors = do_import(bad, "purchases", actor=manager)
    assert [(row, column) for row, column, _m in errors] == [(2, "cost")]
    assert "cannot be negative" in errors[0][2]
    assert Purchase.objects.count() == 2


def test_the_export_writes_the_cost_last(as_manager):
    PurchaseFactory(client=ClientFactory(external_ref="C-9"), amount="10", cost="3.25")
    response = as_manager.get(reverse("imports:export", args=["purchases"]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-1] == "cost"
    assert lines[1].split(",")[-1] == "3.25"
