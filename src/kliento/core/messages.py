"""Messages shown once at the top of the next page; some carry an action (an "Undo" button).

The action is a URL kept in the message's tags, so it survives the redirect in whatever storage
the messages use; `core/messages.html` shows it as a small POST form (no script needed).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.messages.storage.base import Message
from django.http import HttpRequest

UNDO_TAG = "undo:"


def success_with_undo(request: HttpRequest, text: str, *, undo_url: str) -> None:
    """A success message with an "Undo" button posting to `undo_url`."""
    messages.success(request, text, extra_tags=f"{UNDO_TAG}{undo_url}")


def undo_url(message: Message) -> str:
    """The message's undo URL, or "" if it has none."""
    for tag in (message.extra_tags or "").split():
        if tag.startswith(UNDO_TAG):
            return tag.removeprefix(UNDO_TAG)
    return ""
