from __future__ import annotations

from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist

from kliento.clients.contacts import format_phone
from kliento.clients.models import Client

register = template.Library()


@register.filter
def get_item(mapping: dict, key: Any) -> Any:
    return mapping.get(key)


@register.filter
def phone(value: str) -> str:
    return format_phone(value)


@register.simple_tag
def change_value(field: str, value: Any) -> Any:
    """One side of an edit on the timeline, as people read it.

    The entry stores codes ("company", "pl") so it stays language-neutral; the label is looked up
    when shown. Lists (tags) read as "a, b", not as Python.
    """
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    try:
        model_field = Client._meta.get_field(field)
    except FieldDoesNotExist:
        return value
    if model_field.choices and value is not None:
        return dict(model_field.flatchoices).get(value, value)
    return value


@register.simple_tag
def field_label(name: str) -> str:
    """The translated label of a client field, for edit entries on the timeline."""
    try:
        return str(Client._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name
