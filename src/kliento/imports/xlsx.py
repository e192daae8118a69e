"""Reading the first sheet of an XLSX workbook as rows, streaming, within the limits.

A workbook is a zip of XML parts. Before anything is unpacked, the sizes the zip declares are
checked (all parts together, and how far any part unpacks from its packed size); while the
parts are read, the bytes actually unpacked are counted against the same limit, so a zip that
lies about its sizes is stopped too. The sheet is read with a SAX parser: no tree is built, the
`<dimension>` the file declares is ignored, and a row is only as long as its last cell with a
value, so one far-away cell costs one cell, not a row padded to 16,384 columns.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _
from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

from kliento.imports.limits import EXCEL_MAX_COLUMNS, FileProblem, Limits

CHUNK = 64 * 1024
# A small part may pack very tightly without harm; the ratio is checked from this size up.
RATIO_FROM_BYTES = 1024 * 1024
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# (row, column counted from 1, the formula) of a formula cell without a saved value.
FormulaReport = Callable[[int, int, str], None]


def unreadable(reason: object) -> FileProblem:
    return FileProblem(
        _("The file is not a readable XLSX workbook (%(reason)s).") % {"reason": reason}
    )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


class _Budget:
    """The bytes the workbook may still unpack to, all parts together."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.left = limits.uncompressed_bytes

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise self.limits.too_large_unpacked()


def check_archive(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook by the sizes its zip declares, before unpacking anything."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if info.file_size >= RATIO_FROM_BYTES:
            ratio = info.file_size // max(info.compress_size, 1)
            if ratio > limits.compression_ratio:
                raise limits.too_compressed(info.filename, ratio)
    if total > limits.uncompressed_bytes:
        raise limits.too_large_unpacked(total)


def _parser(
    start: Callable[[str, dict[str, str]], None] | None = None,
    end: Callable[[str], None] | None = None,
    text: Callable[[str], None] | None = None,
) -> Any:
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*args: object) -> None:
        # Spreadsheets never write one; entities are how XML bombs expand.
        raise unreadable(_("it declares an XML document type"))

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    if start is not None:
        parser.StartElementHandler = lambda name, attrs: start(_local(name), attrs)
    if end is not None:
        parser.EndElementHandler = lambda name: end(_local(name))
    if text is not None:
        parser.CharacterDataHandler = text
    return parser


def _chunks(archive: zipfile.ZipFile, name: str, budget: _Budget) -> Iterator[bytes]:
    with archive.open(name) as member:
        while chunk := member.read(CHUNK):
            budget.take(len(chunk))
            yield chunk


def _parse(archive: zipfile.ZipFile, name: str, budget: _Budget, parser: Any) -> None:
    """Feed a whole (small) part to the parser."""
    try:
        for chunk in _chunks(archive, name, budget):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise unreadable(f"{name}: {exc}") from None


class _Workbook:
    """Where the first sheet, the shared strings and the styles are, and the date system."""

    def __init__(self, archive: zipfile.ZipFile, budget: _Budget) -> None:
        names = set(archive.namelist())
        self.first_sheet_id = ""
        self.epoch = CALENDAR_WINDOWS_1900
        if "xl/workbook.xml" not in names:
            raise unreadable(_("it has no xl/workbook.xml"))
        _parse(archive, "xl/workbook.xml", budget, _parser(start=self._workbook))
        targets: dict[str, str] = {}
        self.shared_strings = self.styles = ""
        if "xl/_rels/workbook.xml.rels" in names:

            def relationship(tag: str, attrs: dict[str, str]) -> None:
                if tag != "Relationship":
                    return
                target = attrs.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                path = posixpath.normpath(path)
                kind = attrs.get("Type", "").rsplit("/", 1)[-1]
                targets[attrs.get("Id", "")] = path
                if kind == "sharedStrings":
                    self.shared_strings = path
                elif kind == "styles":
                    self.styles = path

            _parse(archive, "xl/_rels/workbook.xml.rels", budget, _parser(start=relationship))
        self.sheet = targets.get(self.first_sheet_id, "xl/worksheets/sheet1.xml")
        if self.sheet not in names:
            raise unreadable(_("its first sheet is missing"))
        if not self.shared_strings and "xl/sharedStrings.xml" in names:
            self.shared_strings = "xl/sharedStrings.xml"
        if not self.styles and "xl/styles.xml" in names:
            self.styles = "xl/styles.xml"
        for part in (self.shared_strings, self.styles):
            if part and part not in names:
                raise unreadable(_("the part %(part)s is missing") % {"part": part})

    def _workbook(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
            self.epoch = CALENDAR_MAC_1904
        elif tag == "sheet" and not self.first_sheet_id:
            self.first_sheet_id = attrs.get(f"{REL_NS}}}id", "")


def _date_styles(archive: zipfile.ZipFile, name: str, budget: _Budget) -> dict[int, bool]:
    """Style index → True for a duration format, False for a date; absent: not a date."""
    if not name:
        return {}
    custom: dict[int, str] = {}
    formats: list[int] = []
    inside = [False]

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            inside[0] = True
        elif tag == "xf" and inside[0]:
            formats.append(int(attrs.get("numFmtId", "0")))

    def end(tag: str) -> None:
        if tag == "cellXfs":
            inside[0] = False

    try:
        _parse(archive, name, budget, _parser(start=start, end=end))
    except ValueError as exc:
        raise unreadable(exc) from None
    dates: dict[int, bool] = {}
    for index, format_id in enumerate(formats):
        code = custom.get(format_id) or BUILTIN_FORMATS.get(format_id, "")
        if code and is_date_format(code):
            dates[index] = is_timedelta_format(code)
    return dates


def _shared_strings(archive: zipfile.ZipFile, name: str, budget: _Budget, keep: int) -> list[str]:
    """Every shared string, each cut to `keep` characters (a longer one is refused when a
    cell uses it); the unpacked bytes count against the budget as they are read."""
    if not name:
        return []
    strings: list[str] = []
    parts: list[str] = []
    size = [0]
    state = {"text": False, "phonetic": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        if tag == "si":
            parts.clear()
            size[0] = 0
        elif tag == "t" and not state["phonetic"]:
            state["text"] = True
        elif tag == "rPh":
            state["phonetic"] = True

    def end(tag: str) -> None:
        if tag == "si":
            strings.append("".join(parts))
        elif tag == "t":
            state["text"] = False
        elif tag == "rPh":
            state["phonetic"] = False

    def text(data: str) -> None:
        if state["text"] and size[0] < keep:
            data = data[: keep - size[0]]
            parts.append(data)
            size[0] += len(data)

    _parse(archive, name, budget, _parser(start=start, end=end, text=text))
    return strings


def _column(ref: str) -> int:
    number = 0
    for char in ref:
        if "A" <= char <= "Z":
            number = number * 26 + ord(char) - 64
        else:
            break
    return number


def _number(text: str) -> int | float:
    if any(c in text for c in ".eE"):
        return float(text)
    return int(text)


class _SheetReader:
    """SAX handlers that turn `<row>`s into (row number, values), checking the limits."""

    def __init__(
        self,
        *,
        limits: Limits,
        strings: list[str],
        dates: dict[int, bool],
        epoch: dt.datetime,
        report: FormulaReport | None,
    ) -> None:
        self.limits = limits
        self.strings = strings
        self.dates = dates
        self.epoch = epoch
        self.report = report
        self.ready: list[tuple[int, list[Any]]] = []
        self.row = 0
        self.cells: dict[int, Any] = {}
        self.column = 0
        self.kind = ""
        self.style = 0
        self.value: list[str] | None = None
        self.formula: list[str] | None = None
        self.inline: list[str] | None = None
        self.size = 0
        self.capture: list[str] | None = None
        self.phonetic = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "c":
            ref = attrs.get("r")
            self.column = _column(ref) if ref else self.column + 1
            if not 1 <= self.column <= EXCEL_MAX_COLUMNS:
                raise unreadable(_("the cell reference %(ref)s is not valid") % {"ref": ref})
            self.kind = attrs.get("t", "n")
            self.style = int(attrs.get("s", "0") or 0)
            self.value = self.formula = self.inline = self.capture = None
            self.size = 0
        elif tag == "v":
            self.value = self.capture = []
        elif tag == "f":
            self.formula = self.capture = []
        elif tag == "is":
            self.inline = []
        elif tag == "t" and self.inline is not None and not self.phonetic:
            self.capture = self.inline
        elif tag == "rPh":
            self.phonetic = True
        elif tag == "row":
            number = attrs.get("r")
            self.row = int(number) if number else self.row + 1
            self.cells = {}
            self.column = 0

    def text(self, data: str) -> None:
        if self.capture is None:
            return
        self.size += len(data)
        if self.size > self.limits.cell_chars:
            if self.capture is self.formula:
                return  # the formula is only quoted in a report; its value is what counts
            raise self.limits.cell_too_long(self.row, self.column)
        self.capture.append(data)

    def end(self, tag: str) -> None:
        if tag in ("v", "f", "t"):
            self.capture = None
            if tag != "t":
                self.size = 0
        elif tag == "rPh":
            self.phonetic = False
        elif tag == "c":
            value = self._cell()
            if value is None or value == "":
                return
            if self.column > self.limits.columns:
                raise self.limits.too_many_columns(self.row, self.column)
            self.cells[self.column] = value
        elif tag == "row":
            if self.cells:
                values: list[Any] = [None] * max(self.cells)
                for column, value in self.cells.items():
                    values[column - 1] = value
            else:
                values = []
            self.ready.append((self.row, values))

    def _cell(self) -> Any:
        raw = None if self.value is None else "".join(self.value)
        kind = self.kind
        if self.formula is not None and (raw is None or (raw == "" and kind != "str")):
            if self.report is not None:
                self.report(self.row, self.column, "=" + "".join(self.formula)[:200])
            return None
        try:
            if kind == "inlineStr":
                return "".join(self.inline or []).strip()
            if raw is None:
                return None
            if kind == "s":
                value = self.strings[int(raw)]
                if len(value) > self.limits.cell_chars:
                    raise self.limits.cell_too_long(self.row, self.column)
                return value.strip()
            if kind in ("str", "e"):
                return raw.strip()
            if kind == "b":
                return raw.strip() in ("1", "true")
            if kind == "d":
                return dt.datetime.fromisoformat(raw)
            if raw.strip() == "":
                return None
            number = _number(raw)
            if self.style in self.dates:
                return from_excel(number, self.epoch, timedelta=self.dates[self.style])
            return number
        except (ValueError, IndexError, OverflowError) as exc:
            raise unreadable(exc) from None


def xlsx_rows(
    handle: IO[bytes], limits: Limits, report: FormulaReport | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the first sheet that hold any cell, with their spreadsheet numbers."""
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise unreadable(exc) from None
    with archive:
        check_archive(archive, limits)
        budget = _Budget(limits)
        try:
            workbook = _Workbook(archive, budget)
            dates = _date_styles(archive, workbook.styles, budget)
            strings = _shared_strings(
                archive, workbook.shared_strings, budget, limits.cell_chars + 1
            )
            reader = _SheetReader(
                limits=limits, strings=strings, dates=dates, epoch=workbook.epoch, report=report
            )
            parser = _parser(start=reader.start, end=reader.end, text=reader.text)
            for chunk in _chunks(archive, workbook.sheet, budget):
                parser.Parse(chunk, False)
                yield from reader.ready
                reader.ready.clear()
            parser.Parse(b"", True)
            yield from reader.ready
        except expat.ExpatError as exc:
            raise unreadable(exc) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, RuntimeError) as exc:
            # A damaged member (bad CRC, cut off), or an encrypted one.
            raise unreadable(exc) from None
        except ValueError as exc:  # a row or style number that is not a number
            raise unreadable(exc) from None
