from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from kliento.clients.contacts import format_phone

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.filter
def days_since(value: dt.date | None) -> int | None:
    """Whole days from a date to today (the list's "days since purchase")."""
    return (timezone.localdate() - value).days if value else None
