"""Client search, filters and sorting (the client list's selector)."""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest

from kliento.clients import services
from kliento.clients.models import Client
from kliento.clients.selectors import ClientFilters, search_clients
from tests.factories import ClientFactory, ContactFactory, SegmentFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(**filters) -> list[str]:
    return [c.name for c in search_clients(ClientFilters(**filters))]


@pytest.fixture
def people():
    for name in [
        "Anna Nowak",
        "Łukasz Żółkiewski",
        "Олена Шевченко",
        "Ірина Бондаренко",
        "Zofia Wiśniewska",
    ]:
        ClientFactory(name=name)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("nowak", ["Anna Nowak"]),
        ("NOW", ["Anna Nowak"]),
        ("  anna ", ["Anna Nowak"]),
        ("łukasz", ["Łukasz Żółkiewski"]),
        ("ŻÓŁ", ["Łukasz Żółkiewski"]),
        ("wiśniew", ["Zofia Wiśniewska"]),
        ("олена", ["Олена Шевченко"]),
        ("ШЕВЧ", ["Олена Шевченко"]),
        ("ірина", ["Ірина Бондаренко"]),
        ("enko", []),  # Latin letters do not match Cyrillic ones
        ("нко", ["Ірина Бондаренко", "Олена Шевченко"]),
        # One or two letters match the start of a word only.
        ("ко", []),
        ("ш", ["Олена Шевченко"]),
        ("no", ["Anna Nowak"]),
        ("nobody", []),
    ],
)
def test_name_substring_is_case_insensitive_in_any_alphabet(people, q, expected):
    assert names(q=q) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Lukasz", ["Łukasz Żółkiewski"]),
        ("LUKASZ zolk", ["Łukasz Żółkiewski"]),
        ("zolkiewski lukasz", ["Łukasz Żółkiewski"]),
        ("wisniewska", ["Zofia Wiśniewska"]),
        ("Nowak Anna", ["Anna Nowak"]),
        ("nowak   ANNA", ["Anna Nowak"]),
        ("шевченко олена", ["Олена Шевченко"]),
        ("Ирина", []),  # Russian "y" is not the Ukrainian "i"
        ("anna zofia", []),  # every word must match
        ("nowak nowak", ["Anna Nowak"]),
    ],
)
def test_names_match_without_accents_and_in_any_order(people, q, expected):
    assert names(q=q) == expected


def test_words_match_inside_the_name_in_any_order():
    ClientFactory(name="Michał Nowak")
    ClientFactory(name="Michalina Kowalska-Nowakowska")
    ClientFactory(name="Nowak Sp. z o.o.")
    assert names(q="Nowak Michał") == ["Michalina Kowalska-Nowakowska", "Michał Nowak"]
    assert names(q="lukasz NOWAK") == []
    assert names(q="kowalska-nowakowska") == ["Michalina Kowalska-Nowakowska"]
    assert names(q="kowalska nowakowska michalina") == ["Michalina Kowalska-Nowakowska"]
    assert names(q="o.o.") == ["Nowak Sp. z o.o."]
    assert names(q="z o") == ["Nowak Sp. z o.o."]


def test_the_folded_name_follows_every_write(manager):
    client = services.create_client(actor=manager, name="Łukasz Nowak")
    assert client.search_name == "lukasz nowak"
    services.update_client(actor=manager, client=client, changes={"name": "Ölga Straße"})
    assert names(q="olga strasse") == ["Ölga Straße"]
    assert names(q="lukasz") == []
    client.refresh_from_db()
    client.name = "Ёлка"
    client.save(update_fields=["name"])
    assert Client.objects.get(pk=client.pk).search_name == "елка"
    Client.objects.bulk_create([Client(name="Żaneta"), Client(name="Ḱeçi")])
    assert names(q="zaneta") == ["Żaneta"]
    assert names(q="keci") == ["Ḱeçi"]


def test_empty_query_lists_everyone(people):
    assert len(names(q="")) == 5


def test_percent_and_underscore_are_literal():
    ClientFactory(name="100% Dance")
    ClientFactory(name="1000 Dance")
    ClientFactory(name="snake_case")
    ClientFactory(name="snakeXcase")
    assert names(q="100%") == ["100% Dance"]
    assert names(q="e_c") == ["snake_case"]


@pytest.fixture
def anna(manager):
    client = services.create_client(
        actor=manager,
        name="Anna Nowak",
        contacts=[("phone", "+48 600 123 456"), ("email", "Anna.Nowak@Example.com")],
    )
    # A decoy with a similar number and address.
    services.create_client(
        actor=manager,
        name="Decoy",
        contacts=[("phone", "+48 600 123 457"), ("email", "anna.nowak@example.org")],
    )
    return client


@pytest.mark.parametrize(
    "q",
    [
        "600123456",
        "600 123 456",
        "600-123-456",
        "(600) 123-456",
        "+48600123456",
        "0048 600 123 456",
    ],
)
def test_phone_in_any_format_finds_the_client(anna, q, settings):
    settings.KLIENTO_DEFAULT_REGION = "PL"
    assert names(q=q) == ["Anna Nowak"]


@pytest.mark.parametrize(
    "q", ["anna.nowak@example.com", "ANNA.NOWAK@EXAMPLE.COM", " Anna.Nowak@example.COM "]
)
def test_email_in_any_case_finds_the_client(anna, q):
    assert names(q=q) == ["Anna Nowak"]


def test_the_migration_folds_the_names_already_stored():
    from django.db import connection

    migration = importlib.import_module("kliento.clients.migrations.0007_client_search_name")
    clients = [ClientFactory(name=f"Łucja {n}") for n in range(7)]
    Client.objects.update(search_name="")
    migration.BATCH = 3  # several batches
    migration.fill_search_names(None, SimpleNamespace(connection=connection))
    assert set(Client.objects.values_list("search_name", flat=True)) == {
        f"lucja {n}" for n in range(7)
    }
    assert names(q="lucja 6") == [clients[6].name]


def test_unparseable_phone_or_email_finds_nobody_without_error(anna):
    assert names(q="999 999") == []
    assert names(q="@@") == []
    assert names(q="+") == []
    assert names(q="'") == []


@pytest.mark.parametrize(
    "q",
    [
        "anna.n",
        "ANNA.NOWAK@",
        "Anna.Nowak@example.",
    ],
)
def test_the_start_of_an_email_finds_its_clients(anna, q):
    assert names(q=q) == ["Anna Nowak", "Decoy"]


def test_the_start_of_an_email_tells_addresses_apart(anna):
    assert names(q="anna.nowak@example.com") == ["Anna Nowak"]
    assert names(q="anna.nowak@example.o") == ["Decoy"]
    assert names(q="nowak@") == []  # the start of the address, not any part of it


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("600 123", ["Anna Nowak", "Decoy"]),
        ("+48600", ["Anna Nowak", "Decoy"]),
        ("+48 600 12", ["Anna Nowak", "Decoy"]),
        ("123 456", ["Anna Nowak"]),
        ("123-457", ["Decoy"]),
        ("(600) 123 45", ["Anna Nowak", "Decoy"]),
        ("0 600 123 456", ["Anna Nowak"]),  # a trunk "0" typed in front
        ("0048 600 123 457", ["Decoy"]),
        ("3456", ["Anna Nowak"]),
        ("48 700", []),
        ("60", []),  # too few digits to look for
    ],
)
def test_part_of_a_phone_number_in_any_format_finds_the_client(anna, q, expected):
    assert names(q=q) == expected


def test_many_matching_contacts_are_capped_not_an_error(manager, monkeypatch):
    from kliento.clients.selectors import search as search_module

    monkeypatch.setattr(search_module, "MAX_CONTACT_MATCHES", 2)
    for n in range(4):
        ContactFactory(client=ClientFactory(name=f"C{n}"), kind="email", value=f"xyz{n}@y.pl")
    assert len(names(q="xyz0@")) == 1
    assert len(names(q="xyz")) == 2


def test_a_client_with_two_matching_contacts_is_listed_once(manager):
    client = ClientFactory(name="Twice")
    ContactFactory(client=client, kind="email", value="x@y.pl")
    ContactFactory(client=client, kind="phone", value="+48600123456")
    ContactFactory(client=ClientFactory(name="Other"), kind="email", value="x@y.pl")
    assert names(q="x@y.pl") == ["Other", "Twice"]


def test_external_reference_finds_the_client(people):
    ClientFactory(name="Imported", external_ref="CRM-00042")
    ClientFactory(name="Other", external_ref="CRM-00043")
    assert names(q="CRM-00042") == ["Imported"]
    assert names(q="crm-0004") == ["Imported", "Other"]
    assert names(q="CRM") == ["Imported", "Other"]
    assert names(q="00042") == []  # the start of a reference, not any part of it
    assert names(q="CRM_0004") == []  # "_" is a character here, not a wildcard


def test_filters_combine():
    adults = SegmentFactory(name="Adults")
    salsa = TagFactory(name="salsa")
    marta = UserFactory(username="marta")
    match = ClientFactory(name="Match", segment=adults, account_manager=marta, is_key=True)
    match.tags.add(salsa)
    ClientFactory(name="Wrong segment", account_manager=marta, is_key=True).tags.add(salsa)
    ClientFactory(name="No tag", segment=adults, account_manager=marta, is_key=True)
    ClientFactory(name="Other manager", segment=adults, is_key=True).tags.add(salsa)
    not_key = ClientFactory(name="Not key", segment=adults, account_manager=marta)
    not_key.tags.add(salsa)
    left = ClientFactory(
        name="Left",
        segment=adults,
        account_manager=marta,
        is_key=True,
        status=Client.Status.LEFT,
        left_on=dt.date(2025, 1, 1),
    )
    left.tags.add(salsa)

    assert names(segment=adults.pk, tag=salsa.pk, manager=marta.pk, key_only=True) == [
        "Left",
        "Match",
    ]
    assert names(
        segment=adults.pk, tag=salsa.pk, manager=marta.pk, key_only=True, status="active"
    ) == ["Match"]
    assert names(status="left") == ["Left"]
    assert len(names(status="bogus")) == 6  # an unknown status filters nothing


def test_sorting():
    old = ClientFactory(name="Bartek")
    Client.objects.filter(pk=old.pk).update(created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    ClientFactory(name="Adam")
    ClientFactory(name="Celina")
    assert names(sort="name") == ["Adam", "Bartek", "Celina"]
    assert names(sort="-name") == ["Celina", "Bartek", "Adam"]
    assert names(sort="created")[0] == "Bartek"
    assert names(sort="-created")[-1] == "Bartek"
    assert names(sort="nonsense") == ["Adam", "Bartek", "Celina"]


def test_matches_are_sorted_as_asked():
    for name in ["Nowak Celina", "Adam Nowak", "Bartek Nowakowski", "Other"]:
        ClientFactory(name=name)
    assert names(q="nowak") == ["Adam Nowak", "Bartek Nowakowski", "Nowak Celina"]
    assert names(q="nowak", sort="-name") == ["Nowak Celina", "Bartek Nowakowski", "Adam Nowak"]
    assert names(q="nowak", sort="-created") == ["Bartek Nowakowski", "Adam Nowak", "Nowak Celina"]
