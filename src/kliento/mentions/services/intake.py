"""A mention arrives (API, feed, import): cleaned, judged, matched, assigned, linked.

One mention per (source, external id): the unique constraint decides between two arrivals of
the same item at once; the loser reads the winner's row (get-or-create under a race).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients.services import timeline
from kliento.core import notifications
from kliento.core.types import Actor
from kliento.mentions import sentiment
from kliento.mentions.models import LANGUAGES, Feed, MatchRule, Mention
from kliento.mentions.services import matching
from kliento.mentions.text import one_line, plain

ASSIGNED = "mention.assigned"
TIMELINE_MENTIONED = "mention.received"


@dataclass
class MentionDraft:
    source: str
    text: str
    external_id: str = ""
    author: str = ""
    author_contact: str = ""
    url: str = ""
    title: str = ""
    language: str = ""
    rating: int | None = None
    published_at: dt.datetime | None = None


@dataclass(frozen=True)
class Received:
    mention: Mention
    created: bool


def clean(draft: MentionDraft) -> dict[str, object]:
    errors: dict[str, list[str]] = {}
    source = one_line(draft.source, 60).lower()
    text = plain(draft.text)
    title = one_line(draft.title, 300)
    if not source:
        errors["source"] = [_("Name the source (a site, a forum, a network).")]
    if not text and not title:
        errors["text"] = [_("A mention needs its text.")]
    if draft.rating is not None and not 1 <= draft.rating <= 5:
        errors["rating"] = [_("Give a rating from 1 to 5.")]
    language = (draft.language or "").strip().lower()[:2]
    if language and language not in LANGUAGES:
        errors["language"] = [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGES)}]
    url = (draft.url or "").strip()
    if url and not url.lower().startswith(("http://", "https://")):
        errors["url"] = [_("Enter an http:// or https:// URL.")]
    if errors:
        raise ValidationError(errors)
    body = text or title
    return {
        "source": source,
        "text": body,
        "title": title,
        "language": language or sentiment.guess_language(f"{title} {body}"),
        "external_id": one_line(draft.external_id, 500),
        "author": one_line(draft.author, 200),
        "author_contact": one_line(draft.author_contact, 254),
        "url": url[:1000],
        "rating": draft.rating,
        "published_at": draft.published_at,
    }


def known_client(contact: str) -> int | None:
    """The client whose card has the author's e-mail, number or handle; None when nobody or
    several clients have it (a public mention must not land on the wrong card)."""
    text = contact.strip()
    if not text:
        return None
    if "@" in text and "." in text.rsplit("@", 1)[-1] and not text.startswith("@"):
        kind = "email"
    elif sum(ch.isdigit() for ch in text) >= 5 and all(
        ch.isdigit() or ch in "+-() ." for ch in text
    ):
        kind = "phone"
    else:
        kind = "messenger"
    value = clients.normalized_contact(kind, text)
    if value is None:
        return None
    if kind == "messenger":
        ids = clients.client_ids_with_contact(kind, value)
        if len(ids) != 1 and value.startswith("@"):
            ids = clients.client_ids_with_contact(kind, value[1:])
        return ids[0] if len(ids) == 1 else None
    found = clients.find_clients([value]).get(value)
    return found if isinstance(found, int) and found != clients.AMBIGUOUS else None


@transaction.atomic
def receive(
    *,
    actor: Actor,
    draft: MentionDraft,
    origin: str,
    feed: Feed | None = None,
    rules: Sequence[MatchRule] | None = None,
    now: dt.datetime | None = None,
) -> Received:
    values = clean(draft)
    if values["external_id"]:
        seen = Mention.objects.filter(
            source=values["source"], external_id=values["external_id"]
        ).first()
        if seen is not None:
            return Received(seen, created=False)
    now = now or timezone.now()
    verdict = sentiment.judge(str(values["text"]), str(values["language"]), draft.rating)
    situation = matching.match(
        source=str(values["source"]),
        sentiment=verdict.sentiment,
        rating=draft.rating,
        text=f"{values['title']} {values['text']}",
        rules=rules,
    )
    mention = Mention(
        **values,
        origin=origin,
        feed=feed,
        sentiment=verdict.sentiment,
        sentiment_reason=verdict.reason(),
        received_at=now,
        situation=situation,
        owner=situation.owner if situation else None,
        due_at=now + situation.deadline if situation else None,
        client_id=known_client(str(values["author_contact"])),
    )
    try:
        with transaction.atomic():
            mention.save()
    except IntegrityError:
        if not values["external_id"]:
            raise
        # The same item arrived at the same moment through another worker or request.
        return Received(
            Mention.objects.get(source=values["source"], external_id=values["external_id"]),
            created=False,
        )
    _announce(mention, actor)
    return Received(mention, created=True)


def _announce(mention: Mention, actor: Actor) -> None:
    if mention.client_id is not None:
        timeline.record(
            client=mention.client_id,
            kind=TIMELINE_MENTIONED,
            actor=actor,
            summary=(mention.title or mention.text)[:200],
            data={
                "mention": mention.pk,
                "source": mention.source,
                "sentiment": mention.sentiment,
                "url": mention.url,
            },
            occurred_at=mention.published_at or mention.received_at,
        )
    if mention.owner is not None and mention.situation is not None:
        notifications.notify(
            recipients=[mention.owner],
            kind=ASSIGNED,
            target_url=reverse("mentions:detail", args=[mention.pk]),
            params={
                "situation": mention.situation.name,
                "source": mention.source,
                "due": mention.due_at.isoformat() if mention.due_at else "",
            },
            actor=actor,
        )
