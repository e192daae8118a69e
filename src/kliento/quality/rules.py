"""Checks shared by the quality services: each raises ValidationError keyed by field."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()


def limit(errors: dict[str, list[str]], field: str, value: str, maximum: int) -> None:
    if len(value) > maximum:
        errors.setdefault(field, []).append(
            _("Keep this within %(max)s characters.") % {"max": f"{maximum:,}"}
        )


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)
