"""Rich text written by staff (stage rules, regulations, standards): Markdown, sanitised on
render. The source is stored as typed; only the rendered HTML passes through nh3, so a change to
the allowed tags applies to everything already written."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def render_markdown(source: str) -> SafeString:
    """HTML for `source`: Markdown (tables, fenced code) with raw HTML, scripts, styles and
    event handlers removed; links get rel="noopener noreferrer nofollow"."""
    html = markdown.markdown(source or "", extensions=["tables", "fenced_code", "sane_lists"])
    clean = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
    )
    # Sanitised by nh3 just above.
    return mark_safe(clean)
