from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from kliento.clients.models import Client, Purchase
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.errors import ErrorCollector
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PurchaseFactory,
    SegmentFactory,
    TagFactory,
)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def data(db, manager):
    vip = SegmentFactory(name="VIP")
    acme = ClientFactory(name="ACME", kind="company", external_ref="ACME")
    anna = ClientFactory(
        name="Anna",
        external_ref="A-1",
        company=acme,
        segment=vip,
        account_manager=manager,
        job_title="CEO",
        language="pl",
    )
    anna.tags.add(TagFactory(name="tennis"), TagFactory(name="golf"))
    ContactFactory(client=anna, kind="email", value="anna@example.com", is_primary=True)
    ContactFactory(client=anna, kind="phone", value="+48601234567", is_primary=True)
    left = ClientFactory(name="Zed", status="left", left_on=dt.date(2024, 1, 2))
    PurchaseFactory(
        client=anna,
        amount=Decimal("1234.50"),
        external_ref="O-1",
        occurred_on=dt.date(2025, 1, 5),
        description="Shoes, red",
        channel="online",
    )
    PurchaseFactory(client=left, amount=Decimal("5.00"), occurred_on=dt.date(2024, 1, 1))
    return {"anna": anna, "left": left, "vip": vip}


def test_client_csv_respects_the_list_filters(as_manager, data):
    url = reverse("imports:export", args=["clients"])
    response = as_manager.get(url, {"format": "csv", "segment": data["vip"].pk})
    assert response["Content-Type"].startswith("text/csv")
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("name,kind,external_ref,phone,email,company")
    assert len(lines) == 2
    assert lines[1] == (
        "Anna,person,A-1,+48601234567,anna@example.com,ACME,CEO,pl,VIP,"
        '"golf, tennis",manager,,active,,'
    )
    everyone = body(as_manager.get(url, {"format": "csv"})).decode("utf-8-sig").splitlines()
    assert len(everyone) == 4
    left_only = body(as_manager.get(url, {"status": "left"})).decode("utf-8-sig").splitlines()
    assert left_only[1].startswith("Zed,person,,") and left_only[1].endswith("left,2024-01-02,")


def test_xlsx_export(as_manager, data):
    response = as_manager.get(reverse("imports:export", args=["purchases"]), {"format": "xlsx"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(body(response)))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    # For people: the fields' names, the client's name beside Kliento's "#id"; a frozen,
    # bold header and columns wide enough for their content.
    assert rows[0] == (
        "Client (reference, email or phone)",
        "Client's name (not imported)",
        "Date",
        "Amount",
        "Currency",
        "Description",
        "Channel",
        "Order number",
        "Cost",
    )
    assert rows[1][:2] == (f"#{data['left'].pk}", "Zed")
    assert rows[2][:4] == ("A-1", "Anna", dt.datetime(2025, 1, 5), 1234.5)
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width >= len(rows[0][0])
    assert 8 <= sheet.column_dimensions["E"].width <= 50


def test_xlsx_export_speaks_the_users_language_and_imports_back_in_another(
    as_manager, data, tmp_path
):
    """A Polish manager's export carries Polish headers; an English one imports it."""
    as_manager.cookies["django_language"] = "pl"
    url = reverse("imports:export", args=["purchases"])
    content = body(as_manager.get(url, {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="pl"))
    header = next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(values_only=True))
    with translation.override("pl"):
        assert header[2] == str(_("Date")) and header[7] == str(_("Order number"))
    before = sorted(Purchase.objects.values_list("client_id", "occurred_on", "amount"))
    Purchase.objects.all().delete()
    path = tmp_path / "zakupy.xlsx"
    path.write_bytes(content)
    errors = ErrorCollector()
    with translation.override("en"):
        run_import(ImportRequest(path, path.name, "purchases"), actor=None, errors=errors)
    assert errors.count == 0
    assert sorted(Purchase.objects.values_list("client_id", "occurred_on", "amount")) == before


def test_purchase_export_of_one_client(as_manager, data):
    url = reverse("imports:export", args=["purchases"])
    lines = body(as_manager.get(url, {"client": data["anna"].pk})).decode("utf-8-sig")
    assert [line.split(",")[0] for line in lines.splitlines()] == ["client", "A-1"]


@pytest.mark.parametrize("odd", ["²", "¹²", "99999999999999999999999"])
def test_purchase_export_with_an_odd_client_is_not_a_500(as_manager, data, odd):
    # "²".isdigit() is true, but int("²") fails.
    url = reverse("imports:export", args=["purchases"])
    response = as_manager.get(url, {"client": odd})
    assert response.status_code == 200
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("client,")
    if odd.isascii():  # a number, but no client has it
        assert len(lines) == 1


def test_unknown_export_and_format(as_manager, data):
    assert as_manager.get(reverse("imports:export", args=["cats"])).status_code == 404
    url = reverse("imports:export", args=["clients"])
    assert as_manager.get(url, {"format": "pdf"}).status_code == 404


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_round_trips(as_manager, data, tmp_path, file_format):
    """Clients re-imported over themselves change nothing; purchases deleted and re-imported
    come back identical."""
    clients = body(
        as_manager.get(
            reverse("imports:export", args=["clients"]), {"format": file_format, "q": "Anna"}
        )
    )
    purchases = body(
        as_manager.get(reverse("imports:export", args=["purchases"]), {"format": file_format})
    )
    before = sorted(
        Purchase.objects.values_list(
            "client_id",
            "occurred_on",
            "amount",
            "currency",
            "description",
            "channel",
            "external_ref",
        )
    )
    Purchase.objects.all().delete()
    for target, content in (("clients", clients), ("purchases", purchases)):
        path = tmp_path / f"{target}.{file_format}"
        path.write_bytes(content)
        errors = ErrorCollector()
        outcome = run_import(ImportRequest(path, path.name, target), actor=None, errors=errors)
        assert errors.count == 0
        if target == "clients":
            assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 1)
    after = sorted(
        Purchase.objects.values_list(
            "client_id",
            "occurred_on",
            "amount",
            "currency",
            "description",
            "channel",
            "external_ref",
        )
    )
    assert after == before
    assert Client.objects.count() == 3


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_formula_like_text_is_exported_inert_and_reimported_as_written(
    as_manager, manager, tmp_path, file_format
):
    """A name such as =HYPERLINK(…) must not run when the export is opened in a spreadsheet."""
    sneaky = '=HYPERLINK("http://evil.example","click")'
    client = ClientFactory(name=sneaky, external_ref="F-1", notes="-2+3")
    ContactFactory(client=client, kind="phone", value="+48601234567", is_primary=True)
    content = body(
        as_manager.get(reverse("imports:export", args=["clients"]), {"format": file_format})
    )
    if file_format == "csv":
        row = content.decode("utf-8-sig").splitlines()[1]
        assert row.startswith(f'"\'{sneaky.replace(chr(34), chr(34) * 2)}"')
        assert ",+48601234567," in row  # phone numbers stay as they are
        assert "'-2+3" in row
    else:
        sheet = load_workbook(io.BytesIO(content)).worksheets[0]
        assert sheet["A2"].data_type == "s"
        assert sheet["A2"].value == "'" + sneaky

    Client.objects.filter(pk=client.pk).update(name="changed", notes="")
    path = tmp_path / f"clients.{file_format}"
    path.write_bytes(content)
    errors = ErrorCollector()
    run_import(ImportRequest(path, path.name, "clients"), actor=manager, errors=errors)
    assert errors.count == 0
    client.refresh_from_db()
    assert (client.name, client.notes) == (sneaky, "-2+3")
