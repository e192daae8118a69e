"""Feed polling against the suite's own HTTP server: conditional GET, duplicates, broken
feeds (malformed XML, timeouts, 500) that back off, the SSRF guard and the claim."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kliento.mentions.models import Feed, Mention
from kliento.mentions.services import polling
from tests.mentions_support import Route, atom, feed_server, make_feed, make_situation, rss

pytestmark = pytest.mark.django_db

ITEMS = [
    ("urn:1", "Terrible wait", "Terrible service, rude staff."),
    ("urn:2", "Great", "Great team, thank you!"),
    ("urn:3", "Question", "Do you open on Sunday?"),
]


def test_a_feed_is_read_once_and_then_answers_304_without_new_mentions():
    with feed_server() as server:
        server.routes["/a.atom"] = Route(atom(ITEMS), etag='"v1"')
        feed = make_feed(server.url("/a.atom"))
        first = polling.poll(feed.pk)
        assert (first.created, first.duplicates, first.error) == (3, 0, "")
        feed.refresh_from_db()
        assert feed.etag == '"v1"' and feed.failures == 0 and feed.items_seen == 3
        second = polling.poll(feed.pk)
        assert second.not_modified and second.created == 0
        assert server.hits[-1] == ("/a.atom", '"v1"')  # the stored ETag was sent
    assert Mention.objects.count() == 3


def test_items_seen_again_in_a_changed_document_are_not_created_twice():
    with feed_server() as server:
        server.routes["/r.xml"] = Route(rss(ITEMS[:2]), content_type="application/rss+xml")
        feed = make_feed(server.url("/r.xml"))
        polling.poll(feed.pk)
        # The same guids again, one new item, and a duplicate inside the document itself.
        server.routes["/r.xml"] = Route(rss([*ITEMS, ITEMS[0]]))
        result = polling.poll(feed.pk)
    assert result.created == 1 and result.duplicates == 3
    assert sorted(Mention.objects.values_list("external_id", flat=True)) == [
        "urn:1",
        "urn:2",
        "urn:3",
    ]


@pytest.mark.parametrize(
    ("route", "error"),
    [
        (Route(b"<feed><entry><title>unclosed", content_type="text/xml"), "malformed"),
        (Route(b"oops", status=500), "HTTP 500"),
        (Route(b"<html><body>not a feed</body></html>", content_type="text/html"), "malformed"),
    ],
)
def test_a_broken_feed_is_recorded_and_backs_off(route, error):
    with feed_server() as server:
        server.routes["/bad"] = route
        feed = make_feed(server.url("/bad"), interval_minutes=10)
        now = timezone.now()
        result = polling.poll(feed.pk, now=now)
        assert error in result.error
        feed.refresh_from_db()
        assert feed.failures == 1 and error in feed.last_error
        assert feed.next_poll_at == now + dt.timedelta(minutes=20)
        # Not due again at once: the worker does not hammer it.
        assert polling.claim_due(now=now + dt.timedelta(minutes=1)) == []
        polling.poll(feed.pk, now=now)
        feed.refresh_from_db()
        assert feed.failures == 2 and feed.next_poll_at == now + dt.timedelta(minutes=40)
        # It recovers: the next good document resets the count.
        server.routes["/bad"] = Route(atom(ITEMS[:1]))
        assert polling.poll(feed.pk, now=now).created == 1
        feed.refresh_from_db()
        assert feed.failures == 0 and feed.last_error == ""
    assert Mention.objects.count() == 1


def test_the_back_off_is_capped_at_a_day():
    feed = Feed(interval_minutes=60)
    assert polling.backoff(feed, 30) == dt.timedelta(days=1)


def test_a_feed_that_times_out_is_a_failure_not_a_hang(settings):
    settings.KLIENTO_FEED_TIMEOUT = 0.3
    with feed_server() as server:
        server.routes["/slow"] = Route(atom(ITEMS), delay=2)
        feed = make_feed(server.url("/slow"))
        result = polling.poll(feed.pk)
    assert result.error and "timed out" in result.error.lower()
    assert Mention.objects.count() == 0
    assert Feed.objects.get(pk=feed.pk).failures == 1


def test_a_private_address_is_refused_unless_the_feed_allows_it():
    with feed_server() as server:
        server.routes["/a.atom"] = Route(atom(ITEMS))
        feed = make_feed(server.url("/a.atom"), allow_private=False)
        result = polling.poll(feed.pk)
        assert "private" in result.error
        assert server.hits == []  # nothing was requested


def test_a_redirect_to_a_private_address_is_checked_again():
    with feed_server() as server:
        server.routes["/moved"] = Route(status=301, location=server.url("/a.atom"))
        server.routes["/a.atom"] = Route(atom(ITEMS))
        feed = make_feed(server.url("/moved"))
        assert polling.poll(feed.pk).created == 3


def test_a_feed_item_matches_a_situation_and_is_assigned():
    situation = make_situation(minutes=90)
    with feed_server() as server:
        server.routes["/a.atom"] = Route(atom(ITEMS))
        feed = make_feed(server.url("/a.atom"))
        now = timezone.now()
        polling.poll(feed.pk, now=now)
    bad = Mention.objects.get(external_id="urn:1")
    assert bad.sentiment == "negative" and bad.situation == situation
    assert bad.owner == situation.owner and bad.due_at == now + dt.timedelta(minutes=90)
    assert Mention.objects.get(external_id="urn:2").situation is None


def test_claimed_feeds_are_not_claimed_again_until_the_lease_ends():
    feed = make_feed("http://127.0.0.1:9/x")
    now = timezone.now()
    assert polling.claim_due(now=now) == [feed.pk]
    assert polling.claim_due(now=now) == []
    assert polling.claim_due(now=now + polling.LEASE + dt.timedelta(seconds=1)) == [feed.pk]


def test_an_inactive_feed_is_never_polled():
    feed = make_feed("http://127.0.0.1:9/x", active=False)
    assert polling.claim_due(now=timezone.now() + dt.timedelta(days=2)) == []
    assert Feed.objects.get(pk=feed.pk).last_polled_at is None
