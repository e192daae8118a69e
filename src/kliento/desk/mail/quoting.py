"""Splitting a reply into what the client wrote now and the history their mail program quoted
below it, so the conversation view can fold the history. The full text is always stored; this
only says where the quoted part starts."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A line that introduces quoted history, in the languages the desk speaks. "On … wrote:" may be
# wrapped over two lines by the mail program, so it is also tried on a line joined to the next.
_ATTRIBUTION = re.compile(
    r"""^(
        (on|am|le|el|w\ dniu|dnia)\b.{0,200}\b(wrote|schrieb|a\ écrit|escribió|napisał\(a\)|
            napisała?|pisze|napisał)\s*:
      | .{0,200}\b(wrote|писал\(а\)|писала?|пишет|написал\(а\)|написала?|написав\(ла\)|
            написала?|пише|napisał\(a\)|napisała?|pisze)\s*:
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_SEPARATOR = re.compile(
    r"^\s*(-{2,}\s*(original message|исходное сообщение|пересылаемое сообщение|"
    r"оригінальне повідомлення|wiadomość oryginalna|oryginalna wiadomość)\s*-{2,}"
    r"|_{10,})\s*$",
    re.IGNORECASE,
)
# Outlook's header block: "From:" then, within a few lines, "Sent:"/"Date:" (and translations).
_FROM = re.compile(r"^\s*\*?(from|от|від|od|von|de)\s*:\*?\s", re.IGNORECASE)
_SENT = re.compile(
    r"^\s*\*?(sent|date|отправлено|дата|надіслано|відправлено|wysłano|data|gesendet|envoyé)\s*:",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parts:
    new: str
    quoted: str


def _starts_quote(lines: list[str], i: int) -> bool:
    line = lines[i].strip()
    if not line:
        return False
    if _ATTRIBUTION.match(line) or _SEPARATOR.match(line):
        return True
    if i + 1 < len(lines) and _ATTRIBUTION.match(f"{line} {lines[i + 1].strip()}"):
        return True
    if _FROM.match(line):
        return any(_SENT.match(lines[j]) for j in range(i + 1, min(i + 5, len(lines))))
    return False


def _quoted_tail(lines: list[str]) -> int:
    """Where a trailing block of ">" lines (with blank lines among them) begins."""
    start = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].strip()
        if stripped.startswith(">"):
            start = i
        elif stripped:
            break
    return start


def split_quoted(text: str) -> Parts:
    """The new part and the quoted history of a message's text. Text that is all quote (or
    where nothing new comes first) is all "new": nothing the client wrote is ever hidden."""
    lines = (text or "").replace("\r\n", "\n").split("\n")
    cut = next((i for i in range(len(lines)) if _starts_quote(lines, i)), len(lines))
    cut = min(cut, _quoted_tail(lines))
    new = "\n".join(lines[:cut]).strip()
    if not new:
        return Parts(new=(text or "").strip(), quoted="")
    return Parts(new=new, quoted="\n".join(lines[cut:]).strip())
