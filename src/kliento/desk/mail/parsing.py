"""Reading a raw message: headers, text, sanitised HTML, attachments, delivery reports.

`parse` never raises. It reads with `policy.default` and, when that fails anywhere (broken
MIME, a header its parser chokes on, huge headers), reads again with `compat32`; when even
that fails, the bytes themselves become the text. The raw message is stored before this runs,
so a poor reading can be redone by a better parser later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message as EmailMessage
from email.parser import BytesParser

from kliento.desk.mail import headers as h
from kliento.desk.mail.charsets import decode_bytes
from kliento.desk.mail.html import html_to_text, sanitise

# Beyond these, the header parser of policy.default is slow or fragile: read with compat32.
HEADER_BLOCK_MAX = 256 * 1024
HEADER_LINE_MAX = 16 * 1024
MAX_PARTS = 500
MAX_DEPTH = 20


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    content: bytes
    content_id: str = ""


@dataclass
class DeliveryReport:
    recipient: str
    action: str
    status: str
    diagnostic: str = ""


@dataclass
class ParsedMail:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    reply_to: str = ""
    to: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    # Lower-case header name → decoded values, for the loop and bounce rules.
    headers: dict[str, list[str]] = field(default_factory=dict)
    content_type: str = ""
    reports: list[DeliveryReport] = field(default_factory=list)
    # Message-IDs of the original message a bounce returns (its headers, attached).
    returned_ids: list[str] = field(default_factory=list)
    # How it was read: "default", "compat32" or "raw".
    reader: str = "default"

    def header(self, name: str) -> str:
        values = self.headers.get(name.lower())
        return values[0] if values else ""


def _header_block(raw: bytes) -> bytes:
    match = re.search(rb"\r?\n\r?\n", raw)
    return raw[: match.start()] if match else raw


def _fragile(raw: bytes) -> bool:
    block = _header_block(raw)
    if len(block) > HEADER_BLOCK_MAX:
        return True
    line = 0
    for row in block.splitlines():
        line = line + len(row) if row[:1] in (b" ", b"\t") else len(row)
        if line > HEADER_LINE_MAX:
            return True
    return False


def parse(raw: bytes) -> ParsedMail:
    readers = ["compat32"] if _fragile(raw) else ["default", "compat32"]
    for reader in readers:
        try:
            chosen = policy.default if reader == "default" else policy.compat32
            msg = BytesParser(policy=chosen).parsebytes(raw)
            parsed = ParsedMail(reader=reader)
            _read_headers(msg, parsed)
            _Walker(parsed).walk(msg, 0)
            _finish(parsed)
            return parsed
        except Exception:  # the next reader, then the raw bytes, take over
            continue
    return _raw_reading(raw)


def _raw_reading(raw: bytes) -> ParsedMail:
    parsed = ParsedMail(reader="raw")
    block = _header_block(raw)
    parsed.text = decode_bytes(raw[len(block) :].strip())
    for line in decode_bytes(block).splitlines():
        name, sep, value = line.partition(":")
        if sep and name and " " not in name:
            parsed.headers.setdefault(name.strip().lower(), []).append(h.decode_value(value))
    parsed.subject = parsed.header("subject")[:255]
    found = h.addresses([parsed.header("from")])
    if found:
        parsed.from_name, parsed.from_address = found[0]
    ids = h.message_ids(parsed.header("message-id"))
    parsed.message_id = ids[0] if ids else ""
    return parsed


def _read_headers(msg: EmailMessage, parsed: ParsedMail) -> None:
    for key, _value in msg.raw_items():
        name = str(key).lower()
        if name not in parsed.headers:
            parsed.headers[name] = h.all_values(msg, name)
    ids = h.message_ids(parsed.header("message-id"))
    parsed.message_id = ids[0] if ids else ""
    parsed.in_reply_to = h.message_ids(" ".join(parsed.headers.get("in-reply-to", [])))
    parsed.references = h.message_ids(" ".join(parsed.headers.get("references", [])))
    parsed.subject = parsed.header("subject")
    sender = h.addresses(parsed.headers.get("from", [])) or h.addresses(
        parsed.headers.get("sender", [])
    )
    if sender:
        parsed.from_name, parsed.from_address = sender[0]
    reply_to = h.addresses(parsed.headers.get("reply-to", []))
    parsed.reply_to = reply_to[0][1] if reply_to else ""
    parsed.to = [a for _n, a in h.addresses(parsed.headers.get("to", []))]
    parsed.content_type = msg.get_content_type()


def _finish(parsed: ParsedMail) -> None:
    if not parsed.text.strip() and parsed.html:
        parsed.text = html_to_text(parsed.html)


class _Walker:
    def __init__(self, parsed: ParsedMail) -> None:
        self.parsed = parsed
        self.parts = 0
        self.texts: list[str] = []
        self.htmls: list[str] = []

    def walk(self, part: EmailMessage, depth: int) -> None:
        self.parts += 1
        if self.parts > MAX_PARTS or depth > MAX_DEPTH:
            return
        ctype = part.get_content_type()
        if part.is_multipart() and ctype != "message/delivery-status":
            payload = part.get_payload()
            if ctype == "message/rfc822":
                self._attach_message(part)
                return
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, EmailMessage):
                    self.walk(sub, depth + 1)
            if depth == 0:
                self._join()
            return
        self._leaf(part, ctype)
        if depth == 0:
            self._join()

    def _join(self) -> None:
        self.parsed.text = "\n\n".join(t for t in self.texts if t.strip())
        self.parsed.html = sanitise("\n".join(self.htmls)) if self.htmls else ""

    def _leaf(self, part: EmailMessage, ctype: str) -> None:
        disposition = (part.get_content_disposition() or "").lower()
        if ctype == "message/delivery-status":
            self._report(part)
            return
        if ctype.startswith("multipart/"):
            # Its boundary never appears: the parser left the body as one string; show it.
            self.texts.append(_text(part))
            return
        if ctype in ("text/rfc822-headers", "message/rfc822-headers"):
            self.parsed.returned_ids += h.message_ids(_text(part))
            return
        if disposition != "attachment" and not part.get_filename():
            if ctype == "text/plain":
                self.texts.append(_text(part))
                return
            if ctype == "text/html":
                self.htmls.append(_text(part))
                return
        self._attach(part, ctype)

    def _attach(self, part: EmailMessage, ctype: str) -> None:
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            content = b""
        content_id = h.decode_value(part.get("content-id", "") or "").strip().strip("<>")
        name = h.decode_value(part.get_filename() or "") or _default_name(
            ctype, len(self.parsed.attachments) + 1
        )
        self.parsed.attachments.append(
            ParsedAttachment(
                filename=name[:200], content_type=ctype, content=content, content_id=content_id
            )
        )

    def _attach_message(self, part: EmailMessage) -> None:
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], EmailMessage):
            try:
                content = inner[0].as_bytes(policy=policy.compat32)
            except Exception:
                content = b""
            self.parsed.returned_ids += h.message_ids(h.first(inner[0], "message-id"))
            self.parsed.attachments.append(
                ParsedAttachment(
                    filename=f"message-{len(self.parsed.attachments) + 1}.eml",
                    content_type="message/rfc822",
                    content=content,
                )
            )

    def _report(self, part: EmailMessage) -> None:
        blocks = part.get_payload()
        for block in blocks if isinstance(blocks, list) else []:
            if not isinstance(block, EmailMessage):
                continue
            recipient = h.first(block, "final-recipient") or h.first(block, "original-recipient")
            if not recipient:
                continue
            address = recipient.partition(";")[2].strip() or recipient
            self.parsed.reports.append(
                DeliveryReport(
                    recipient=address.strip("<> ").lower()[:254],
                    action=h.first(block, "action").lower(),
                    status=h.first(block, "status"),
                    diagnostic=h.first(block, "diagnostic-code")[:300],
                )
            )


def _text(part: EmailMessage) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        payload = part.get_payload()
        return payload if isinstance(payload, str) else ""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    return decode_bytes(data, charset).replace("\r\n", "\n")


_EXTENSIONS = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "text/plain": ".txt"}


def _default_name(ctype: str, n: int) -> str:
    return f"attachment-{n}{_EXTENSIONS.get(ctype, '.bin')}"
