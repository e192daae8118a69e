"""How large an import file may be, and the messages that refuse one that is larger.

The limits are settings (environment variables, see docs/configuration.md) and are checked
while a file is streamed, so a refusal comes as soon as a limit is passed: nothing past it is
read, and a file never costs more memory or time than the limits allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

# Form fields of the mapping page besides one per column (the CSRF token and some room).
MAPPING_FORM_OTHER_FIELDS = 10
EXCEL_MAX_COLUMNS = 16_384


class FileProblem(Exception):
    """The file as a whole cannot be read; the message tells the user what to do."""

    def __init__(self, message: str, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.row = row


def _n(value: int) -> str:
    return number_format(value, force_grouping=True)


def column_letter(number: int) -> str:
    """1 → A, 27 → AA: the name a spreadsheet shows for a column."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass(frozen=True)
class Limits:
    rows: int  # data rows, the header not counted
    columns: int
    cell_chars: int
    uncompressed_bytes: int  # all parts of an XLSX workbook together
    compression_ratio: int  # of any one part of an XLSX workbook

    @classmethod
    def from_settings(cls) -> Limits:
        columns = settings.KLIENTO_IMPORT_MAX_COLUMNS
        form_fields = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
        if form_fields is not None:
            # The mapping page has a field per column: never more than Django accepts.
            columns = min(columns, form_fields - MAPPING_FORM_OTHER_FIELDS)
        return cls(
            rows=settings.KLIENTO_IMPORT_MAX_ROWS,
            columns=max(1, columns),
            cell_chars=settings.KLIENTO_IMPORT_MAX_CELL_CHARS,
            uncompressed_bytes=settings.KLIENTO_IMPORT_MAX_UNCOMPRESSED_MB * 1024 * 1024,
            compression_ratio=settings.KLIENTO_IMPORT_MAX_COMPRESSION_RATIO,
        )

    def too_many_rows(self) -> FileProblem:
        return FileProblem(
            _(
                "The file has more than %(limit)s data rows; the limit is %(limit)s rows. "
                "Split it into smaller files."
            )
            % {"limit": _n(self.rows)},
            row=self.rows + 2,
        )

    def too_many_columns(self, row: int, column: int) -> FileProblem:
        return FileProblem(
            _(
                "Row %(row)s reaches column %(letter)s (%(count)s columns); the limit is "
                "%(limit)s columns. Remove the columns you do not need or split the file."
            )
            % {
                "row": _n(row),
                "letter": column_letter(column),
                "count": _n(column),
                "limit": _n(self.columns),
            },
            row=row,
        )

    def cell_too_long(self, row: int, column: int) -> FileProblem:
        return FileProblem(
            _(
                "Row %(row)s, column %(letter)s holds more than %(limit)s characters; the "
                "limit is %(limit)s characters in a cell."
            )
            % {"row": _n(row), "letter": column_letter(column), "limit": _n(self.cell_chars)},
            row=row,
        )

    def too_large_unpacked(self, declared: int | None = None) -> FileProblem:
        if declared is None:
            message = _(
                "The workbook unpacks to more than %(limit)s; the limit is %(limit)s. "
                "Save it as CSV or split it into smaller files."
            )
        else:
            message = _(
                "The workbook unpacks to %(size)s; the limit is %(limit)s. "
                "Save it as CSV or split it into smaller files."
            )
        return FileProblem(
            message
            % {
                "size": filesizeformat(declared or 0),
                "limit": filesizeformat(self.uncompressed_bytes),
            }
        )

    def too_compressed(self, part: str, ratio: int) -> FileProblem:
        return FileProblem(
            _(
                "The workbook part %(part)s unpacks to %(ratio)s times its packed size; the "
                "limit is %(limit)s times. The file is refused as a possible zip bomb."
            )
            % {"part": part, "ratio": _n(ratio), "limit": _n(self.compression_ratio)}
        )
