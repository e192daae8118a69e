"""Money: currency codes, reading an amount as people type it, and what a valid amount is.

One place for the rules every entry path applies (the card's forms, the API, the services, file
imports), with one set of messages:

- an amount is non-negative, at most 999 999 999 999.99, with at most two decimal places; it is
  stored quantised to cents;
- a currency is an ISO 4217 code in active use, stored upper-case.

Reading text follows the writer's language: "250,50" is 250.50 in Polish, Ukrainian or Russian,
"1,234.56" is 1234.56 in English. Input that one convention reads as thousands and the other as
decimals ("1,234" typed in a comma-decimal language, or anything like "1.500" in a file whose
language is unknown) is refused with an explanation, never guessed: a wrong guess changes the
value a thousand-fold. A separator followed by one or two digits can only be a decimal point,
so "250,50" is 250.50 in every language, never 25050.

This module imports nothing of the apps, so settings may use it to check the default currency.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.conf_checks import ISO_4217 as CURRENCY_CODES

# The list lives in the plumbing layer so that settings can check a code without an app.
ISO_4217 = CURRENCY_CODES

# Purchase.amount: 14 digits, 2 of them decimals.
MAX_DIGITS = 14
DECIMAL_PLACES = 2
MAX_AMOUNT = Decimal("999999999999.99")
CENT = Decimal("0.01")

# Spaces of any width and apostrophes only ever group digits ("1 234", "1 234", "1'234").
_GROUPING_MARKS = re.compile(r"[\s\u00a0\u202f'’]")
_SHAPE = re.compile(r"^[+-]?[\d.,]*\d[\d.,]*$")
_PLAIN = re.compile(r"^\d{1,12}(?:\.\d{1,2})?$")  # "1234" or "1234.5": the same in every language
_GROUPED = re.compile(r"^[1-9]\d{0,2}(?:X\d{3})+$")


# --------------------------------------------------------------------------- currencies


def is_currency(code: str) -> bool:
    return code in ISO_4217


def validate_currency(code: str | None) -> str:
    """The code upper-cased, or ValidationError if it is not an ISO 4217 currency."""
    normalised = (code or "").strip().upper()
    if not is_currency(normalised):
        raise ValidationError(
            _("Use a three-letter ISO 4217 currency code, such as EUR."), code="invalid_currency"
        )
    return normalised


# --------------------------------------------------------------------------- amounts


def separators(language: str | None) -> tuple[str, str]:
    """(decimal separator, thousands separator) of a language; "." and "," without one."""
    if not language:
        return ".", ","
    from django.utils import formats

    decimal = str(formats.get_format("DECIMAL_SEPARATOR", lang=language, use_l10n=True))
    thousands = str(formats.get_format("THOUSAND_SEPARATOR", lang=language, use_l10n=True))
    return decimal, thousands


def clean_amount(amount: Decimal | int) -> Decimal:
    """A valid amount, quantised to cents; ValidationError saying what is wrong otherwise."""
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise ValidationError(_("Enter an amount."), code="invalid_amount")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValidationError(_("Enter an amount."), code="invalid_amount")
    if value < 0:
        raise ValidationError(_("The amount cannot be negative."), code="negative_amount")
    # The size first: rounding a 30-digit amount to cents raises InvalidOperation.
    if value > MAX_AMOUNT:
        raise ValidationError(_("The amount is too large."), code="amount_too_large")
    if value != value.quantize(CENT):
        raise ValidationError(
            _("The amount has more than two decimal places."), code="too_many_decimals"
        )
    return value.quantize(CENT)


def parse_amount(text: str | Decimal | int | float, *, language: str | None) -> Decimal:
    """Read an amount as a person wrote it, then check it (see `clean_amount`).

    `language` is the writer's language ("pl", "en"...), whose decimal separator decides what a
    lone "," or "." followed by three digits means; None when it is unknown (a file), where such
    input is refused as ambiguous. Numbers (a spreadsheet's cells) are taken as they are.
    """
    if isinstance(text, bool):
        raise _not_an_amount(str(text), language)
    if isinstance(text, Decimal | int):
        return clean_amount(text)
    if isinstance(text, float):
        return clean_amount(Decimal(repr(text)))
    raw = text.strip()
    if _PLAIN.match(raw):  # the common case, without the general parser
        return clean_amount(Decimal(raw))
    return clean_amount(_read(raw, language))


def _read(raw: str, language: str | None) -> Decimal:
    cleaned = _GROUPING_MARKS.sub("", raw.replace("−", "-"))
    if not _SHAPE.match(cleaned):
        raise _not_an_amount(raw, language)
    sign = "-" if cleaned[0] == "-" else ""
    digits = cleaned[1:] if cleaned[0] in "+-" else cleaned
    marks = [ch for ch in digits if ch in ".,"]
    if not marks:
        whole, fraction = digits, ""
    elif len(set(marks)) == 2:
        # Both marks: the last one is the decimal point, the other groups thousands.
        point = marks[-1]
        group = "," if point == "." else "."
        whole, _sep, fraction = digits.rpartition(point)
        if point in whole or not _valid_grouping(whole, group):
            raise _not_an_amount(raw, language)
    elif len(marks) > 1:
        # One mark, several times: it groups thousands ("1.234.567").
        if not _valid_grouping(digits, marks[0]):
            raise _not_an_amount(raw, language)
        whole, fraction = digits, ""
    else:
        mark = marks[0]
        whole, _sep, fraction = digits.partition(mark)
        if len(fraction) == 3 and _valid_grouping(digits, mark):
            # "1,234": thousands in one convention, a decimal in the other.
            decimal, thousands = separators(language)
            if language is None or mark != thousands or mark == decimal:
                raise ValidationError(
                    _(
                        "“%(value)s” is ambiguous: “%(mark)s” can separate thousands or "
                        "decimals. Write the amount without a thousands separator, such as "
                        "%(whole)s, or with at most two decimals."
                    ),
                    code="ambiguous_amount",
                    params={"value": raw, "mark": mark, "whole": whole + fraction},
                )
            whole, fraction = digits, ""
    number = whole.replace(",", "").replace(".", "") or "0"
    try:
        return Decimal(f"{sign}{number}.{fraction or '0'}")
    except InvalidOperation:
        raise _not_an_amount(raw, language) from None


def _valid_grouping(digits: str, mark: str) -> bool:
    """Whether `mark` groups `digits` in threes, as in 1,234,567 (and nothing else does)."""
    return bool(_GROUPED.match(digits.replace(mark, "X")))


def _not_an_amount(raw: str, language: str | None) -> ValidationError:
    decimal, thousands = separators(language)
    if language is None:
        plain, grouped = "1234.50", "1 234,50"
    else:
        plain = f"1234{decimal}50"
        grouped = f"1{thousands if thousands.strip() else ' '}234{decimal}50"
    return ValidationError(
        _("“%(value)s” is not an amount; write it like %(plain)s or %(grouped)s."),
        code="invalid_amount",
        params={"value": raw, "plain": plain, "grouped": grouped},
    )


def format_amount(amount: Decimal, *, language: str | None) -> str:
    """An amount as `parse_amount` reads it back in that language: "1234,50" in Polish."""
    decimal, _thousands = separators(language)
    return f"{amount:.2f}".replace(".", decimal)
