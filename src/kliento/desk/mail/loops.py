"""Machine-written mail: auto-replies, lists and loops (stored, never answered automatically)
and bounces (they mark the address that failed and open no case).

The rules follow RFC 3834 (Auto-Submitted), the de-facto Precedence, X-Loop, List-* and
X-Autoreply/X-Autorespond headers, and RFC 3464 delivery status notifications.
"""

from __future__ import annotations

from dataclasses import dataclass

from kliento.desk.mail.headers import message_ids
from kliento.desk.mail.parsing import ParsedMail

BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
LIST_HEADERS = ("list-id", "list-unsubscribe", "list-post", "list-help", "list-archive")


def automated_reason(mail: ParsedMail) -> str:
    """Why the message is machine-written (empty: a person wrote it)."""
    auto = mail.header("auto-submitted").lower().split(";")[0].strip()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = mail.header("precedence").lower().strip()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    for name in ("x-autoreply", "x-autorespond"):
        if name in mail.headers and mail.header(name).strip().lower() not in ("no", "false"):
            return name
    if "x-loop" in mail.headers:
        return "X-Loop"
    for name in LIST_HEADERS:
        if name in mail.headers:
            return name
    if "return-path" in mail.headers and mail.header("return-path").strip() in ("<>", ""):
        return "Return-Path: <>"
    return ""


@dataclass(frozen=True)
class Bounce:
    # The addresses that failed for good (Action: failed), with the reason.
    failed: dict[str, str]
    # Message-IDs of the returned message, when the bounce includes its headers.
    returned_ids: list[str]


def bounce_of(mail: ParsedMail) -> Bounce | None:
    """The bounce this message is, or None. A delivery report that only says "delayed" is a
    bounce too (no case), but marks no address."""
    report = mail.content_type == "multipart/report" or bool(mail.reports)
    local = mail.from_address.partition("@")[0]
    daemon = local in BOUNCE_SENDERS
    if not report and not daemon:
        return None
    failed = {
        r.recipient: f"{r.status} {r.diagnostic}".strip() or "bounced"
        for r in mail.reports
        if r.action == "failed" and r.recipient
    }
    returned = list(mail.returned_ids)
    if not returned:
        # An old-style bounce quotes the returned message's headers in its text.
        returned = message_ids(mail.text)[:50]
    return Bounce(failed=failed, returned_ids=returned)
