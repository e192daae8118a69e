"""Reads of the standards book that pages and other apps rely on.

For other apps (stable, documented):
- `applicable(client_id=…, stage_ids=…, touchpoint_id=…, channel=…)`: the published standards
  and scripts that apply where someone is working (the client card; later the service desk's
  reply box and the service policy's procedures).
- `script(script_id)`: one script of a published standard (a reply template), or None.
- `published_standards(ids)`: the published text and scripts of given standards (e.g. the
  standards a policy's procedure names); unpublished or unknown ids are left out.
- `current_mission()`: the published mission (its `text`), or None.
- `unread_for(user)`, `applies_to(standard, user)`, `audience(standard)`, `reading()`: who must
  read what and who has.
- `overdue_reviews()`: standards whose review date has passed;
  `owned_needing_attention(user)`: one owner's overdue or questioned standards.
- `render_text(markdown)`: staff-written Markdown as sanitised HTML with glossary terms explained.
"""

from kliento.standards.selectors.applicable import (
    Applicable,
    ApplicableStandard,
    ScriptItem,
    applicable,
    published_standards,
    script,
)
from kliento.standards.selectors.book import (
    DiffLine,
    book,
    current_mission,
    diff,
    glossary_terms,
    history,
    mission_draft,
    open_revision_requests,
    open_version,
    overdue_reviews,
    owned_needing_attention,
    published_version,
    render_text,
    search_hits,
    with_published,
)
from kliento.standards.selectors.reading import (
    PersonRow,
    Reading,
    Share,
    TeamRow,
    acknowledged,
    acknowledgement_shares,
    applies_to,
    audience,
    people_unread,
    reading,
    staff,
    teams_unread,
    unread_for,
)

__all__ = [
    "Applicable",
    "ApplicableStandard",
    "DiffLine",
    "PersonRow",
    "Reading",
    "ScriptItem",
    "Share",
    "TeamRow",
    "acknowledged",
    "acknowledgement_shares",
    "applicable",
    "applies_to",
    "audience",
    "book",
    "current_mission",
    "diff",
    "glossary_terms",
    "history",
    "mission_draft",
    "open_revision_requests",
    "open_version",
    "overdue_reviews",
    "owned_needing_attention",
    "people_unread",
    "published_standards",
    "published_version",
    "reading",
    "render_text",
    "script",
    "search_hits",
    "staff",
    "teams_unread",
    "unread_for",
    "with_published",
]
