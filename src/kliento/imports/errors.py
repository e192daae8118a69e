"""Collecting row errors: the first ones kept for display, all of them written to a CSV report."""

from __future__ import annotations

import csv
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from kliento.imports.values import needs_formula_guard

SHOWN_ERRORS = 50


def _inert(text: str) -> str:
    """The report is opened in spreadsheets: a cell from the file that reads as a formula gets
    a leading quote, as in exports (OWASP CSV injection)."""
    return "'" + text if needs_formula_guard(text) else text


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet shows it: the header is row 1
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


class ErrorCollector:
    """Append-only list of row errors backed by a temporary CSV file, so a million bad rows
    cost disk, not memory."""

    def __init__(self, keep: int = SHOWN_ERRORS) -> None:
        self.keep = keep
        self.first: list[RowError] = []
        self.count = 0
        self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115 closed in close()
            "w+", encoding="utf-8-sig", newline="", suffix=".csv", delete=False
        )
        self._writer = csv.writer(self._file)
        self._writer.writerow([_("Row"), _("Column"), _("Value"), _("Error")])
        self._pending: list[RowError] = []

    def add(self, row: int, column: str, value: object, message: str) -> None:
        shown = "" if value is None else str(value)[:200]
        self.count += 1
        self._pending.append(RowError(row, column, shown, message))

    def flush(self) -> None:
        """Write the errors gathered since the last flush in row order (checks of different
        kinds find them in different passes over a batch)."""
        for error in sorted(self._pending, key=lambda e: e.row):
            if len(self.first) < self.keep:
                self.first.append(error)
            self._writer.writerow(
                [error.row, _inert(error.column), _inert(error.value), _inert(error.message)]
            )
        self._pending.clear()

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def path(self) -> Path:
        self.flush()
        self._file.flush()
        return Path(self._file.name)

    def close(self) -> None:
        self._file.close()
        Path(self._file.name).unlink(missing_ok=True)
