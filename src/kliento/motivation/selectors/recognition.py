"""The recognition feed: clients' praise (kept by surveys), exemplary evaluations (kept by
quality control) and colleagues' thanks, newest first, with their reactions.

Nothing of the client is copied here: praise carries only what surveys chose to share (a short
name), and an exemplary evaluation shows its checklist, score and note, never the case or client.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kliento.motivation.models import ItemKind, Reaction, Thanks
from kliento.quality import selectors as quality
from kliento.surveys import selectors as surveys

FEED_SIZE = 50


@dataclass
class FeedItem:
    kind: str
    id: int
    when: dt.datetime
    employee_id: int | None
    employee: str
    title: str
    text: str
    by: str = ""
    reactions: dict[str, int] = field(default_factory=dict)
    mine: set[str] = field(default_factory=set)


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _praise(employee_id: int | None, limit: int) -> list[FeedItem]:
    found = surveys.praise_feed()
    if employee_id is not None:
        found = found.filter(employee_id=employee_id)
    items = []
    for p in found[:limit]:
        whom = _name(p.employee) or (p.team.name if p.team else "")
        items.append(
            FeedItem(
                ItemKind.PRAISE,
                p.pk,
                p.shared_at,
                p.employee_id,
                whom,
                _("Praise from %(client)s") % {"client": p.client_label}
                if p.client_label
                else _("Praise from a client"),
                p.text,
            )
        )
    return items


def _exemplary(employee_id: int | None, limit: int) -> list[FeedItem]:
    found = (
        quality.completed()
        .filter(exemplary=True, employee__isnull=False)
        .select_related("employee", "version__checklist", "exemplary_by")
        .order_by("-exemplary_at", "-id")
    )
    if employee_id is not None:
        found = found.filter(employee_id=employee_id)
    return [
        FeedItem(
            ItemKind.EXEMPLARY,
            e.pk,
            e.exemplary_at or e.completed_at or e.performed_at,
            e.employee_id,
            _name(e.employee),
            _("Exemplary: %(checklist)s (%(score)s%%)")
            % {"checklist": e.version.checklist.name, "score": e.score},
            e.exemplary_note,
            _name(e.exemplary_by),
        )
        for e in found[:limit]
    ]


def _thanks(employee_id: int | None, limit: int) -> list[FeedItem]:
    found = Thanks.objects.select_related("sender", "recipient")
    if employee_id is not None:
        found = found.filter(recipient_id=employee_id)
    return [
        FeedItem(
            ItemKind.THANKS,
            t.pk,
            t.created_at,
            t.recipient_id,
            _name(t.recipient),
            _("Thanks from %(name)s") % {"name": _name(t.sender)},
            t.message,
            _name(t.sender),
        )
        for t in found[:limit]
    ]


def _with_reactions(items: list[FeedItem], viewer: Any) -> list[FeedItem]:
    if not items:
        return items
    keys = {(i.kind, i.id) for i in items}
    rows = Reaction.objects.filter(
        item_kind__in={k for k, _id in keys}, item_id__in={i for _k, i in keys}
    ).values_list("item_kind", "item_id", "emoji", "user_id")
    counts: Counter[tuple[str, int, str]] = Counter()
    mine: dict[tuple[str, int], set[str]] = {}
    viewer_id = getattr(viewer, "pk", None)
    for kind, item_id, emoji, user_id in rows:
        if (kind, item_id) not in keys:
            continue
        counts[(kind, item_id, emoji)] += 1
        if user_id == viewer_id:
            mine.setdefault((kind, item_id), set()).add(emoji)
    for item in items:
        item.reactions = {e: counts[(item.kind, item.id, e)] for e in ("applause", "heart", "star")}
        item.mine = mine.get((item.kind, item.id), set())
    return items


def _merged(employee_id: int | None, viewer: Any, limit: int) -> list[FeedItem]:
    items = [
        *_praise(employee_id, limit),
        *_exemplary(employee_id, limit),
        *_thanks(employee_id, limit),
    ]
    items.sort(key=lambda i: i.when, reverse=True)
    return _with_reactions(items[:limit], viewer)


def recognition_feed(viewer: Any = None, *, limit: int = FEED_SIZE) -> list[FeedItem]:
    """The company-wide feed: every member of staff sees all of it."""
    return _merged(None, viewer, limit)


def recognition_for(
    employee_id: int, viewer: Any = None, *, limit: int = FEED_SIZE
) -> list[FeedItem]:
    """What recognised one employee (for their profile)."""
    return _merged(employee_id, viewer, limit)


def item_exists(kind: str, item_id: int) -> bool:
    if kind == ItemKind.THANKS:
        return Thanks.objects.filter(pk=item_id).exists()
    if kind == ItemKind.PRAISE:
        return surveys.praise_feed().filter(pk=item_id).exists()
    return quality.completed().filter(pk=item_id, exemplary=True).exists()
