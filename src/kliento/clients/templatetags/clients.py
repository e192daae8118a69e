from __future__ import annotations

from typing import Any

from django import template

from kliento.clients.contacts import format_phone

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)
