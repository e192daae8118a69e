"""Polling 200 local feeds of 100 items each (20,000 mentions) through the worker's real path.

    uv run python benchmarks/bench_mentions_feeds.py [--feeds 200 --items 100]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        uv run python benchmarks/bench_mentions_feeds.py

A local HTTP server (http.server in a thread) serves 200 Atom documents, each with an ETag.
Works in a throw-away database it creates and drops. Steps:

  1. first pass: `polling.poll_due` claims every feed, fetches it over HTTP (SSRF guard,
     conditional GET), parses it with feedparser and ingests every item (sanitising, language,
     sentiment, matching against three situations' rules, one row per item with its unique
     (source, external id)); items/second is printed;
  2. second pass with the ETags forgotten: every document is fetched and parsed again and every
     item is recognised as known: duplicates created must be 0;
  3. third pass as the worker really runs: the stored ETag answers 304, nothing is parsed;
  4. baseline: bare `feedparser.parse` of the same 200 documents in memory (no HTTP, no
     database). Ratio = first pass / baseline: what fetching, judging, matching and storing
     cost over parsing alone.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

import harness

TEXTS = [
    "Terrible service, nobody answered and the staff were rude.",
    "Great team, thank you for the quick help!",
    "Is the price going up next month?",
    "The app is down again since the morning.",
    "Okay visit, nothing special.",
]


def document(feed: int, items: int) -> bytes:
    entries = "".join(
        f"<entry><id>urn:bench:{feed}:{i}</id><title>Item {i} of {feed}</title>"
        f'<link href="https://reviews.example/{feed}/{i}"/><author><name>A{i}</name></author>'
        f"<updated>2026-01-01T00:00:00Z</updated>"
        f'<summary type="html">{escape("<p>" + TEXTS[(feed + i) % len(TEXTS)] + "</p>")}'
        "</summary></entry>"
        for i in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Feed {feed}</title><id>urn:bench:{feed}</id>"
        f"<updated>2026-01-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def serve(documents: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def log_message(self, *args: object) -> None:
            return

        def do_GET(self) -> None:
            body = documents.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = f'"{self.path}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/atom+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    parser = argparse.ArgumentParser(description="Feed polling benchmark")
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=100)
    args = parser.parse_args()
    with harness.throwaway_database() as url:
        harness.setup_django(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        sys.exit(run(args))


def _poll_all(polling) -> tuple[float, int, int]:
    from django.utils import timezone

    started = time.perf_counter()
    created = duplicates = 0
    while True:
        results = polling.poll_due(now=timezone.now(), limit=50)
        if not results:
            break
        created += sum(r.created for r in results)
        duplicates += sum(r.duplicates for r in results)
        if any(r.error for r in results):
            raise SystemExit(f"a feed failed: {[r.error for r in results if r.error][:3]}")
    return time.perf_counter() - started, created, duplicates


def run(args) -> int:
    import feedparser
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import timezone

    from kliento.mentions.models import Feed, MatchRule, Mention, Situation
    from kliento.mentions.services import polling

    documents = {f"/f{n}.atom": document(n, args.items) for n in range(args.feeds)}
    httpd = serve(documents)
    port = httpd.server_address[1]
    owner = get_user_model().objects.create_user("bench-owner", password="x")
    for name, rule in (
        ("Outage", {"keywords": "down, outage", "position": 1}),
        ("Negative review", {"sentiment": "negative", "position": 2}),
        ("Price", {"keywords": "price", "position": 3}),
    ):
        situation = Situation.objects.create(name=name, owner=owner, deadline_minutes=60)
        MatchRule.objects.create(situation=situation, **rule)
    Feed.objects.bulk_create(
        Feed(
            name=f"F{n}", url=f"http://127.0.0.1:{port}/f{n}.atom", source=f"site{n}",
            allow_private=True, next_poll_at=timezone.now(),
        )
        for n in range(args.feeds)
    )  # fmt: skip
    total = args.feeds * args.items
    print(f"Feed polling — {args.feeds} feeds x {args.items} items, {harness.database_label()}")

    # A worker process loads the URL configuration (every view and API schema) once, at its
    # first reverse(); timed apart so the first pass shows the per-item cost.
    started = time.perf_counter()
    reverse("mentions:inbox")
    url_load = time.perf_counter() - started

    first, created, _dups = _poll_all(polling)
    assert created == total and Mention.objects.count() == total, (created, total)
    Feed.objects.update(etag="", next_poll_at=timezone.now())
    second, created_again, duplicates = _poll_all(polling)
    Feed.objects.update(next_poll_at=timezone.now())
    third, _c, _d = _poll_all(polling)
    assert Mention.objects.count() == total

    started = time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for body in documents.values())
    baseline = time.perf_counter() - started
    assert parsed == total
    httpd.shutdown()

    first_t, base_t = harness.Timing.single(first * 1000), harness.Timing.single(baseline * 1000)
    harness.report(
        bench="mentions_feeds", case=f"first pass, {total:,} new items", value=first_t,
        baseline=base_t, baseline_name="bare feedparser.parse of the same documents",
        note=f"{total / first:,.0f} items/s vs {total / baseline:,.0f} items/s parsing alone",
    )  # fmt: skip
    harness.report(
        bench="mentions_feeds", case="second pass, ETags forgotten (all items known)",
        value=harness.Timing.single(second * 1000),
        note=f"{total / second:,.0f} items/s; duplicates created: {created_again}, "
        f"recognised as known: {duplicates:,}",
    )  # fmt: skip
    harness.report(
        bench="mentions_feeds", case="third pass, conditional GET (304 for every feed)",
        value=harness.Timing.single(third * 1000),
        note=f"{args.feeds / third:,.0f} feeds/s",
    )  # fmt: skip
    print(f"  duplicates created: {created_again}")
    print(f"  (before the first pass: the worker's one-time URL configuration load, "
          f"{url_load * 1000:,.0f} ms)")  # fmt: skip
    return 0 if created_again == 0 else 1


if __name__ == "__main__":
    main()
