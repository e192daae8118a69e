"""A feed document (RSS or Atom, parsed by feedparser) as mention drafts."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

import feedparser

from kliento.mentions.services.intake import MentionDraft

# "Rating: 2/5", "оценка 1", "ocena: 4/5", or a run of stars at the start of the title.
RATING = re.compile(r"(?i)\b(?:rating|оценка|оцінка|ocena)\s*[:=]?\s*([1-5])(?:\s*/\s*5)?\b")
STARS = re.compile(r"^\s*(★{1,5})")


_HARMLESS = (feedparser.CharacterEncodingOverride,)


class MalformedFeed(ValueError):
    """Not a feed: the XML is broken, or it is no RSS or Atom at all."""


@dataclass
class Document:
    drafts: list[MentionDraft] = field(default_factory=list)
    language: str = ""


def _moment(entry: Any) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)


def rating_in(*texts: str) -> int | None:
    for text in texts:
        stars = STARS.match(text or "")
        if stars:
            return len(stars.group(1))
        found = RATING.search(text or "")
        if found:
            return int(found.group(1))
    return None


def _text(entry: Any) -> str:
    content = entry.get("content") or []
    if content and content[0].get("value"):
        return str(content[0]["value"])
    return str(entry.get("summary") or entry.get("title") or "")


def _identity(entry: Any, text: str) -> str:
    found = entry.get("id") or entry.get("guid") or entry.get("link")
    if found:
        return str(found)[:500]
    # Neither a guid nor a link: the content is the identity, so a re-read is no new mention.
    return "sha256:" + hashlib.sha256(f"{entry.get('title', '')}\n{text}".encode()).hexdigest()


def parse(body: bytes, *, source: str, language: str = "", by_category: bool = False) -> Document:
    """Drafts of the entries; `by_category`: an entry's first category names its source (an
    aggregated feed of several sites)."""
    parsed = feedparser.parse(body)
    entries = parsed.get("entries") or []
    problem = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # A wrong declared encoding is harmless; broken XML is not: the lenient parser would
    # recover entries from a cut-off download with their text cut, and the unique id would
    # then keep the cut version for good. The feed is retried later instead.
    if problem is not None and not isinstance(problem, _HARMLESS):
        raise MalformedFeed(str(problem) or type(problem).__name__)
    if not entries and not parsed.get("version"):
        raise MalformedFeed("not an RSS or Atom document")
    feed_language = str(parsed.get("feed", {}).get("language") or "")[:2].lower()
    document = Document(language=feed_language)
    for entry in entries:
        text = _text(entry)
        title = str(entry.get("title") or "")
        detail = entry.get("author_detail") or {}
        author = str(entry.get("author") or detail.get("name") or "")
        contact = str(detail.get("email") or (author if author.startswith("@") else ""))
        link = str(entry.get("link") or "")
        tags = entry.get("tags") or []
        entry_source = str(tags[0].get("term") or source) if by_category and tags else source
        entry_language = str(
            (entry.get("summary_detail") or entry.get("title_detail") or {}).get("language") or ""
        )[:2]
        document.drafts.append(
            MentionDraft(
                source=entry_source,
                text=text,
                external_id=_identity(entry, text),
                author=author,
                author_contact=contact,
                url=link if link.lower().startswith(("http://", "https://")) else "",
                title=title,
                language=language or entry_language or feed_language,
                rating=rating_in(title, text),
                published_at=_moment(entry),
            )
        )
    return document
