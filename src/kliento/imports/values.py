"""Reading one cell as a date, an amount, a choice or text, with a precise reason when it fails."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kliento.core import dates, money

_DATE_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")


class ValueProblem(Exception):
    """A cell that cannot be used; the message is shown to the user next to row and column."""


# Spreadsheet programs run a cell that starts with one of these as a formula. Exports put a
# quote in front (see exports.py) and the importer takes it off again, so files round-trip.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_SIGNED = re.compile(r"^[+-][\d\s().,/-]*$")  # "+48 600 100 200", "-12.50": not formulas


def needs_formula_guard(value: str) -> bool:
    return value.startswith(FORMULA_STARTS) and not _PLAIN_SIGNED.match(value)


def unguard(value: str) -> str:
    if value.startswith("'") and needs_formula_guard(value[1:]):
        return value[1:]
    return value


def text(value: object) -> str:
    """A cell as text. Whole numbers from spreadsheets lose their “.0” (codes, phone numbers)."""
    if type(value) is str:  # the common case, first: a CSV has nothing else
        return unguard(value.strip())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return unguard(str(value).strip())


def limited(value: object, max_length: int) -> str:
    result = text(value)
    if len(result) > max_length:
        raise ValueProblem(
            _("Too long: %(length)d characters, at most %(max)d allowed.")
            % {"length": len(result), "max": max_length}
        )
    return result


def _plausible(day: dt.date) -> dt.date:
    try:
        return dates.check_day(day)
    except ValidationError as exc:
        raise ValueProblem(" ".join(exc.messages)) from None


def parse_date(value: object) -> dt.date:
    """ISO (2026-03-31), dd.mm.yyyy or dd/mm/yyyy, or a spreadsheet date cell; 1900 to 2100."""
    return _plausible(_read_date(value))


def _read_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = text(value)
    try:
        if match := _DATE_ISO.match(raw):
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        if match := _DATE_DMY.match(raw):
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise ValueProblem(_("“%(value)s” is not an existing date.") % {"value": raw}) from None
    raise ValueProblem(
        _("“%(value)s” is not a date; use 2026-03-31, 31.03.2026 or 31/03/2026.") % {"value": raw}
    )


def parse_past_date(value: object) -> dt.date:
    result = _read_date(value)
    if result > timezone.localdate():
        raise ValueProblem(_("The date %(date)s is in the future.") % {"date": result})
    return _plausible(result)


def parse_amount(value: object) -> Decimal:
    """An amount cell, read and checked by the one money rule (`kliento.core.money`). A file
    has no writer's language, so "1,500" or "1.500" is refused as ambiguous, never guessed."""
    if not isinstance(value, str | Decimal | int | float) or isinstance(value, bool):
        raise ValueProblem(_("“%(value)s” is not an amount.") % {"value": value})
    try:
        return money.parse_amount(text(value) if isinstance(value, str) else value, language=None)
    except ValidationError as exc:
        raise ValueProblem(" ".join(exc.messages)) from None


class ChoiceReader:
    """Reads a choice by its stored value or by its label in any of the interface languages."""

    def __init__(
        self, choices: Iterable[tuple[str, object]], *, extra: dict[str, str] | None = None
    ):
        self.choices = list(choices)
        self.lookup: dict[str, str] = {}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for value, label in self.choices:
                    self.lookup.setdefault(str(label).strip().lower(), value)
        for value, _label in self.choices:
            self.lookup[str(value).lower()] = value
        for spelling, value in (extra or {}).items():
            self.lookup.setdefault(spelling.lower(), value)

    def __call__(self, value: object) -> str:
        raw = text(value)
        try:
            return self.lookup[raw.lower()]
        except KeyError:
            allowed = ", ".join(str(v) for v, _label in self.choices)
            raise ValueProblem(
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": raw, "allowed": allowed}
            ) from None
