"""A dashboard table as CSV or XLSX. Numbers stay numbers; text a spreadsheet would run as a
formula (a team named "=HYPERLINK(…)") gets a leading quote (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook

from kliento.metrics.dashboards import Figure, Table

FORMATS = ("csv", "xlsx")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def cells(table: Table) -> list[list[Any]]:
    """The table as plain cells: per figure its value, then its n (a separate column)."""
    header: list[Any] = [str(table.header[0])]
    for name in table.header[1:]:
        header += [str(name), f"{name} (n)"]
    out = [header]
    for label, found in table.rows:
        row: list[Any] = [str(label)]
        for figure in found:
            row += [None, None] if figure is None else [figure.value, figure.n]
        out.append(row)
    return out


def _name(slug: str, extension: str) -> str:
    return f"{slug}-{timezone.localdate().isoformat()}.{extension}"


def response(table: Table, fmt: str, slug: str) -> HttpResponse:
    rows = [[guarded(c) for c in row] for row in cells(table)]
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for row in rows:
            writer.writerow(["" if c is None else c for c in row])
        # A BOM makes Excel read the file as UTF-8.
        out = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
        out["Content-Disposition"] = f'attachment; filename="{_name(slug, "csv")}"'
        return out
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(table.title)[:31])
    for row in rows:
        sheet.append(row)
    data = io.BytesIO()
    book.save(data)
    out = HttpResponse(
        data.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    out["Content-Disposition"] = f'attachment; filename="{_name(slug, "xlsx")}"'
    return out


__all__ = ["FORMATS", "Figure", "cells", "guarded", "response"]
