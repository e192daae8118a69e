"""Helpers the card's views share: showing a service's errors on a form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's validation errors beside the form fields they concern."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def fits_form(form: forms.BaseForm, exc: ValidationError) -> bool:
    """Every error of `exc` concerns one of the form's fields."""
    return hasattr(exc, "error_dict") and all(field in form.fields for field in exc.error_dict)


def join_errors(form: forms.BaseForm) -> str:
    """A form's errors in one line, for a message after a redirect."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = " ".join(str(error) for error in errors)
        parts.append(f"{label}: {text}" if label else text)
    return "; ".join(parts)
