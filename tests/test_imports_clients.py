from __future__ import annotations

import datetime as dt

import pytest

from kliento.clients.models import Client, ContactPoint, Segment, Tag, TimelineEntry
from kliento.imports.common import ImportOutcome, ImportRejected
from tests.factories import ClientFactory, ContactFactory, SegmentFactory, TagFactory
from tests.imports_helpers import do_import, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

HEADER = [
    "name",
    "kind",
    "external_ref",
    "phone",
    "email",
    "company",
    "segment",
    "tags",
    "account_manager",
    "status",
    "left_on",
    "language",
    "notes",
]


def row(**values) -> list[str]:
    return [values.get(column, "") for column in HEADER]


def test_clients_are_created_with_contacts_labels_and_company(tmp_path, manager):
    SegmentFactory(name="VIP")
    path = write_csv(
        tmp_path,
        [
            HEADER,
            row(
                name="Jan Kowalski",
                external_ref="P-1",
                phone="601 234 567",
                email="Jan@Example.com",
                company="ACME",
                segment="vip",
                tags="tennis; new",
                account_manager="manager",
                language="Polski",
            ),
            row(name="ACME", kind="company", external_ref="ACME"),
            row(name="Old Client", status="left", left_on="01.02.2024"),
        ],
        name="people.csv",
    )
    outcome, errors = do_import(path, "clients", actor=manager)
    assert errors == []
    assert (outcome.created, outcome.updated) == (3, 0)
    jan = Client.objects.get(external_ref="P-1")
    assert jan.company == Client.objects.get(name="ACME", kind="company")
    assert jan.segment.name == "VIP"  # matched case-insensitively, not duplicated
    assert Segment.objects.count() == 1
    assert sorted(jan.tags.values_list("name", flat=True)) == ["new", "tennis"]
    assert jan.account_manager == manager
    assert jan.language == "pl"
    assert set(jan.contacts.values_list("kind", "value", "is_primary")) == {
        ("phone", "+48601234567", True),
        ("email", "jan@example.com", True),
    }
    old = Client.objects.get(name="Old Client")
    assert (old.status, old.left_on) == ("left", dt.date(2024, 2, 1))
    entries = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED)
    assert entries.count() == 3
    assert entries.get(client=jan).summary == "Created by import from people.csv"


def test_existing_clients_are_updated_and_counted(tmp_path, manager):
    existing = ClientFactory(name="Anna", external_ref="A-1", job_title="Clerk", notes="keep")
    ContactFactory(client=existing, kind="email", value="anna@example.com", is_primary=True)
    TagFactory(name="old")
    existing.tags.add(Tag.objects.get(name="old"))
    unchanged = ClientFactory(name="Same", external_ref="S-1")
    path = write_csv(
        tmp_path,
        [
            ["external_ref", "name", "job title", "email", "tags", "notes"],
            ["A-1", "Anna Nowak", "Director", "anna2@example.com", "vip", ""],
            ["S-1", "Same", "", "", "", ""],
            ["N-1", "Newcomer", "", "", "", ""],
        ],
        name="update.csv",
    )
    outcome, errors = do_import(path, "clients", actor=manager)
    assert errors == []
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    existing.refresh_from_db()
    assert (existing.name, existing.job_title, existing.notes) == ("Anna Nowak", "Director", "keep")
    assert existing.search_name == "anna nowak"  # bulk_update writes the folded name too
    assert Client.objects.get(external_ref="N-1").search_name == "newcomer"
    assert sorted(existing.tags.values_list("name", flat=True)) == ["old", "vip"]
    emails = dict(existing.contacts.values_list("value", "is_primary"))
    assert emails == {"anna@example.com": True, "anna2@example.com": False}
    entry = TimelineEntry.objects.get(client=existing, kind=TimelineEntry.Kind.IMPORTED)
    assert entry.summary == "Updated by import from update.csv: email, job_title, name, tags"
    assert entry.data["changes"]["name"] == ["Anna", "Anna Nowak"]
    assert not TimelineEntry.objects.filter(client=unchanged).exists()


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (row(name="X", phone="12"), "phone", "not a valid phone number"),
        (row(name="X", phone="call me"), "phone", "is not a phone number"),
        (row(name="X", email="not-an-email"), "email", "not a valid email"),
        (row(name="", email="x@example.com"), "name", "name is required"),
        (row(name="X", kind="robot"), "kind", "is not one of"),
        (row(name="X", company="Nowhere Ltd"), "company", "No company"),
        (row(name="X", account_manager="ghost"), "account_manager", "No active user"),
        (row(name="X", status="left"), "status", "date the client left"),
        (row(name="X", status="active", left_on="2024-01-01"), "left_on", "active client"),
        (row(name="X", left_on="2999-01-01"), "left_on", "future"),
        (row(name="X", language="Klingon"), "language", "is not one of"),
        (row(name="X", kind="company", company="ACME"), "company", "Only a person"),
        (row(name="X", tags="a, " + "t" * 61), "tags", "longer than 60"),
    ],
)
def test_invalid_rows_write_nothing(tmp_path, bad, column, message):
    ClientFactory(name="ACME", kind="company", external_ref="ACME")
    before = Client.objects.count()
    path = write_csv(tmp_path, [HEADER, row(name="Good", email="good@example.com"), bad])
    outcome, errors = do_import(path, "clients")
    assert isinstance(outcome, ImportRejected)
    assert [(r, c) for r, c, _m in errors] == [(3, column)]
    assert message in errors[0][2]
    assert Client.objects.count() == before
    assert ContactPoint.objects.count() == 0
    assert not Segment.objects.exists() and not Tag.objects.exists()


def test_duplicate_reference_in_file(tmp_path):
    path = write_csv(tmp_path, [["name", "external_ref"], ["A", "R1"], ["B", "R2"], ["C", "R1"]])
    _outcome, errors = do_import(path, "clients")
    assert errors == [
        (4, "external_ref", "This reference appears twice in the file (first in row 2).")
    ]
    assert not Client.objects.exists()


def test_company_reference_that_is_not_a_company(tmp_path):
    ClientFactory(name="Person", external_ref="P-9")
    path = write_csv(tmp_path, [["name", "company"], ["X", "P-9"]])
    _outcome, errors = do_import(path, "clients")
    # The card's and the API's own words (one rule), beside the cell that holds "P-9".
    assert errors == [(2, "company", "The chosen client is not a company.")]


def test_a_company_row_with_a_job_title_breaks_the_cards_rule(tmp_path):
    path = write_csv(tmp_path, [["name", "kind", "job_title"], ["Acme", "company", "CEO"]])
    _outcome, errors = do_import(path, "clients")
    assert errors == [(2, "job_title", "A company has no job title.")]


def test_xlsx_clients_with_numeric_cells(tmp_path):
    path = write_xlsx(tmp_path, [["Imię i nazwisko", "Telefon", "Kod"], ["Ewa", 48601234567, 1001]])
    outcome, errors = do_import(path, "clients")
    assert errors == [] and isinstance(outcome, ImportOutcome)
    ewa = Client.objects.get(name="Ewa")
    assert ewa.external_ref == "1001"
    assert ewa.contacts.get().value == "+48601234567"


def test_an_email_longer_than_a_contact_can_hold_is_a_row_error(tmp_path, manager):
    # Django's validator accepts up to 320 characters; the contact column holds 254.
    email = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".com"
    path = write_csv(tmp_path, [["name", "email"], ["Bob", "bob@example.com"], ["Anna", email]])
    outcome, errors = do_import(path, "clients", actor=manager)
    assert isinstance(outcome, ImportRejected)
    assert [(row, column) for row, column, _message in errors] == [(3, "email")]
    assert not Client.objects.exists()


def test_a_company_with_contact_persons_cannot_become_a_person(tmp_path):
    """The same rule as on the card: contact persons must point at a company."""
    acme = ClientFactory(name="ACME", kind="company", external_ref="ACME")
    ClientFactory(name="Anna", kind="person", company=acme)
    path = write_csv(tmp_path, [HEADER, row(external_ref="ACME", kind="person")])
    outcome, errors = do_import(path, "clients")
    assert isinstance(outcome, ImportRejected)
    assert [(r, c) for r, c, _m in errors] == [(2, "kind")]
    acme.refresh_from_db()
    assert acme.kind == "company"


def test_a_company_referred_to_in_the_same_file_cannot_become_a_person(tmp_path):
    ClientFactory(name="ACME", kind="company", external_ref="ACME")
    path = write_csv(
        tmp_path,
        [HEADER, row(external_ref="ACME", kind="person"), row(name="Jan", company="ACME")],
    )
    outcome, errors = do_import(path, "clients")
    assert isinstance(outcome, ImportRejected)
    assert (2, "kind") in [(r, c) for r, c, _m in errors]
    assert not Client.objects.filter(name="Jan").exists()


def test_a_contact_person_cannot_become_a_company(tmp_path):
    acme = ClientFactory(name="ACME", kind="company", external_ref="ACME")
    anna = ClientFactory(name="Anna", kind="person", company=acme, external_ref="A-1")
    path = write_csv(tmp_path, [HEADER, row(external_ref="A-1", kind="company")])
    outcome, errors = do_import(path, "clients")
    assert isinstance(outcome, ImportRejected)
    assert [(r, c) for r, c, _m in errors] == [(2, "kind")]
    anna.refresh_from_db()
    assert anna.kind == "person"
