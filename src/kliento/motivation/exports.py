"""The payroll export: approved statements whose period ends in a month, as CSV or XLSX.

Names typed by people could start with "=", "+", "-" or "@": such cells get a leading quote so
a spreadsheet shows them as text instead of running them (OWASP CSV injection)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kliento.motivation import periods
from kliento.motivation.models import Period, Statement

FORMATS = ("csv", "xlsx")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def guarded(cell: Any) -> Any:
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def header() -> list[str]:
    return [
        _("Employee id"),
        _("Login"),
        _("Name"),
        _("From"),
        _("To"),
        _("Scheme"),
        _("Currency"),
        _("Base bonus"),
        _("Bonus and penalties"),
        _("Approved"),
        _("Approved by"),
    ]


def rows(day: dt.date) -> Iterator[Sequence[Any]]:
    start, end = periods.bounds(Period.MONTH, day)
    found = (
        Statement.objects.filter(
            status=Statement.Status.APPROVED, period_end__gte=start, period_end__lte=end
        )
        .select_related("employee", "approved_by")
        .order_by("employee__username", "period_start")
    )
    for s in found:
        approver = s.approved_by.get_username() if s.approved_by else ""
        yield [
            s.employee_id,
            s.employee.get_username(),
            s.employee.get_full_name(),
            s.period_start.isoformat(),
            s.period_end.isoformat(),
            s.scheme_name,
            s.currency,
            s.base_bonus,
            s.total,
            s.approved_at.isoformat() if s.approved_at else "",
            approver,
        ]


def payroll_response(day: dt.date, fmt: str) -> HttpResponse:
    name = f"payroll-{day:%Y-%m}"
    if fmt == "xlsx":
        book = Workbook(write_only=True)
        sheet = book.create_sheet(name)
        sheet.append(header())
        for row in rows(day):
            sheet.append([guarded(cell) for cell in row])
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(header())
        for row in rows(day):
            writer.writerow([guarded(cell) for cell in row])
        response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
