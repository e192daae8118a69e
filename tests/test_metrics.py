"""The metrics app: the key-client analysis lives there and uses the clients app only through
its selectors and services; the clients app knows nothing of it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import resolve, reverse
from django.utils import timezone

import kliento
from kliento.clients.models import Client, TimelineEntry
from kliento.core.navigation import menu
from kliento.metrics import services
from tests.factories import ClientFactory, PurchaseFactory

SRC = Path(kliento.__file__).parent
IMPORT = re.compile(r"^\s*(?:from|import)\s+(kliento\.[\w.]+)", re.MULTILINE)


def imports_of(app: str) -> set[str]:
    found: set[str] = set()
    for path in (SRC / app).rglob("*.py"):
        found.update(IMPORT.findall(path.read_text()))
    return found


def test_the_app_is_installed_under_its_label():
    assert apps.get_app_config("metrics").name == "kliento.metrics"


def test_the_clients_app_does_not_import_metrics():
    assert not {name for name in imports_of("clients") if name.startswith("kliento.metrics")}


def test_metrics_reads_clients_only_through_selectors_and_services():
    used = {name for name in imports_of("metrics") if name.startswith("kliento.clients")}
    # `registry` is the card's plug-in surface (the CLV panel, the merge handler), not a read.
    allowed = {
        "kliento.clients",
        "kliento.clients.selectors",
        "kliento.clients.services",
        "kliento.clients.registry",
    }
    assert used <= allowed


def test_the_page_keeps_its_address_under_the_metrics_namespace():
    assert reverse("metrics:key_clients") == "/clients/key/"
    assert resolve("/clients/key/").view_name == "metrics:key_clients"


def test_the_menu_entry_is_the_metrics_apps():
    item = menu["metrics.key_clients"]
    assert item.url_name == "metrics:key_clients"
    assert "clients.key_clients" not in menu


@pytest.mark.django_db
def test_flagging_the_top_clients_goes_through_the_clients_service(manager):
    day = timezone.localdate() - dt.timedelta(days=3)
    buyers = []
    for amount in [500, 300, 50, 40, 30, 25, 20, 15, 10, 10]:
        client = ClientFactory()
        PurchaseFactory(client=client, occurred_on=day, amount=Decimal(amount), currency="PLN")
        buyers.append(client)
    start = day - dt.timedelta(days=1)

    flag = services.flag_top_clients
    assert flag(actor=manager, start=start, end=day, currency="pln") == 2
    assert flag(actor=manager, start=start, end=day, currency="PLN") == 0  # already flagged

    assert set(Client.objects.filter(is_key=True)) == set(buyers[:2])
    flagged = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.KEY_FLAGGED, actor=manager)
    assert flagged.count() == 2
