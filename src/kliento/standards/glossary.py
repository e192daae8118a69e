"""Glossary terms explained where they appear: after Markdown is rendered and sanitised, the
first occurrence of each published term in the text becomes `<abbr title="definition">`.

It works on the sanitised HTML, never on the Markdown source, so nothing a writer types can
reach the page unsanitised: tags are copied as nh3 wrote them, text is re-escaped, and the
definition goes into an attribute escaped with quotes. Text inside links, code and existing
abbreviations is left alone (a term inside a link would nest interactive elements).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from html.parser import HTMLParser

from django.utils.safestring import SafeString, mark_safe

from kliento.core.richtext import render_markdown

_SKIP = frozenset({"a", "abbr", "code", "pre"})


def _pattern(terms: Mapping[str, str]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.IGNORECASE
    )


class _Annotator(HTMLParser):
    def __init__(self, terms: Mapping[str, str], pattern: re.Pattern[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.definitions = {k.strip().casefold(): v for k, v in terms.items()}
        self.pattern = pattern
        self.out: list[str] = []
        self.skipping: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")
        if tag in _SKIP:
            self.skipping.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        self.out.append(f"</{tag}>")
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            self.out.append(escape(data, quote=False))
            return
        position = 0
        for match in self.pattern.finditer(data):
            key = match.group(1).casefold()
            if key in self.seen:
                continue
            self.seen.add(key)
            self.out.append(escape(data[position : match.start()], quote=False))
            self.out.append(
                f'<abbr class="glossary-term" title="{escape(self.definitions[key], quote=True)}">'
                f"{escape(match.group(1), quote=False)}</abbr>"
            )
            position = match.end()
        self.out.append(escape(data[position:], quote=False))


def annotate(html: str, terms: Mapping[str, str]) -> SafeString:
    """`html` (already sanitised) with the first occurrence of each term wrapped in <abbr>."""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(html)
    annotator = _Annotator(terms, pattern)
    annotator.feed(html)
    annotator.close()
    # Tags copied from nh3's output, text and definitions escaped just above.
    return mark_safe("".join(annotator.out))


def render(source: str, terms: Mapping[str, str], *, skip: str = "") -> SafeString:
    """Markdown → sanitised HTML → glossary terms explained (except `skip`: a glossary entry
    does not explain itself)."""
    html = render_markdown(source)
    if skip:
        terms = {k: v for k, v in terms.items() if k.casefold() != skip.casefold()}
    return annotate(str(html), terms)
