"""Reading header values from a parsed message without trusting the header parser.

`policy.default` parses a header only when it is read, and some malformed headers make that
raise (or take very long). The values are taken as stored (`raw_items`) and decoded here:
encoded words with any charset, raw 8-bit bytes, folding; a broken value still gives text.
"""

from __future__ import annotations

import re
from email.header import decode_header
from email.message import Message as EmailMessage
from email.utils import getaddresses

from kliento.desk.mail.charsets import decode_bytes, fix_surrogates

# A header longer than this is cut before it is decoded: nobody reads 64 kB of Subject.
VALUE_MAX = 65_536
_MSGID = re.compile(r"<[^<>\s]{1,250}>")


def decode_value(value: object) -> str:
    text = str(value)[:VALUE_MAX] if value is not None else ""
    text = fix_surrogates(text)
    try:
        parts = decode_header(text)
    except Exception:
        return _unfold(text)
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, bytes):
            out.append(decode_bytes(chunk, charset))
        else:
            out.append(chunk)
    decoded = _unfold("".join(out))
    # An encoded word that decodes to nothing (bad base64): the value as written says more.
    return decoded if decoded or not text.strip() else _unfold(text)


def _unfold(text: str) -> str:
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def all_values(msg: EmailMessage, name: str) -> list[str]:
    name = name.lower()
    try:
        items = list(msg.raw_items())
    except Exception:
        return []
    return [decode_value(value) for key, value in items if str(key).lower() == name]


def first(msg: EmailMessage, name: str) -> str:
    values = all_values(msg, name)
    return values[0] if values else ""


def addresses(values: list[str]) -> list[tuple[str, str]]:
    """(display name, lower-case address) pairs; junk is skipped."""
    try:
        pairs = getaddresses(values)
    except Exception:
        return []
    found = []
    for name, address in pairs:
        address = address.strip().lower()
        if "@" in address and len(address) <= 254 and " " not in address:
            found.append((name.strip()[:200], address))
    return found


def message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")
