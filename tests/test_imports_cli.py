from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from kliento.clients.models import Client, Purchase, TimelineEntry
from tests.factories import ClientFactory
from tests.imports_helpers import write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_clients_are_imported_and_counted(tmp_path):
    ClientFactory(external_ref="R1", name="Old")
    path = write_csv(tmp_path, [["name", "external_ref"], ["New", "R1"], ["Other", "R2"]])
    out, _err = run("clients", str(path))
    assert "Rows imported: 2 (created: 1, updated: 1, unchanged: 0)" in out
    assert Client.objects.get(external_ref="R1").name == "New"


def test_progress_bar_is_shown_by_default(tmp_path, capsys):
    path = write_csv(tmp_path, [["name"], ["A"], ["B"]])
    call_command("import", "clients", str(path), stdout=io.StringIO())
    assert "Checking" in capsys.readouterr().err


def test_bad_rows_exit_non_zero_write_a_report_and_nothing_else(tmp_path):
    ClientFactory(external_ref="C1")
    path = write_csv(
        tmp_path,
        [["client", "date", "amount"], ["C1", "2025-01-01", "5"], ["C1", "2025-01-01", "five"]],
        name="orders.csv",
    )
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError, match="1 errors found"):
        run("purchases", str(path), "--report", str(report))
    assert not Purchase.objects.exists()
    assert not TimelineEntry.objects.exists()
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[1].startswith("3,amount,five,")


def test_error_report_does_not_carry_live_formulas(tmp_path):
    """The report is opened in a spreadsheet; a bad cell that is a formula must stay text."""
    import csv

    ClientFactory(external_ref="C1")
    formula = '=HYPERLINK("http://evil.example","Fix")'
    path = write_csv(
        tmp_path,
        [["client", "date", "amount"], ["C1", "2025-01-01", formula]],
        name="orders.csv",
    )
    report = tmp_path / "report.csv"
    with pytest.raises(CommandError):
        run("purchases", str(path), "--report", str(report))
    rows = list(csv.reader(report.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][:3] == ["2", "amount", "'" + formula]


def test_default_report_path_and_printed_errors(tmp_path, capsys):
    path = write_csv(tmp_path, [["name", "email"], ["A", "broken"]], name="people.csv")
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", "clients", str(path), "--no-progress", stderr=err)
    assert "row 2, email ('broken')" in err.getvalue()
    assert (tmp_path / "people.errors.csv").exists()


def test_mapping_option_and_xlsx(tmp_path):
    ClientFactory(external_ref="C1")
    path = write_xlsx(tmp_path, [["who", "when", "sum", "junk"], ["C1", "2025-01-01", 7, "x"]])
    out, _err = run(
        "purchases",
        str(path),
        "--mapping",
        "who=client",
        "--mapping",
        "when=occurred_on",
        "--mapping",
        "junk=",
    )
    assert "created: 1" in out
    assert Purchase.objects.get().amount == 7


@pytest.mark.parametrize(
    "args",
    [
        ("clients", "/nonexistent/file.csv"),
        ("clients", "{tmp}/f.csv", "--mapping", "no-equals-sign"),
        ("clients", "{tmp}/f.csv", "--mapping", "name=bogus_field"),
    ],
)
def test_usage_errors(tmp_path, args):
    write_csv(tmp_path, [["name"], ["A"]], name="f.csv")
    with pytest.raises(CommandError):
        run(*(a.format(tmp=tmp_path) for a in args))
    assert not Client.objects.exists()


def test_wrong_encoding_exits_non_zero(tmp_path):
    path = tmp_path / "cp.csv"
    path.write_bytes("name\nЖанна\n".encode("cp1251"))
    with pytest.raises(CommandError, match="not UTF-8"):
        run("clients", str(path))
    _out, _err = run("clients", str(path), "--encoding", "cp1251")
    assert Client.objects.get().name == "Жанна"
