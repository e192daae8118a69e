"""Helpers the card's views share: showing a service's errors on a form."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from kliento.clients.models import Client, TimelineEntry
from kliento.core.messages import success_with_undo


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


def confirm_then_remove(
    request: HttpRequest,
    *,
    client: Client,
    question: str,
    item: str,
    button: str,
    remove: Callable[[], TimelineEntry | None],
    removed: str,
    already_removed: str,
    restore_url_name: str,
) -> HttpResponse:
    """The card's removals: GET asks to confirm; POST removes, and the message offers an undo
    (the restore view named `restore_url_name`) for as long as the service allows it."""
    if request.method == "GET":
        context = {"client": client, "question": question, "item": item, "button": button}
        return render(request, "clients/confirm_remove.html", context)
    entry = remove()
    if entry is None:
        messages.info(request, already_removed)
    else:
        undo_url = reverse(restore_url_name, args=[client.pk, entry.pk])
        success_with_undo(request, removed, undo_url=undo_url)
    return redirect(client)
