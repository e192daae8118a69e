"""Normalising contact values so that the same phone or email is stored one way only."""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from phonenumbers.geodata.locale import LOCALE_DATA

EMAIL_MAX = 254


def country_name(region: str, language: str | None = None) -> str:
    """A region's name in `language` (the active one by default), from phonenumbers' data;
    English, then the code itself, where it has none."""
    names = LOCALE_DATA.get(region.upper(), {})
    language = (language or translation.get_language() or "en").split("-")[0]
    name = names.get(language) or names.get("en") or ""
    seen = 0
    while name.startswith("*") and seen < 5:  # "*xx": the same as language xx's
        name, seen = names.get(name[1:], ""), seen + 1
    return name or region.upper()


def phone_regions(language: str | None = None) -> list[tuple[str, str]]:
    """Every region phone numbers can be read for, as (code, "Name (+code)"), by name."""
    language = (language or translation.get_language() or "en").split("-")[0]
    return list(_phone_regions(language))


@lru_cache(maxsize=32)
def _phone_regions(language: str) -> tuple[tuple[str, str], ...]:
    # Every contact form lists them: ~240 names looked up and sorted once per language.
    regions = [
        (
            region,
            f"{country_name(region, language)} (+{phonenumbers.country_code_for_region(region)})",
        )
        for region in phonenumbers.SUPPORTED_REGIONS
    ]
    return tuple(sorted(regions, key=lambda pair: pair[1].casefold()))


def phone_region(e164: str) -> str | None:
    """The region a stored number belongs to, or None."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return None


def normalize_phone(raw: str, region: str | None = None) -> str:
    """Return the number in E.164, or raise ValidationError saying why it is not a phone.

    A number written without its country code is read as one of `region` (the
    KLIENTO_DEFAULT_REGION by default); the error then names the country it assumed."""
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("Enter a phone number."), code="required")
    assumed = (region or settings.KLIENTO_DEFAULT_REGION).upper()
    try:
        number = phonenumbers.parse(text, assumed, keep_raw_input=True)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": text}
        ) from None
    if not phonenumbers.is_valid_number(number):
        if number.country_code_source == phonenumbers.CountryCodeSource.FROM_DEFAULT_COUNTRY:
            raise ValidationError(
                _(
                    "“%(value)s” is not a valid phone number for %(country)s (+%(code)s). "
                    "Pick the country, or write the number with its country code."
                ),
                code="invalid_phone",
                params={
                    "value": text,
                    "country": country_name(assumed),
                    "code": phonenumbers.country_code_for_region(assumed),
                },
            )
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


def normalize_contact(kind: str, raw: str, *, region: str | None = None) -> str:
    if kind == "phone":
        return normalize_phone(raw, region)
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
