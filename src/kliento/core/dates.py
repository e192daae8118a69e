"""Which calendar days Kliento accepts: the one rule for every date people type or import.

A year 1 or year 9999 date is almost always a typo or a placeholder, and such dates break what
reads them later (spreadsheets cannot show days before 1900). The card's forms, the API and the
import all ask `check_day` (through the services, the API schemas and `imports.values`).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2100, 12, 31)


def out_of_range(value: dt.date) -> ValidationError:
    return ValidationError(
        _("%(date)s is not a plausible date; use one between %(earliest)s and %(latest)s.")
        % {
            "date": value.isoformat(),
            "earliest": date_format(EARLIEST, "SHORT_DATE_FORMAT"),
            "latest": date_format(LATEST, "SHORT_DATE_FORMAT"),
        },
        code="date_out_of_range",
    )


def check_day(value: dt.date) -> dt.date:
    """The day itself, or ValidationError (code `date_out_of_range`) outside 1900 to 2100."""
    if not EARLIEST <= value <= LATEST:
        raise out_of_range(value)
    return value
