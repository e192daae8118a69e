from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from kliento.clients.models import Purchase, TimelineEntry
from kliento.imports.common import ImportOutcome, ImportRejected
from kliento.imports.parsing import FileProblem
from tests.factories import ClientFactory, ContactFactory, PurchaseFactory
from tests.imports_helpers import do_import, write_csv, write_xlsx

HEADER = ["client", "date", "amount", "currency", "description", "channel", "order"]


@pytest.fixture
def anna(db):
    client = ClientFactory(name="Anna", external_ref="C-1")
    ContactFactory(client=client, kind="email", value="anna@example.com")
    ContactFactory(client=client, kind="phone", value="+48601234567")
    return client


@pytest.fixture
def bob(db):
    return ClientFactory(name="Bob", external_ref="C-2")


def test_good_file_is_imported_with_one_timeline_entry_per_client(tmp_path, anna, bob, manager):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["C-1", "2025-03-31", "1 234,50", "PLN", "Shoes", "online", "O-1"],
            ["anna@example.com", "01.02.2025", "10", "", "", "", "O-2"],
            ["+48 601 234 567", "01/02/2025", "5.5", "eur", "", "Online", ""],
            ["C-2", "2025-01-01", "99", "USD", "", "store", "O-3"],
        ],
        name="orders.csv",
    )
    outcome, errors = do_import(path, "purchases", actor=manager)
    assert errors == []
    assert isinstance(outcome, ImportOutcome)
    assert (outcome.rows, outcome.created, outcome.clients) == (4, 4, 2)
    first = Purchase.objects.get(external_ref="O-1")
    assert (first.client, first.amount, first.currency, first.channel) == (
        anna,
        Decimal("1234.50"),
        "PLN",
        "online",
    )
    assert first.occurred_on == dt.date(2025, 3, 31)
    assert Purchase.objects.get(external_ref="O-2").currency == "PLN"  # the default currency
    assert Purchase.objects.get(currency="EUR").external_ref is None
    entries = TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED)
    assert entries.count() == 2
    entry = entries.get(client=anna)
    assert entry.summary == "3 purchases imported from orders.csv"
    assert entry.actor == manager
    assert entries.get(client=bob).summary == "1 purchase imported from orders.csv"


def test_xlsx_with_native_dates_and_numbers(tmp_path, anna):
    path = write_xlsx(
        tmp_path,
        [["Klient", "Data", "Kwota", "Waluta"], ["C-1", dt.datetime(2025, 5, 1), 12.5, "PLN"]],
    )
    _outcome, errors = do_import(path, "purchases")
    assert errors == []
    purchase = Purchase.objects.get()
    assert (purchase.occurred_on, purchase.amount) == (dt.date(2025, 5, 1), Decimal("12.50"))


def test_one_bad_row_among_good_ones_writes_nothing(tmp_path, anna):
    good = [["C-1", "2025-01-01", "10", "PLN", "", "", f"O-{n}"] for n in range(50)]
    bad = ["C-1", "2025-01-01", "ten", "PLN", "", "", "O-bad"]
    path = write_csv(tmp_path, [HEADER, *good, bad, *good[:0]])
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert errors == [(52, "amount", "“ten” is not an amount; write it like 1234.50 or 1 234,50.")]
    assert Purchase.objects.count() == 0
    assert TimelineEntry.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["C-9", "2025-01-01", "1", "", "", "", ""], "client", "No client has this"),
        (["", "2025-01-01", "1", "", "", "", ""], "client", "required"),
        (["C-1", "2025-13-01", "1", "", "", "", ""], "date", "not an existing date"),
        (["C-1", "next week", "1", "", "", "", ""], "date", "is not a date"),
        (["C-1", "", "1", "", "", "", ""], "date", "required"),
        (["C-1", "2025-01-01", "-3", "", "", "", ""], "amount", "negative"),
        (["C-1", "2025-01-01", "1", "ZZZ", "", "", ""], "currency", "ISO 4217"),
        (["C-1", "2025-01-01", "1", "", "", "carrier pigeon", ""], "channel", "is not one of"),
        (["C-1", "2025-01-01", "1", "", "x" * 501, "", ""], "description", "Too long"),
        (["nobody@example.com", "2025-01-01", "1", "", "", "", ""], "client", "No client"),
    ],
)
def test_row_errors_name_row_and_column(tmp_path, anna, row, column, message):
    path = write_csv(tmp_path, [HEADER, ["C-1", "2025-01-01", "1", "", "", "", ""], row])
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert len(errors) == 1
    assert errors[0][:2] == (3, column)
    assert message in errors[0][2]
    assert Purchase.objects.count() == 0


def test_future_date_is_refused(tmp_path, anna):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    path = write_csv(tmp_path, [HEADER, ["C-1", tomorrow, "1", "", "", "", ""]])
    _outcome, errors = do_import(path, "purchases")
    assert errors[0][1] == "date" and "future" in errors[0][2]


def test_duplicate_order_numbers_in_file_and_in_database(tmp_path, anna):
    PurchaseFactory(client=anna, external_ref="O-OLD")
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["C-1", "2025-01-01", "1", "", "", "", "O-1"],
            ["C-1", "2025-01-02", "2", "", "", "", "O-1"],
            ["C-1", "2025-01-03", "3", "", "", "", "O-OLD"],
        ],
    )
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert errors == [
        (3, "order", "The order number appears twice in the file (first in row 2)."),
        (4, "order", "A purchase with this order number has already been imported."),
    ]
    assert Purchase.objects.count() == 1


def test_errors_are_reported_in_row_order(tmp_path, anna):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["nobody", "2025-01-01", "1", "", "", "", ""],
            ["C-1", "2025-01-01", "oops", "", "", "", ""],
        ],
    )
    _outcome, errors = do_import(path, "purchases")
    assert [(row, column) for row, column, _m in errors] == [(2, "client"), (3, "amount")]


def test_client_by_own_id_and_ambiguous_email(tmp_path, anna, bob):
    ContactFactory(client=bob, kind="email", value="shared@example.com")
    ContactFactory(client=anna, kind="email", value="shared@example.com")
    path = write_csv(
        tmp_path,
        [
            HEADER,
            [f"#{bob.pk}", "2025-01-01", "1", "", "", "", ""],
            ["shared@example.com", "2025-01-01", "1", "", "", "", ""],
        ],
    )
    _outcome, errors = do_import(path, "purchases")
    assert errors == [
        (3, "client", "Several clients have this email or phone; use their reference.")
    ]


def test_missing_required_column_is_refused_before_reading_rows(tmp_path, anna):
    path = write_csv(tmp_path, [["client", "date"], ["C-1", "2025-01-01"]])
    outcome, _errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert "Amount" in str(outcome)


def test_explicit_mapping_overrides_and_unknown_column(tmp_path, anna):
    path = write_csv(tmp_path, [["who", "when", "how much"], ["C-1", "2025-01-01", "5"]])
    mapping = {"who": "client", "when": "occurred_on", "how much": "amount"}
    outcome, errors = do_import(path, "purchases", mapping=mapping)
    assert errors == [] and outcome.created == 1
    outcome, _errors = do_import(path, "purchases", mapping={"nope": "client"})
    assert isinstance(outcome, ImportRejected) and "nope" in str(outcome)


def test_wrong_encoding_is_a_file_problem_and_writes_nothing(tmp_path, anna):
    path = tmp_path / "cp.csv"
    path.write_bytes("client,date,amount,description\nC-1,2025-01-01,1,Пальто\n".encode("cp1251"))
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, FileProblem)
    assert errors[0][0] == 2 and "UTF-8" in errors[0][2]
    assert Purchase.objects.count() == 0
    outcome, errors = do_import(path, "purchases", encoding="cp1251")
    assert errors == []
    assert Purchase.objects.get().description == "Пальто"


def test_a_huge_amount_with_fractions_of_a_cent_is_a_row_error(tmp_path, anna, manager):
    path = write_csv(
        tmp_path,
        [
            HEADER,
            ["C-1", "2025-03-31", "10", "PLN", "", "", "O-1"],
            ["C-1", "2025-03-31", "9" * 30 + ".001", "PLN", "", "", "O-2"],
        ],
    )
    outcome, errors = do_import(path, "purchases", actor=manager)
    assert isinstance(outcome, ImportRejected)
    assert [(row, column) for row, column, _message in errors] == [(3, "amount")]
    assert not Purchase.objects.exists()


@pytest.mark.parametrize("key", ["#²", "#99999999999999999999999", "#-1", "#"])
def test_an_odd_own_id_is_an_unknown_client_not_a_crash(tmp_path, anna, key):
    path = write_csv(tmp_path, [HEADER, [key, "2025-03-31", "10", "PLN", "", "", ""]])
    outcome, errors = do_import(path, "purchases")
    assert isinstance(outcome, ImportRejected)
    assert [(row, column) for row, column, _message in errors] == [(2, "client")]
    assert not Purchase.objects.exists()
