"""Statement periods: calendar months and quarters, as inclusive local dates."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.motivation.models import Period


def bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The month or quarter containing `day`: (first day, last day)."""
    if period == Period.QUARTER:
        first_month = (day.month - 1) // 3 * 3 + 1
        start = day.replace(month=first_month, day=1)
        months = 3
    else:
        start = day.replace(day=1)
        months = 1
    year, month = divmod(start.month - 1 + months, 12)
    return start, dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def previous(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    start, _end = bounds(period, day)
    return bounds(period, start - dt.timedelta(days=1))


def parse_month(value: str, field: str = "period") -> dt.date:
    """ "2026-03" → 1 March 2026; a field error otherwise."""
    try:
        return dt.datetime.strptime((value or "").strip(), "%Y-%m").date()
    except ValueError:
        raise ValidationError({field: [_("Give the month as YYYY-MM.")]}) from None
