"""Helpers shared by the client-card services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction


def save_unique(instance: models.Model, *, field: str, message: str) -> None:
    """Save, turning a lost race on a unique constraint into the same error validation gives."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError({field: message}) from None
