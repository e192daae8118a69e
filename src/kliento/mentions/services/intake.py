"""A mention arrives (API, feed, import): cleaned, judged, matched, assigned, linked.

One mention per (source, external id): the unique constraint decides between two arrivals of
the same item at once; the loser reads the winner's row (get-or-create under a race).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

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


def _build(
    values: dict[str, object],
    draft: MentionDraft,
    *,
    origin: str,
    feed: Feed | None,
    rules: Sequence[MatchRule] | None,
    now: dt.datetime,
    client_id: int | None,
) -> Mention:
    """The mention of a cleaned draft, judged and matched, not yet saved."""
    verdict = sentiment.judge(str(values["text"]), str(values["language"]), draft.rating)
    situation = matching.match(
        source=str(values["source"]),
        sentiment=verdict.sentiment,
        rating=draft.rating,
        text=f"{values['title']} {values['text']}",
        rules=rules,
    )
    return Mention(
        **values,
        origin=origin,
        feed=feed,
        sentiment=verdict.sentiment,
        sentiment_reason=verdict.reason(),
        received_at=now,
        situation=situation,
        owner=situation.owner if situation else None,
        due_at=now + situation.deadline if situation else None,
        client_id=client_id,
    )


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
    mention = _build(
        values,
        draft,
        origin=origin,
        feed=feed,
        rules=rules,
        now=now,
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
    _announce([mention], actor)
    return Received(mention, created=True)


@dataclass
class Batch:
    created: list[Mention] = field(default_factory=list)
    duplicates: int = 0
    skipped: int = 0  # drafts `clean` refused (an item without text)


_ID_CHUNK = 500  # ids per IN (...) query, well below SQLite's variable limit


def _known(keys: set[tuple[str, str]]) -> set[tuple[str, str]]:
    by_source: dict[str, list[str]] = {}
    for source, external_id in keys:
        by_source.setdefault(source, []).append(external_id)
    found: set[tuple[str, str]] = set()
    for source, ids in by_source.items():
        for start in range(0, len(ids), _ID_CHUNK):
            found.update(
                (source, external_id)
                for external_id in Mention.objects.filter(
                    source=source, external_id__in=ids[start : start + _ID_CHUNK]
                ).values_list("external_id", flat=True)
            )
    return found


@transaction.atomic
def receive_many(
    *,
    actor: Actor,
    drafts: Sequence[MentionDraft],
    origin: str,
    feed: Feed | None = None,
    rules: Sequence[MatchRule] | None = None,
    now: dt.datetime | None = None,
) -> Batch:
    """`receive` for a whole document (a feed's items, an import's rows): the same cleaning,
    judging, matching and announcing, with one query for the known ids, one INSERT for the new
    mentions and one for their notifications instead of a few queries per item.

    An item already stored, or seen earlier in the same batch, is a duplicate. If another
    worker stores one of the items between the check and the INSERT, the unique constraint
    refuses the INSERT and the batch falls back to `receive` item by item, which settles each
    race as it always did."""
    now = now or timezone.now()
    rules = matching.active_rules() if rules is None else rules
    batch = Batch()
    # Known ids are looked up before the (costlier) cleaning of the text: a document read
    # again is mostly items already stored.
    keys = [(one_line(d.source, 60).lower(), one_line(d.external_id, 500)) for d in drafts]
    seen = _known({key for key in keys if key[1]})
    contacts: dict[str, int | None] = {}
    fresh: list[tuple[Mention, MentionDraft]] = []
    for key, draft in zip(keys, drafts, strict=True):
        if key[1] and key in seen:
            batch.duplicates += 1
            continue
        try:
            values = clean(draft)
        except ValidationError:
            batch.skipped += 1
            continue
        if key[1]:
            seen.add(key)
        contact = str(values["author_contact"])
        if contact not in contacts:
            contacts[contact] = known_client(contact)
        mention = _build(
            values,
            draft,
            origin=origin,
            feed=feed,
            rules=rules,
            now=now,
            client_id=contacts[contact],
        )
        fresh.append((mention, draft))
    if not fresh:
        return batch
    try:
        with transaction.atomic():
            Mention.objects.bulk_create([mention for mention, _d in fresh])
    except IntegrityError:
        for _mention, draft in fresh:
            received = receive(
                actor=actor, draft=draft, origin=origin, feed=feed, rules=rules, now=now
            )
            if received.created:
                batch.created.append(received.mention)
            else:
                batch.duplicates += 1
        return batch
    batch.created = [mention for mention, _d in fresh]
    _announce(batch.created, actor)
    return batch


def _announce(mentions: Sequence[Mention], actor: Actor) -> None:
    entries = [
        timeline.NewEntry(
            client_id=mention.client_id,
            kind=TIMELINE_MENTIONED,
            actor_id=getattr(actor, "pk", None),
            summary=(mention.title or mention.text)[:200],
            data={
                "mention": mention.pk,
                "source": mention.source,
                "sentiment": mention.sentiment,
                "url": mention.url,
            },
            occurred_at=mention.published_at or mention.received_at,
        )
        for mention in mentions
        if mention.client_id is not None
    ]
    if entries:
        timeline.record_many(entries)
    notices = [
        notifications.Notice(
            recipients=[mention.owner],
            target_url=reverse("mentions:detail", args=[mention.pk]),
            params={
                "situation": mention.situation.name,
                "source": mention.source,
                "due": mention.due_at.isoformat() if mention.due_at else "",
            },
        )
        for mention in mentions
        if mention.owner is not None and mention.situation is not None
    ]
    if notices:
        notifications.notify_many(kind=ASSIGNED, notices=notices, actor=actor)
