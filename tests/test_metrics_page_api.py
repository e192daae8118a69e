"""The client-metrics page and API: who may see them, and that the page, the API and
`kliento report` give the same numbers for the same period."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from kliento.clients.models import Client
from kliento.core.navigation import menu
from kliento.metrics.registry import CLIENTS, metrics
from tests.api_support import api_as, error_locs
from tests.factories import PurchaseFactory

pytestmark = pytest.mark.django_db

PERIOD = {"from": "2025-01-01", "to": "2025-12-31"}


@pytest.fixture
def base():
    kept = Client.objects.create(name="Kept", client_since=dt.date(2024, 3, 1))
    Client.objects.create(
        name="Gone", client_since=dt.date(2024, 3, 1), status="left", left_on=dt.date(2025, 5, 1)
    )
    Client.objects.create(
        name="Gone too",
        client_since=dt.date(2024, 5, 1),
        status="left",
        left_on=dt.date(2025, 8, 1),
    )
    Client.objects.create(name="New", client_since=dt.date(2025, 2, 1))
    PurchaseFactory(client=kept, occurred_on=dt.date(2025, 3, 3), amount="123.45")
    PurchaseFactory(client=kept, occurred_on=dt.date(2025, 4, 3), amount="10.00")


def report(key: str) -> dict:
    out = StringIO()
    call_command(
        "report",
        key,
        "--from",
        PERIOD["from"],
        "--to",
        PERIOD["to"],
        "--format",
        "json",
        stdout=out,
    )
    return json.loads(out.getvalue())


def page_values(html: str) -> dict[str, object]:
    found = re.findall(r'id="metric-(\w+)".*?data-value="([^"]*)"', html, re.DOTALL)
    return {key: json.loads(value.replace("&quot;", '"')) for key, value in found}


def test_the_page_the_api_and_the_report_agree(as_manager, manager, base):
    response = as_manager.get(
        reverse("metrics:client_metrics"), {"start": PERIOD["from"], "end": PERIOD["to"]}
    )
    assert response.status_code == 200
    on_page = page_values(response.content.decode())
    listed = api_as(manager).get("/metrics/clients", PERIOD)
    assert listed.status_code == 200, listed.content
    by_api = {item["metric"]: item for item in listed.json()}
    keys = [d.key for d in metrics(CLIENTS)]
    assert set(on_page) == set(by_api) == set(keys)
    for key in keys:
        printed = report(key)
        single = api_as(manager).get(f"/metrics/clients/{key}", PERIOD).json()
        assert printed["value"] == by_api[key]["value"] == single["value"] == on_page[key], key
        assert printed["inputs"] == by_api[key]["inputs"], key
    assert by_api["churn"]["value"] == round(2 / 3, 6)
    assert by_api["churn"]["inputs"] == {"n_start": 3, "n_retained": 1, "n_new_excluded": 1}
    assert by_api["churn"]["formula"]
    assert by_api["revenue"]["value"] == "133.45"


def test_the_page_explains_each_number(as_manager, base):
    response = as_manager.get(
        reverse("metrics:client_metrics"), {"start": PERIOD["from"], "end": PERIOD["to"]}
    )
    html = response.content.decode()
    assert "n_new_excluded" in html and "(n_start − n_retained) / n_start" in html
    assert 'id="churn-rule"' in html and "<code>left</code>" in html


def test_a_reversed_period_is_an_error_beside_the_field(as_manager, manager):
    response = as_manager.get(
        reverse("metrics:client_metrics"), {"start": "2025-02-01", "end": "2025-01-01"}
    )
    assert response.status_code == 200
    assert "end" in response.context["form"].errors
    assert not response.context["rows"]
    refused = api_as(manager).get("/metrics/clients", {"from": "2025-02-01", "to": "2025-01-01"})
    assert error_locs(refused) == [("query", "to")]
    assert api_as(manager).get("/metrics/clients/nonsense", PERIOD).status_code == 404


def test_agents_and_stage_owners_may_not_see_them(as_agent, agent, auditor):
    assert as_agent.get(reverse("metrics:client_metrics")).status_code == 403
    assert api_as(agent).get("/metrics/clients", PERIOD).status_code == 403
    assert api_as(auditor).get("/metrics/clients", PERIOD).status_code == 200


def test_the_menu_lists_the_page_under_analysis():
    item = menu["metrics.client_metrics"]
    assert item.group == "analysis"
    assert item.permission == "metrics.view_client_metrics"
