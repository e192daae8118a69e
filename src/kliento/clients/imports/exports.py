"""Exporting clients and purchases with the column names the importer recognises.

Clients with no external reference are written with an empty one (a re-import creates them
anew); purchases name their client by its external reference, or “#<id>” — Kliento's own id,
which the importer also accepts — when the client has none.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from kliento.clients.imports.fields import CLIENT_FIELDS, PURCHASE_FIELDS
from kliento.clients.imports.values import needs_formula_guard
from kliento.clients.models import Client, ContactPoint, Purchase

CLIENT_COLUMNS = [spec.key for spec in CLIENT_FIELDS]
PURCHASE_COLUMNS = [spec.key for spec in PURCHASE_FIELDS]
CHUNK = 2000


def client_reference(client_id: int, external_ref: str | None) -> str:
    return external_ref or f"#{client_id}"


def client_rows(clients: QuerySet[Client]) -> Iterator[list]:
    primaries = Prefetch(
        "contacts",
        queryset=ContactPoint.objects.filter(is_primary=True, kind__in=["phone", "email"]),
        to_attr="primary_contacts",
    )
    clients = clients.select_related("company", "segment", "account_manager").prefetch_related(
        primaries, "tags"
    )
    for client in clients.iterator(chunk_size=CHUNK):
        contacts = {c.kind: c.value for c in client.primary_contacts}
        company = client.company
        yield [
            client.name,
            client.kind,
            client.external_ref or "",
            contacts.get("phone", ""),
            contacts.get("email", ""),
            (company.external_ref or company.name) if company else "",
            client.job_title,
            client.language,
            client.segment.name if client.segment else "",
            ", ".join(tag.name for tag in client.tags.all()),
            client.account_manager.username if client.account_manager else "",
            client.status,
            client.left_on,
            client.notes,
        ]


def purchase_rows(purchases: QuerySet[Purchase]) -> Iterator[list]:
    rows = purchases.order_by("occurred_on", "id").values_list(
        "client_id",
        "client__external_ref",
        "occurred_on",
        "amount",
        "currency",
        "description",
        "channel",
        "external_ref",
    )
    for client_id, client_ref, day, amount, currency, description, channel, ref in rows.iterator(
        chunk_size=CHUNK
    ):
        yield [
            client_reference(client_id, client_ref),
            day,
            amount,
            currency,
            description,
            channel,
            ref or "",
        ]


def guarded(cell):
    """Text a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    if isinstance(cell, str) and needs_formula_guard(cell):
        return "'" + cell
    return cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A BOM makes Excel read the file as UTF-8; the importer skips it.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if cell is None else guarded(cell) for cell in row])


def _filename(target: str, extension: str) -> str:
    return f"{target}-{timezone.localdate().isoformat()}.{extension}"


def csv_response(target: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(target, "csv")}"'
    return response


def xlsx_response(target: str, header: list[str], rows: Iterable[list]) -> FileResponse:
    """openpyxl's write-only mode streams rows to a temporary file; that file is then sent."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(target)
    sheet.append(header)
    for row in rows:
        cells = []
        for value in row:
            if hasattr(value, "isoformat"):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                cells.append(cell)
            else:
                cells.append(guarded(value))
        sheet.append(cells)
    spool = tempfile.TemporaryFile()  # noqa: SIM115 FileResponse closes it
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=_filename(target, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
