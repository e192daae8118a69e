from __future__ import annotations

import datetime as dt
from decimal import Decimal

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from kliento.clients.demo import bulk_writers
from kliento.clients.demo import scale as scaled
from kliento.clients.models import Client, ContactPoint, Purchase, TimelineEntry
from kliento.clients.selectors import ClientFilters, search_clients
from kliento.core.folding import fold

TINY = scaled.ScaleSpec(clients=200, purchases=2000, seed=7)


def _snapshot() -> tuple[list, list]:
    clients = list(
        Client.objects.filter(external_ref__startswith="S-")
        .order_by("external_ref")
        .values_list("external_ref", "name", "status", "left_on", "created_at")
    )
    purchases = list(
        Purchase.objects.order_by("id").values_list(
            "client__external_ref", "occurred_on", "amount", "description", "channel"
        )
    )
    return clients, purchases


def test_scale_sizes_follow_the_factor():
    assert scaled.ScaleSpec.from_scale(1).clients == 1_000_000
    assert scaled.ScaleSpec.from_scale(1).purchases == 10_000_000
    spec = scaled.ScaleSpec.from_scale(0.01)
    assert (spec.clients, spec.purchases) == (10_000, 100_000)
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            scaled.ScaleSpec.from_scale(bad)


def test_generators_are_deterministic_and_seed_dependent():
    first = [(c.name, c.created_at) for c in scaled.client_rows(TINY)]
    again = [(c.name, c.created_at) for c in scaled.client_rows(TINY)]
    other = [(c.name, c.created_at) for c in scaled.client_rows(scaled.ScaleSpec(200, 0, 8))]
    assert first == again
    assert first != other
    amounts = [p.amount for p in scaled.purchase_rows(TINY)]
    assert amounts == [p.amount for p in scaled.purchase_rows(TINY)]
    assert len(amounts) == 2000


@pytest.mark.django_db(transaction=True)
def test_loading_twice_gives_the_same_names_and_amounts():
    first = scaled.load_scale(TINY)
    snapshot = _snapshot()
    Client.objects.all().delete()  # cascades to contacts, purchases and timeline

    scaled.load_scale(TINY)

    assert (first.clients, first.purchases) == (200, 2000)
    assert _snapshot() == snapshot
    assert len(snapshot[0]) == 200
    assert len(snapshot[1]) == 2000
    assert sum((row[2] for row in snapshot[1]), Decimal(0)) > 0


@pytest.mark.django_db(transaction=True)
def test_loaded_data_is_consistent():
    scaled.load_scale(TINY)

    ids = set(Client.objects.values_list("pk", flat=True))
    assert len(ids) == 200
    assert set(Purchase.objects.values_list("client_id", flat=True)) <= ids
    assert Purchase.objects.count() == 2000
    assert not Client.objects.filter(account_manager=None).exists()
    assert not Client.objects.filter(segment=None).exists()
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.CREATED).count() == 200
    # Every client has exactly one phone and one email, both already in their stored form.
    phones = list(ContactPoint.objects.filter(kind="phone").values_list("client_id", "value"))
    emails = list(ContactPoint.objects.filter(kind="email").values_list("client_id", "value"))
    assert {c for c, _ in phones} == ids == {c for c, _ in emails}
    assert len(phones) == len(emails) == 200
    assert len({v for _, v in phones}) == 200
    for _client, value in phones:
        number = phonenumbers.parse(value, None)
        assert phonenumbers.is_valid_number(number), value
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
    for _client, value in emails:
        assert value == value.lower() and value.isascii() and value.endswith("@example.com")
    # Dates come from the anchor, not from the day the test runs.
    assert Purchase.objects.filter(occurred_on__gt=TINY.until).count() == 0
    assert Purchase.objects.filter(occurred_on__lt=TINY.until - dt.timedelta(days=730)).count() == 0


@pytest.mark.django_db(transaction=True)
def test_loaded_clients_are_found_by_search_and_new_ids_continue_after_them():
    existing = Client.objects.create(name="Before The Load")
    scaled.load_scale(TINY)
    row = next(c for c in scaled.client_rows(TINY) if c.number == 150)
    phone = scaled.phone_for(150)

    found = list(search_clients(ClientFilters(q=phone)))

    assert [c.external_ref for c in found] == [scaled.client_ref(TINY.seed, 150)]
    assert found[0].name == row.name
    # The loader writes the folded name the search reads, and the indexes serve it.
    first, last = row.name.split(" ", 1)
    by_name = search_clients(ClientFilters(q=f"{last.upper()} {first.lower()}"))
    assert found[0] in by_name
    assert all(c.search_name == fold(c.name) for c in Client.objects.all())
    assert found[0].pk > existing.pk
    # The id sequence was moved past the explicit ids: a normal insert does not collide.
    assert Client.objects.create(name="After The Load").pk > found[0].pk


@pytest.mark.django_db(transaction=True)
def test_postgres_load_restores_every_index_and_constraint():
    if connection.vendor != "postgresql":
        pytest.skip("the index rebuild is PostgreSQL-only")
    tables = [m._meta.db_table for m in bulk_writers.LOADED_MODELS]

    def schema() -> set:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexrelid::regclass::text FROM pg_index "
                "WHERE indrelid = ANY(%s::regclass[])",
                [tables],
            )
            indexes = {row[0] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = ANY(%s::regclass[])",
                [tables],
            )
            return indexes | set(cursor.fetchall())

    before = schema()
    scaled.load_scale(TINY)
    assert schema() == before
    assert {
        "client_search_name_trgm_idx",
        "client_ref_prefix_idx",
        "contact_email_prefix_idx",
        "contact_phone_trgm_idx",
    } <= before


@pytest.mark.django_db(transaction=True)
def test_demo_command_loads_scale_once_on_top_of_the_company(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=10, scale=0.0002)  # 200 clients, 2,000 purchases
    scaled_count = scaled.scaled_clients_loaded()
    purchases = Purchase.objects.count()
    assert scaled_count == 200
    # The demo company's staff manage the generated clients.
    managers = set(
        Client.objects.filter(external_ref__startswith="S-").values_list(
            "account_manager__username", flat=True
        )
    )
    assert managers <= {"marta", "piotr", "olena", "jakub", "iryna"}

    call_command("demo", no_serve=True, clients=10, scale=0.0002)

    assert scaled.scaled_clients_loaded() == 200
    assert Purchase.objects.count() == purchases


@pytest.mark.django_db
def test_demo_command_refuses_a_bad_scale(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    for bad in (0, -1, 11):
        with pytest.raises(CommandError, match="--scale"):
            call_command("demo", no_serve=True, scale=bad)
    assert not Client.objects.exists()
