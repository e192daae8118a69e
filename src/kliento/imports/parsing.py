"""Reading CSV and XLSX files as a header row plus numbered data rows, streaming.

Row numbers are the ones a spreadsheet shows when it opens the file: the header is row 1, the
first data row is row 2, and blank rows still count. CSV is read as UTF-8 (with or without a
BOM) unless the user chose a legacy encoding; a byte that is not valid in that encoding stops the
import with the line and byte offset so the user can fix or re-save the file.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kliento.imports.limits import FileProblem, Limits
from kliento.imports.xlsx import FormulaReport, xlsx_rows

__all__ = ["ENCODINGS", "FileProblem", "Limits", "Table", "header_text", "open_table"]

ENCODINGS = {
    "utf-8": "UTF-8",
    "cp1250": _lazy("Windows-1250 (Central European)"),
    "cp1251": _lazy("Windows-1251 (Cyrillic)"),
}
DELIMITERS = ",;\t|"
BOM = b"\xef\xbb\xbf"
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls
# Old Mac files end their lines with CR alone; Windows with CR LF; everyone else with LF.
LINE_END = re.compile(rb"\r\n|\r|\n")

# Cells are strings for CSV; XLSX also yields numbers, dates and None.
Cell = Any
Row = tuple[int, list[Cell]]


def _open_binary(source: str | Path | IO[bytes]) -> IO[bytes]:
    if isinstance(source, str | Path):
        return open(source, "rb")  # closed by the caller
    source.seek(0)
    return source


@dataclass
class Table:
    """One sheet of an import file. Call `rows()` to stream the data rows after the header.

    Every read checks the `limits` as it goes: past one, a FileProblem says which and stops the
    reading there. `report_formula`, when set, is told of each formula cell without a saved
    value in one of the `watched` columns (counted from 0), which reads as empty.
    """

    source: str | Path | IO[bytes]
    kind: str  # "csv" or "xlsx"
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] | None = None
    limits: Limits = field(default_factory=Limits.from_settings)
    report_formula: Callable[[int, int, str], None] | None = None
    watched: set[int] | None = None

    def rows(self) -> Iterator[Row]:
        iterator = self._iter_all()
        first = next(iterator, None)  # the header
        if first is not None and first[0] != 1:
            iterator = _chain(first, iterator)  # the sheet's first row is empty
        count = 0
        for number, values in iterator:
            if any(v not in (None, "") for v in values):
                count += 1
                if count > self.limits.rows:
                    raise self.limits.too_many_rows()
                yield number, values

    def count_rows(self, progress: Callable[[int], None] | None = None) -> int:
        count = 0
        for _row in self.rows():
            count += 1
            if progress is not None and count % 10_000 == 0:
                progress(count)
        return count

    def preview(self, limit: int = 5) -> list[Row]:
        result = []
        for row in self.rows():
            result.append(row)
            if len(result) >= limit:
                break
        return result

    def _iter_all(self) -> Iterator[Row]:
        if self.kind == "xlsx":
            yield from self._xlsx()
        else:
            yield from _csv_rows(self.source, self.encoding, self.delimiter, self.limits)

    def _xlsx(self) -> Iterator[Row]:
        report: FormulaReport | None = None
        if self.report_formula is not None:
            tell = self.report_formula
            watched = self.watched

            def report(row: int, column: int, formula: str) -> None:
                if row > 1 and (watched is None or column - 1 in watched):
                    tell(row, column - 1, formula)

        handle = _open_binary(self.source)
        try:
            yield from xlsx_rows(handle, self.limits, report)
        finally:
            if isinstance(self.source, str | Path):
                handle.close()


def _chain(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


def _decode_problem(line_no: int, byte: int, encoding: str) -> FileProblem:
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
    return FileProblem(
        message % {"line": line_no, "byte": byte, "encoding": ENCODINGS.get(encoding, encoding)},
        row=line_no,
    )


def _find_bad_byte(handle: IO[bytes], encoding: str) -> FileProblem:
    """Where the first byte that is not valid in `encoding` is: line and offset in the file.
    Only run once decoding failed; reads the file again from the start, a line at a time."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    line_no = 1
    pending = b""
    while True:
        chunk = handle.read(64 * 1024)
        data = pending + chunk
        if offset == 0 and data.startswith(BOM):
            data = data[len(BOM) :]
            offset = len(BOM)
        start = 0
        for match in LINE_END.finditer(data):
            if match.group() == b"\r" and match.end() == len(data) and chunk:
                break  # maybe the CR of a CR LF cut by the chunk
            line = data[start : match.end()]
            try:
                decoder.decode(line, final=True)
            except UnicodeDecodeError as exc:
                return _decode_problem(line_no, offset + exc.start, encoding)
            offset += len(line)
            line_no += 1
            start = match.end()
        pending = data[start:]
        if not chunk:
            break
    try:
        decoder.decode(pending, final=True)
    except UnicodeDecodeError as exc:
        return _decode_problem(line_no, offset + exc.start, encoding)
    return _decode_problem(line_no, offset, encoding)


def _lines(handle: IO[bytes], encoding: str) -> Generator[str]:
    """The lines of the file, ending in LF, CR LF or CR alone (old Mac files), with their ends
    (the csv module needs them to tell a line break inside a quoted cell)."""
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    text = io.TextIOWrapper(handle, encoding=codec, errors="strict", newline="")
    try:
        for line_no, line in enumerate(text, start=1):
            if "\x00" in line:
                # No text column can hold it (PostgreSQL refuses it); a UTF-16 file without a
                # BOM reads as UTF-8 full of them.
                raise FileProblem(
                    _(
                        "Line %(line)d holds a NUL character, which text cannot contain. Save "
                        "the file as UTF-8 text (“CSV UTF-8” in Excel)."
                    )
                    % {"line": line_no},
                    row=line_no,
                )
            yield line
    except UnicodeDecodeError:
        raise _find_bad_byte(handle, encoding) from None
    finally:
        if not handle.closed:
            text.detach()  # the caller closes the file


def _csv_rows(
    source: str | Path | IO[bytes], encoding: str, delimiter: str, limits: Limits
) -> Iterator[Row]:
    handle = _open_binary(source)
    # The csv module's own limit on a cell, if lower than ours, would refuse first.
    if csv.field_size_limit() <= limits.cell_chars:
        csv.field_size_limit(limits.cell_chars + 1)
    lines = _lines(handle, encoding)
    try:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
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
            if len(values) > limits.columns:
                extra = [i for i, v in enumerate(values) if v.strip()]
                if extra and extra[-1] >= limits.columns:
                    raise limits.too_many_columns(number, extra[-1] + 1)
                del values[limits.columns :]
            for position, value in enumerate(values):
                if len(value) > limits.cell_chars:
                    raise limits.cell_too_long(number, position + 1)
            yield number, values
    finally:
        lines.close()
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
        first = LINE_END.split(head, maxsplit=1)[0].removeprefix(BOM)
        table = Table(source, "csv", encoding=encoding)
        table.delimiter = _detect_delimiter(first.decode(encoding, errors="replace"))
    header_row = next(table._iter_all(), None)
    if header_row is None:
        raise FileProblem(_("The file is empty."))
    headers = [header_text(v) for v in header_row[1]] if header_row[0] == 1 else []
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
