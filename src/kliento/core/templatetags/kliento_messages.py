from __future__ import annotations

from django import template
from django.contrib.messages.storage.base import Message

from kliento.core import messages

register = template.Library()


@register.filter
def undo_url(message: Message) -> str:
    return messages.undo_url(message)
