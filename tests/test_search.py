"""Client search, filters and sorting (the client list's selector)."""

from __future__ import annotations

import datetime as dt

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
        ("ко", ["Ірина Бондаренко", "Олена Шевченко"]),
        ("nobody", []),
    ],
)
def test_name_substring_is_case_insensitive_in_any_alphabet(people, q, expected):
    assert names(q=q) == expected


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


def test_unparseable_phone_or_email_finds_nobody_without_error(anna):
    assert names(q="999 999") == []
    assert names(q="@@") == []


def test_a_client_with_two_matching_contacts_is_listed_once(manager):
    client = ClientFactory(name="Twice")
    ContactFactory(client=client, kind="email", value="x@y.pl")
    ContactFactory(client=client, kind="phone", value="+48600123456")
    ContactFactory(client=ClientFactory(name="Other"), kind="email", value="x@y.pl")
    assert names(q="x@y.pl") == ["Other", "Twice"]


def test_external_reference_finds_the_client(people):
    ClientFactory(name="Imported", external_ref="CRM-00042")
    assert names(q="CRM-00042") == ["Imported"]
    assert names(q="00042") == []  # references match exactly, not as substrings


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
