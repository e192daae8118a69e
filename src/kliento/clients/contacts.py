"""Normalising contact values so that the same phone or email is stored one way only."""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

EMAIL_MAX = 254


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return the number in E.164, or raise ValidationError saying why it is not a phone."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    try:
        number = phonenumbers.parse(text, region or settings.KLIENTO_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": text}
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number for its country."),
            code="invalid_phone",
            params={"value": text},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter an email address."), code="required")
    try:
        # Django's validator allows 320 characters; a mail path holds 254 (RFC 5321), and so
        # does the contact column.
        if len(text) > EMAIL_MAX:
            raise ValidationError("too long")
        validate_email(text)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not a valid email address."),
            code="invalid_email",
            params={"value": text},
        ) from None
    local, _at, domain = text.rpartition("@")
    # The domain part is case-insensitive; the local part is kept as the client wrote it
    # except for case, which virtually every provider ignores.
    return f"{local}@{domain}".lower()


def normalize_contact(kind: str, raw: str) -> str:
    if kind == "phone":
        return normalize_phone(raw)
    if kind == "email":
        return normalize_email(raw)
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a messenger handle."), code="required")
    return text


def format_phone(e164: str) -> str:
    """Human-readable international form of a stored E.164 number."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def looks_like_phone(text: str) -> bool:
    digits = sum(ch.isdigit() for ch in text)
    return digits >= 5 and all(ch.isdigit() or ch in "+-() ." for ch in text.strip())
