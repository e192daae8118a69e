"""Predictive CLV through the database: the purchases read through the clients' selector, the
`kliento clv fit` command on the CDNOW sample, the stored figures, the page, the card panel,
the worker's task and a merge."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kliento.clients import selectors as clients
from kliento.clients.models import Client, Purchase
from kliento.clients.services.merge import merge_clients
from kliento.metrics.clv import service
from kliento.metrics.clv.summary import summarise
from kliento.metrics.models import ClientClv, ClvFit
from kliento.metrics.tasks import fit_clv
from tests.api_support import api_as
from tests.factories import ClientFactory, PurchaseFactory
from tests.test_metrics_clv_models import CALIBRATION_END, cdnow_purchases

pytestmark = pytest.mark.django_db


def fit_command(*args: str) -> dict[str, str]:
    out = StringIO()
    call_command("clv", "fit", *args, stdout=out)
    return dict(re.findall(r"(\w+)=(\S+)", out.getvalue().split("\n")[0] + " " + out.getvalue()))


@pytest.fixture
def cdnow_base(settings):
    """The 2,357 CDNOW customers and all their purchases (to June 1998) in the database."""
    settings.KLIENTO_DEFAULT_CURRENCY = "USD"
    rows = cdnow_purchases()
    ids = sorted({customer for customer, _day, _amount in rows})
    made = Client.objects.bulk_create(Client(name=f"CDNOW {i}") for i in ids)
    pk = {customer: client.pk for customer, client in zip(ids, made, strict=True)}
    Purchase.objects.bulk_create(
        Purchase(client_id=pk[customer], occurred_on=day, amount=amount, currency="USD")
        for customer, day, amount in rows
    )
    return pk


def test_occasions_add_up_one_day_and_ignore_later_days_and_other_currencies():
    anna = ClientFactory(name="Anna")
    for day, amount, currency in (
        (dt.date(2025, 1, 5), "10.00", "PLN"),
        (dt.date(2025, 1, 5), "5.50", "PLN"),  # the same day: one occasion of 15.50
        (dt.date(2025, 2, 1), "0.00", "PLN"),  # nothing paid, still a purchase
        (dt.date(2025, 2, 9), "40.00", "EUR"),  # another currency: not converted, left out
        (dt.date(2025, 3, 1), "20.00", "PLN"),
        (dt.date(2025, 7, 1), "99.00", "PLN"),  # after the calibration period
    ):
        PurchaseFactory(client=anna, occurred_on=day, amount=Decimal(amount), currency=currency)
    until = dt.date(2025, 6, 30)
    occasions = list(clients.purchase_occasions(until=until, currency="pln"))
    assert occasions == [
        (anna.pk, dt.date(2025, 1, 5), Decimal("15.50")),
        (anna.pk, dt.date(2025, 2, 1), Decimal("0.00")),
        (anna.pk, dt.date(2025, 3, 1), Decimal("20.00")),
    ]
    summary = summarise(occasions, until=until, unit="day")
    assert list(summary.x) == [2]  # two repeat occasions, the zero one included
    assert list(summary.t_x) == [(dt.date(2025, 3, 1) - dt.date(2025, 1, 5)).days]
    assert list(summary.T) == [(until - dt.date(2025, 1, 5)).days]
    assert list(summary.zbar) == [10.0]  # (0 + 20) / 2: the first occasion is not a repeat


def test_fit_command_on_cdnow_prints_the_published_parameters(cdnow_base):
    printed = fit_command("--until", CALIBRATION_END.isoformat(), "--unit", "week")
    assert float(printed["r"]) == pytest.approx(0.243, abs=5e-4)
    assert float(printed["alpha"]) == pytest.approx(4.414, abs=5e-3)
    assert float(printed["a"]) == pytest.approx(0.793, abs=5e-4)
    assert float(printed["b"]) == pytest.approx(2.426, abs=5e-3)
    assert float(printed["p"]) == pytest.approx(6.25, abs=5e-3)
    assert float(printed["q"]) == pytest.approx(3.74, abs=5e-3)
    assert float(printed["v"]) == pytest.approx(15.44, abs=1e-2)
    fit = ClvFit.objects.get()
    assert fit.log_likelihood == pytest.approx(-9582.4, abs=0.05)
    assert (fit.n_clients, fit.n_spend_clients, fit.unit, fit.currency) == (
        2357,
        946,
        "week",
        "USD",
    )
    assert fit.calibration_end == CALIBRATION_END
    assert ClientClv.objects.filter(fit=fit).count() == 2357
    # The paper's customer (x = 2, t_x = 30.43, T = 38.86) is CDNOW customer 1.
    first = ClientClv.objects.get(client_id=cdnow_base[1])
    assert (first.frequency, round(first.recency, 2), round(first.age, 2)) == (2, 30.43, 38.86)
    assert 0 < first.p_alive < 1 and first.clv is not None and first.clv > 0


def test_a_new_fit_replaces_the_clients_rows_and_keeps_the_old_parameters(cdnow_base):
    service.fit(until=CALIBRATION_END, unit="week")
    service.fit(until=dt.date(1997, 12, 31), unit="day", horizon_months=6, discount_percent=0)
    assert ClvFit.objects.count() == 2
    latest = ClvFit.objects.order_by("-id").first()
    assert set(ClientClv.objects.values_list("fit", flat=True)) == {latest.pk}
    assert (latest.unit, latest.horizon_months, latest.discount_percent) == ("day", 6, 0)


def test_fit_command_refuses_a_base_too_small():
    PurchaseFactory(occurred_on=dt.date(2025, 1, 1))
    with pytest.raises(CommandError, match="at least"):
        fit_command("--until", "2025-06-30")
    with pytest.raises(CommandError, match="Not a date"):
        fit_command("--until", "June")
    assert not ClvFit.objects.exists()


def test_without_paid_repeat_purchases_there_is_no_money_value_but_purchases_are_predicted():
    """Six clients came back, but only for free: the purchase model is fitted (a zero amount
    is a purchase), the spend model has no positive repeat spend to learn from."""
    for i in range(12):
        client = ClientFactory()
        start = dt.date(2025, 1, 1) + dt.timedelta(days=i)
        PurchaseFactory(client=client, occurred_on=start, amount=Decimal("30.00"))
        if i % 2:
            PurchaseFactory(
                client=client, occurred_on=start + dt.timedelta(days=40), amount=Decimal("0")
            )
    outcome = service.fit(until=dt.date(2025, 6, 30), unit="week")
    assert outcome.spend is None and outcome.fit.p is None and outcome.fit.n_spend_clients == 0
    rows = ClientClv.objects.filter(fit=outcome.fit)
    assert rows.count() == 12 and rows.filter(frequency=1).count() == 6
    assert not rows.filter(clv__isnull=False).exists()
    assert all(row.expected_purchases >= 0 for row in rows)
    out = StringIO()
    call_command("clv", "fit", "--until", "2025-06-30", stdout=out)
    assert "spend model not fitted" in out.getvalue()


def test_the_page_without_a_spend_model(as_manager):
    test_without_paid_repeat_purchases_there_is_no_money_value_but_purchases_are_predicted()
    page = as_manager.get(reverse("metrics:clv"))
    assert page.status_code == 200 and "Too few clients bought twice" in page.text
    shown = [row.figures.expected_purchases for row in page.context["rows"]]
    assert shown == sorted(shown, reverse=True)


def test_fit_command_checks_its_options():
    with pytest.raises(CommandError, match="horizon"):
        fit_command("--horizon-months", "0")
    with pytest.raises(CommandError, match="discount"):
        fit_command("--discount-percent", "-1")


def test_the_worker_task_fits_or_says_why_not(cdnow_base):
    assert fit_clv.call(until="1990-01-01")["fitted"] is False
    done = fit_clv.call(until=CALIBRATION_END.isoformat(), unit="week")
    assert done["fitted"] is True and done["n_clients"] == 2357


@pytest.fixture
def small_fit():
    buyers = []
    for i in range(15):
        client = ClientFactory(name=f"Buyer {i}")
        buyers.append(client)
        for k in range(i % 4 + 1):
            PurchaseFactory(
                client=client,
                occurred_on=dt.date(2025, 1, 1) + dt.timedelta(days=20 * k + i),
                amount=Decimal(50 + 10 * i),
            )
    service.fit(until=dt.date(2025, 6, 30), unit="week")
    return buyers


def test_the_page_lists_top_clients_by_clv(as_manager, small_fit):
    page = as_manager.get(reverse("metrics:clv"))
    assert page.status_code == 200
    rows = page.context["rows"]
    values = [row.figures.clv for row in rows]
    assert values == sorted(values, reverse=True) and len(rows) == 15
    assert "r=" in page.text and 'id="clv-refit"' in page.text
    assert rows[0].name.startswith("Buyer")


def test_the_page_before_any_fit(as_manager):
    page = as_manager.get(reverse("metrics:clv"))
    assert page.status_code == 200 and 'id="clv-none"' in page.text


def test_refit_goes_to_the_worker(as_manager):
    response = as_manager.post(reverse("metrics:clv"))
    assert response.status_code == 302
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "kliento.metrics.tasks.fit_clv"


def test_who_may_see_and_refit(as_auditor, as_agent, as_outsider, small_fit):
    url = reverse("metrics:clv")
    seen = as_auditor.get(url)
    assert seen.status_code == 200 and 'id="clv-refit"' not in seen.text
    assert as_auditor.post(url).status_code == 403
    assert not DBTaskResult.objects.exists()
    assert as_agent.get(url).status_code == 403
    assert as_outsider.get(url).status_code == 403


def test_the_card_shows_the_clients_predicted_value(as_manager, as_agent, small_fit):
    url = reverse("clients:detail", args=[small_fit[3].pk])
    assert 'id="clv-panel"' in as_manager.get(url).text
    assert 'id="clv-panel"' not in as_agent.get(url).text  # no access to the metrics
    # A client who had not bought by the fit's day has no panel.
    newcomer = ClientFactory()
    assert (
        'id="clv-panel"' not in as_manager.get(reverse("clients:detail", args=[newcomer.pk])).text
    )


def test_merging_clients_with_figures_does_not_conflict(manager, small_fit):
    kept, duplicate = small_fit[1], small_fit[2]
    merge_clients(actor=manager, survivor=kept, duplicates=[duplicate])
    assert ClientClv.objects.filter(client=kept).count() == 1
    assert not Client.objects.filter(pk=duplicate.pk).exists()


def test_the_api_gives_the_fit_and_the_clients_highest_first(manager, agent, small_fit):
    api = api_as(manager)
    fit = api.get("/metrics/clv")
    assert fit.status_code == 200, fit.content
    stored = ClvFit.objects.get()
    assert fit.json()["fit"]["r"] == stored.r and fit.json()["fit"]["n_clients"] == 15
    listed = api.get("/metrics/clv/clients", {"page_size": 10})
    assert listed.status_code == 200, listed.content
    body = listed.json()
    assert body["count"] == 15 and len(body["items"]) == 10
    top = body["items"][0]
    best = ClientClv.objects.order_by("-clv").first()
    assert (top["client_id"], top["clv"]) == (best.client_id, str(best.clv))  # money: a string
    values = [Decimal(item["clv"]) for item in body["items"]]
    assert values == sorted(values, reverse=True)
    assert api_as(agent).get("/metrics/clv").status_code == 403


def test_the_api_before_any_fit(manager):
    assert api_as(manager).get("/metrics/clv").json() == {"fit": None}
    assert api_as(manager).get("/metrics/clv/clients").json()["count"] == 0
