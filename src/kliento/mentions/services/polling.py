"""The worker's feed polling: claim due feeds, fetch, ingest, and back off when one fails.

Claiming: due feeds are selected with `select_for_update(skip_locked=True)` (PostgreSQL: a
second worker skips the rows the first is claiming) and each is claimed by a conditional UPDATE
that moves `next_poll_at` past a lease, so on any database two workers never poll one feed at
once, and a worker that dies mid-poll only delays the feed by the lease.

A failure (no answer, a timeout, an HTTP error, a document that is no feed) is recorded on the
feed with its message and the next poll waits interval * 2^failures, capped at a day: a broken
feed is retried ever more rarely, never in a loop. The ETag and Last-Modified are stored only
after every item was ingested, so an interrupted poll reads the whole document again next time,
and the unique (source, external id) keeps that from creating anything twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kliento.mentions import fetching, parsing
from kliento.mentions.models import Feed, Mention
from kliento.mentions.services import intake, matching

LEASE = dt.timedelta(minutes=10)
MAX_BACKOFF = dt.timedelta(days=1)


@dataclass
class PollResult:
    feed_id: int
    created: int = 0
    duplicates: int = 0
    skipped: int = 0
    not_modified: bool = False
    error: str = ""


def backoff(feed: Feed, failures: int) -> dt.timedelta:
    base = dt.timedelta(minutes=max(1, feed.interval_minutes))
    return min(base * (2 ** min(failures, 20)), MAX_BACKOFF)


def claim_due(*, now: dt.datetime | None = None, limit: int = 20) -> list[int]:
    now = now or timezone.now()
    with transaction.atomic():
        candidates = list(
            Feed.objects.select_for_update(skip_locked=True)
            .filter(active=True, next_poll_at__lte=now)
            .order_by("next_poll_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        return [
            pk
            for pk in candidates
            if Feed.objects.filter(pk=pk, active=True, next_poll_at__lte=now).update(
                next_poll_at=now + LEASE
            )
        ]


def _failed(feed: Feed, message: str, now: dt.datetime) -> None:
    failures = feed.failures + 1
    Feed.objects.filter(pk=feed.pk).update(
        failures=failures,
        last_error=message[:500],
        last_polled_at=now,
        next_poll_at=now + backoff(feed, failures),
    )


def ingest(document: parsing.Document, *, feed: Feed | None, now: dt.datetime) -> PollResult:
    """Store the document's new items: one transaction, one query for the ids already known,
    one INSERT for the new mentions and one for their notifications (intake.receive_many).
    The feed's ETag is stored only after it, so a failure re-reads the document."""
    result = PollResult(feed.pk if feed else 0)
    drafts = document.drafts
    if feed is not None:
        for draft in drafts:
            if not draft.language:
                draft.language = feed.language
    batch = intake.receive_many(
        actor=None,
        drafts=drafts,
        origin=Mention.Origin.FEED,
        feed=feed,
        rules=matching.active_rules(),
        now=now,
    )
    result.created = len(batch.created)
    result.duplicates = batch.duplicates
    result.skipped = batch.skipped
    return result


def poll(feed_id: int, *, now: dt.datetime | None = None) -> PollResult:
    """Poll one claimed feed. Never raises for what the feed does wrong."""
    now = now or timezone.now()
    feed = Feed.objects.get(pk=feed_id)
    got = fetching.fetch(
        feed.url, allow_private=feed.allow_private, etag=feed.etag, last_modified=feed.last_modified
    )
    if got.error:
        _failed(feed, got.error, now)
        return PollResult(feed.pk, error=got.error)
    done = dict(
        failures=0,
        last_error="",
        last_polled_at=now,
        last_ok_at=now,
        next_poll_at=now + dt.timedelta(minutes=max(1, feed.interval_minutes)),
    )
    if got.not_modified:
        Feed.objects.filter(pk=feed.pk).update(**done)
        return PollResult(feed.pk, not_modified=True)
    try:
        document = parsing.parse(got.body, source=feed.source, language=feed.language)
    except parsing.MalformedFeed as exc:
        message = f"malformed feed: {exc}"
        _failed(feed, message, now)
        return PollResult(feed.pk, error=message)
    result = ingest(document, feed=feed, now=now)
    Feed.objects.filter(pk=feed.pk).update(
        **done,
        etag=got.etag,
        last_modified=got.last_modified,
        items_seen=F("items_seen") + result.created,
    )
    return result


def poll_due(*, now: dt.datetime | None = None, limit: int = 20) -> list[PollResult]:
    return [poll(pk, now=now) for pk in claim_due(now=now, limit=limit)]
