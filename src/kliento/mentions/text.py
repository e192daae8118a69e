"""Text that arrives from outside: HTML reduced to plain text, control characters dropped."""

from __future__ import annotations

import html
import re

import nh3

MAX_TEXT = 20_000
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLOCK = re.compile(r"(?i)<\s*(br|/p|/div|/li|/h\d)\b[^>]*>")


def plain(value: str, limit: int = MAX_TEXT) -> str:
    """`value` as plain text: tags removed by nh3 (scripts and styles with their content),
    entities decoded, NUL and other control characters out, whitespace tidied."""
    raw = value or ""
    if "<" in raw and ">" in raw:
        raw = nh3.clean(_BLOCK.sub("\n", raw), tags=set(), clean_content_tags={"script", "style"})
    text = html.unescape(raw)
    text = "".join(ch for ch in text if ch in "\n\t" or ch.isprintable())
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    out = "\n".join(line for line in lines if line)
    return out[:limit]


def one_line(value: str, limit: int) -> str:
    return " ".join(plain(value, limit * 2).split())[:limit]
