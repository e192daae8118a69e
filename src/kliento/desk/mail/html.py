"""HTML of inbound mail, made safe to show: basic formatting stays; scripts, styles, forms and
remote images go (a remote image tells the sender when and where the mail was read). Inline
images (`cid:`) stay: they are stored as attachments with their content id."""

from __future__ import annotations

import html as html_lib
import re

import nh3

TAGS = {
    "a", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "li", "ol", "p", "pre", "s", "span", "strong", "sub", "sup", "table",
    "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
}


def _keep(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src" and not value.strip().lower().startswith("cid:"):
        return None
    return value


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        clean_content_tags={"script", "style", "head", "title"},
        url_schemes={"http", "https", "mailto", "tel", "cid"},
        attribute_filter=_keep,
        link_rel="noopener noreferrer nofollow",
    )


_BREAKS = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h[1-6]|hr)\b[^>]*>", re.IGNORECASE)


def html_to_text(html: str) -> str:
    """The text of a message that came as HTML only."""
    stripped = nh3.clean(
        _BREAKS.sub("\n", html), tags=set(), clean_content_tags={"script", "style"}
    )
    lines = [" ".join(line.split()) for line in html_lib.unescape(stripped).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
