"""Reading CSV and XLSX files as a header row plus numbered data rows, streaming.

Row numbers are the ones a spreadsheet shows when it opens the file: the header is row 1, the
first data row is row 2, and blank rows still count. CSV is read as UTF-8 (with or without a
BOM) unless the user chose a legacy encoding; a byte that is not valid in that encoding stops the
import with the line and byte offset so the user can fix or re-save the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1250": _lazy("Windows-1250 (Central European)"),
    "cp1251": _lazy("Windows-1251 (Cyrillic)"),
}
DELIMITERS = ",;\t|"
BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls

# Cells are strings for CSV; XLSX also yields numbers, dates and None.
Cell = Any
Row = tuple[int, list[Cell]]


class FileProblem(Exception):
    """The file as a whole cannot be read; the message tells the user what to do."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def _open_binary(source: str | Path | IO[bytes]) -> IO[bytes]:
    if isinstance(source, str | Path):
        return open(source, "rb")  # closed by the caller
    source.seek(0)
    return source


@dataclass
class Table:
    """One sheet of an import file. Call `rows()` to stream the data rows after the header."""

    source: str | Path | IO[bytes]
    kind: str  # "csv" or "xlsx"
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] | None = None

    def rows(self) -> Iterator[Row]:
        iterator = self._iter_all()
        next(iterator, None)  # the header
        for number, values in iterator:
            if any(v not in (None, "") for v in values):
                yield number, values

    def count_rows(self) -> int:
        return sum(1 for _row in self.rows())

    def preview(self, limit: int = 5) -> list[Row]:
        result = []
        for row in self.rows():
            result.append(row)
            if len(result) >= limit:
                break
        return result

    def _iter_all(self) -> Iterator[Row]:
        if self.kind == "xlsx":
            yield from _xlsx_rows(self.source)
        else:
            yield from _csv_rows(self.source, self.encoding, self.delimiter)


def _decoded_lines(handle: IO[bytes], encoding: str) -> Iterator[str]:
    """Decode line by line so that a bad byte can be reported with its line and offset."""
    offset = 0
    for line_no, raw in enumerate(handle, start=1):
        chunk = raw[len(BOM) :] if line_no == 1 and raw.startswith(BOM) else raw
        try:
            line = chunk.decode(encoding)
        except UnicodeDecodeError as exc:
            if encoding == "utf-8":
                message = _(
                    "The file is not UTF-8 (line %(line)d, byte %(byte)d). Save it as UTF-8 "
                    "(“CSV UTF-8” in Excel) or choose its encoding when uploading."
                )
            else:
                message = _(
                    "The file cannot be read as %(encoding)s (line %(line)d, byte %(byte)d). "
                    "Check which encoding it was saved in."
                )
            raise FileProblem(
                message
                % {
                    "line": line_no,
                    "byte": offset + exc.start + (raw is not chunk) * len(BOM),
                    "encoding": ENCODINGS.get(encoding, encoding),
                },
                row=line_no,
            ) from None
        if "\x00" in line:
            # No text column can hold it (PostgreSQL refuses it); a UTF-16 file without a BOM
            # reads as UTF-8 full of them.
            raise FileProblem(
                _(
                    "Line %(line)d holds a NUL character, which text cannot contain. Save the "
                    "file as UTF-8 text (“CSV UTF-8” in Excel)."
                )
                % {"line": line_no},
                row=line_no,
            )
        yield line
        offset += len(raw)


def _csv_rows(source: str | Path | IO[bytes], encoding: str, delimiter: str) -> Iterator[Row]:
    handle = _open_binary(source)
    try:
        reader = csv.reader(_decoded_lines(handle, encoding), delimiter=delimiter, strict=True)
        number = 0
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise FileProblem(
                    _("Row %(row)d is not valid CSV: %(reason)s")
                    % {"row": number + 1, "reason": exc},
                    row=number + 1,
                ) from None
            number += 1
            yield number, values
    finally:
        if isinstance(source, str | Path):
            handle.close()


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, str):
        return value.strip()
    return value


# What openpyxl raises for a damaged workbook; a read-only workbook parses its sheet while the
# rows are read, so a cut-off or corrupt sheet fails then, not when it is opened. XML parse
# errors (xml.etree's and lxml's) are SyntaxErrors.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    OSError,
    ValueError,
    SyntaxError,
)


def _unreadable_xlsx(exc: Exception) -> FileProblem:
    return FileProblem(
        _("The file is not a readable XLSX workbook (%(reason)s).") % {"reason": exc}
    )


def _xlsx_rows(source: str | Path | IO[bytes]) -> Iterator[Row]:
    from openpyxl import load_workbook

    handle = _open_binary(source)
    try:
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except _XLSX_ERRORS as exc:
            raise _unreadable_xlsx(exc) from None
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_value(v) for v in values]
        except _XLSX_ERRORS as exc:
            raise _unreadable_xlsx(exc) from None
        finally:
            workbook.close()
    finally:
        if isinstance(source, str | Path):
            handle.close()


def _detect_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def header_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def open_table(source: str | Path | IO[bytes], name: str, encoding: str = "utf-8") -> Table:
    """Recognise the format, read the header row and check it; raises FileProblem."""
    if encoding not in ENCODINGS:
        raise FileProblem(_("Unknown encoding %(encoding)s.") % {"encoding": encoding})
    try:
        handle = _open_binary(source)
    except OSError as exc:  # e.g. an upload whose MEDIA_ROOT was lost or is not shared
        raise FileProblem(
            _("The file cannot be read any more (%(reason)s); upload it again.")
            % {"reason": exc.strerror or exc.__class__.__name__}
        ) from None
    try:
        head = handle.read(64 * 1024)
    finally:
        if isinstance(source, str | Path):
            handle.close()
    if not head:
        raise FileProblem(_("The file is empty."))
    lower = name.lower()
    if head.startswith(OLE_MAGIC) or lower.endswith(".xls"):
        raise FileProblem(_("Old .xls workbooks are not supported; save the file as XLSX or CSV."))
    if head.startswith(XLSX_MAGIC) or lower.endswith(".xlsx"):
        table = Table(source, "xlsx")
    else:
        first = head.split(b"\n", 1)[0].removeprefix(BOM)
        table = Table(source, "csv", encoding=encoding)
        table.delimiter = _detect_delimiter(first.decode(encoding, errors="replace"))
    header_row = next(table._iter_all(), None)
    if header_row is None:
        raise FileProblem(_("The file is empty."))
    headers = [header_text(v) for v in header_row[1]]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem(_("The first row must hold the column names; it is empty."), row=1)
    seen: set[str] = set()
    for header in headers:
        if header and header in seen:
            raise FileProblem(
                _("The column “%(name)s” appears twice in the header row.") % {"name": header},
                row=1,
            )
        seen.add(header)
    table.headers = headers
    return table
