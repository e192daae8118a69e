"""The limits an inbound message must keep (settings KLIENTO_MAIL_MAX_BYTES and
KLIENTO_MAIL_BLOCKED_EXTENSIONS): what is refused, with a reason the sender can read."""

from __future__ import annotations

from django.conf import settings

from kliento.desk.mail.parsing import ParsedMail

DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "KLIENTO_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES))


def blocked_extensions() -> set[str]:
    found = getattr(settings, "KLIENTO_MAIL_BLOCKED_EXTENSIONS", ())
    return {("." + str(e).lower().lstrip(".")) for e in found if str(e).strip(".")}


def max_attachment_bytes() -> int:
    return int(getattr(settings, "KLIENTO_DESK_MAX_ATTACHMENT_BYTES", 25 * 1024 * 1024))


def size_problem(size: int) -> str:
    limit = max_bytes()
    if size > limit:
        return f"Message too large: {size} bytes, the limit is {limit} bytes"
    return ""


def content_problem(mail: ParsedMail) -> str:
    """Why the message is refused for what it carries; empty when it is not."""
    blocked = blocked_extensions()
    for item in mail.attachments:
        name = item.filename.lower().strip().rstrip(".")
        if any(name.endswith(ext) for ext in blocked):
            return f"Attachment type not accepted: {item.filename}"
        if len(item.content) > max_attachment_bytes():
            return f"Attachment too large: {item.filename}"
    return ""
