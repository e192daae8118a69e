from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kliento.clients.importing.fields import CLIENT_FIELDS, PURCHASE_FIELDS
from kliento.imports import fields
from kliento.imports.parsing import FileProblem, open_table
from kliento.imports.values import ValueProblem, parse_amount, parse_date
from tests.imports_helpers import damaged_xlsx_bytes, do_import, write_csv, write_xlsx


def rows_of(path, **kwargs):
    table = open_table(path, path.name, **kwargs)
    return table.headers, list(table.rows())


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_detected(tmp_path, delimiter):
    path = write_csv(tmp_path, [["name", "phone"], ["Anna, Nowak", "601"]], delimiter=delimiter)
    headers, rows = rows_of(path)
    assert headers == ["name", "phone"]
    assert rows == [(2, ["Anna, Nowak", "601"])]


def test_utf8_bom_is_skipped_and_blank_rows_keep_numbering(tmp_path):
    path = write_csv(tmp_path, [["Имя"], ["Żółć"], [], ["Ёжик"]], bom=True)
    headers, rows = rows_of(path)
    assert headers == ["Имя"]
    assert rows == [(2, ["Żółć"]), (4, ["Ёжик"])]


def test_non_utf8_file_is_refused_with_line_and_byte(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("name\nAnna\nЖанна\n".encode("cp1251"))
    with pytest.raises(FileProblem) as exc:
        rows_of(path)
    assert "not UTF-8" in exc.value.message
    assert "line 3, byte 10" in exc.value.message
    assert exc.value.row == 3


def test_legacy_encoding_when_chosen(tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("name;city\nЖанна;Київ\n".encode("cp1251"))
    _headers, rows = rows_of(path, encoding="cp1251")
    assert rows == [(2, ["Жанна", "Київ"])]


def test_unknown_encoding_is_refused(tmp_path):
    path = write_csv(tmp_path, [["name"]])
    with pytest.raises(FileProblem):
        rows_of(path, encoding="latin-9")


def test_empty_file_and_empty_header(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(FileProblem, match="empty"):
        rows_of(empty)
    blank_header = write_csv(tmp_path, [["", ""], ["a", "b"]], name="blank.csv")
    with pytest.raises(FileProblem, match="column names"):
        rows_of(blank_header)


def test_duplicate_header_is_refused(tmp_path):
    path = write_csv(tmp_path, [["name", "name"], ["a", "b"]])
    with pytest.raises(FileProblem, match="appears twice"):
        rows_of(path)


def test_unterminated_quote_is_a_file_problem(tmp_path):
    path = tmp_path / "broken.csv"
    path.write_bytes(b'name,phone\n"Anna,601\n')
    with pytest.raises(FileProblem, match="not valid CSV"):
        rows_of(path)


def test_xlsx_rows_keep_types_and_numbers(tmp_path):
    path = write_xlsx(tmp_path, [["Date", "Amount"], [dt.datetime(2025, 3, 1), 12.5], [None, None]])
    headers, rows = rows_of(path)
    assert headers == ["Date", "Amount"]
    assert rows == [(2, [dt.datetime(2025, 3, 1), 12.5])]


def test_corrupt_xlsx_and_legacy_xls(tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 this is not a workbook")
    with pytest.raises(FileProblem, match="XLSX"):
        rows_of(broken)
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(damaged_xlsx_bytes([["name", "phone"], ["Anna", "+48601234567"]], keep=0.5))
    with pytest.raises(FileProblem, match="XLSX"):
        rows_of(cut)
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\0" * 100)
    with pytest.raises(FileProblem, match="xls"):
        rows_of(old)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025-03-31", dt.date(2025, 3, 31)),
        ("31.03.2025", dt.date(2025, 3, 31)),
        ("31/03/2025", dt.date(2025, 3, 31)),
        ("1.3.2025", dt.date(2025, 3, 1)),
        ("2025-03-31 10:00:00", dt.date(2025, 3, 31)),
        (dt.datetime(2025, 3, 31, 12), dt.date(2025, 3, 31)),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31.02.2025", "2025/03/31", "yesterday", "03-31-2025"])
def test_bad_dates(raw):
    with pytest.raises(ValueProblem):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,5", "1234.50"),
        ("1234.50", "1234.50"),
        ("1,234.50", "1234.50"),
        ("1.234,50", "1234.50"),
        ("1.234.567", "1234567.00"),
        ("12", "12.00"),
        (12.5, "12.50"),
        (7, "7.00"),
        ("1.50", "1.50"),
        ("1500,5", "1500.50"),
    ],
)
def test_amounts(raw, expected):
    assert parse_amount(raw) == Decimal(expected)


@pytest.mark.parametrize(
    "raw",
    [
        "abc",
        "-5",
        "1.234",
        "1.500",  # 1500 in Poland, 1.5 in England: refused, not guessed
        "1,500",
        "1e400",
        "NaN",
        "12,345,67.8.9",
        # Rounding these to cents needs more digits than Decimal's context has.
        "9" * 30 + ".001",
        "123456789012345678901234567.125",
    ],
)
def test_bad_amounts(raw):
    with pytest.raises(ValueProblem):
        parse_amount(raw)


def test_headers_are_matched_in_several_languages():
    headers = ["  E-Mail ", "ФИО", "Telefon", "external_id", "Unknown"]
    mapping = fields.auto_mapping(headers, CLIENT_FIELDS)
    assert mapping == {
        "  E-Mail ": "email",
        "ФИО": "name",
        "Telefon": "phone",
        "external_id": "external_ref",
        "Unknown": "",
    }
    purchases = fields.auto_mapping(
        ["Klient", "Data", "Kwota", "Numer zamówienia"], PURCHASE_FIELDS
    )
    assert set(purchases.values()) == {"client", "occurred_on", "amount", "external_ref"}


def test_mapping_problems():
    problems = fields.mapping_problems(
        {"a": "amount", "b": "amount", "c": "bogus"}, PURCHASE_FIELDS
    )
    text = " ".join(problems)
    assert "both mapped" in text
    assert "not a field" in text
    assert "Client" in text and "Date" in text


@pytest.mark.django_db
def test_xlsx_damaged_after_the_header_is_a_file_problem_not_a_crash(tmp_path):
    rows = [["name", "external_ref"]] + [[f"Client {n}", f"R{n}"] for n in range(200)]
    path = tmp_path / "cut.xlsx"
    path.write_bytes(damaged_xlsx_bytes(rows, keep=0.8))
    assert open_table(path, path.name).headers == ["name", "external_ref"]
    result, errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert "XLSX" in result.message
    assert errors and "XLSX" in errors[0][2]


def test_nul_character_in_the_header_is_a_file_problem(tmp_path):
    """PostgreSQL cannot store NUL in text or JSON; a UTF-16 file without a BOM reads as
    UTF-8 full of them."""
    path = tmp_path / "nul.csv"
    path.write_bytes(b"name,no\x00tes\nAnna,x\n")
    with pytest.raises(FileProblem, match="NUL") as caught:
        rows_of(path)
    assert caught.value.row == 1


@pytest.mark.django_db
def test_nul_character_in_a_cell_rejects_the_file_and_writes_nothing(tmp_path):
    from kliento.clients.models import Client

    path = tmp_path / "nul.csv"
    path.write_bytes(b"name,notes\nBob,fine\nAn\x00na,x\n")
    result, errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert errors[0][0] == 3 and "NUL" in errors[0][2]
    assert not Client.objects.exists()
