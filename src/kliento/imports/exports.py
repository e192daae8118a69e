"""Streaming an export as CSV or XLSX, with cells a spreadsheet would run as formulas made inert.

What the rows are is the target's business (its `exporter`); CSV exports use the target's field
keys as column names and XLSX exports the fields' labels in the user's language (the importer
knows both, in every language), so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from kliento.imports.values import needs_formula_guard

FORMATS = ("csv", "xlsx")
Rows = Iterable[Sequence[Any]]


def guarded(cell: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading quote (OWASP CSV injection)."""
    if isinstance(cell, str) and needs_formula_guard(cell):
        return "'" + cell
    return cell


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(header: list[str], rows: Rows) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A BOM makes Excel read the file as UTF-8; the importer skips it.
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if cell is None else guarded(cell) for cell in row])


def _filename(target: str, extension: str) -> str:
    return f"{target}-{timezone.localdate().isoformat()}.{extension}"


def csv_response(target: str, header: list[str], rows: Rows) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        _csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(target, "csv")}"'
    return response


# Column widths are measured on the first rows (the rest are streamed), within these bounds.
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 8, 50


def _width(value: Any) -> int:
    if value is None:
        return 0
    if hasattr(value, "isoformat"):
        return 10
    return max((len(line) for line in str(value).splitlines()), default=0)


def xlsx_response(
    target: str, header: list[str], rows: Rows, *, labels: Mapping[str, str] | None = None
) -> FileResponse:
    """openpyxl's write-only mode streams rows to a temporary file; that file is then sent.

    The header row shows `labels` (the fields' names in the user's language) in bold and stays
    in view while scrolling; columns are as wide as their first rows need."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(target)
    titles = [str((labels or {}).get(key, key)) for key in header]
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    for position, title in enumerate(titles):
        widest = max([len(title), *(_width(r[position]) for r in sample if position < len(r))])
        width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(position + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    heading = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=guarded(title))
        cell.font = bold
        heading.append(cell)
    sheet.append(heading)
    for row in itertools.chain(sample, rows):
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


def export_response(
    target: str,
    file_format: str,
    header: list[str],
    rows: Rows,
    *,
    labels: Mapping[str, str] | None = None,
) -> StreamingHttpResponse | FileResponse:
    if file_format == "xlsx":
        return xlsx_response(target, header, rows, labels=labels)
    return csv_response(target, header, rows)
