"""The test suite's own feed server (http.server in a thread) and a few builders."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

from kliento.core import roles
from kliento.mentions.models import Feed, MatchRule, Situation
from tests.factories import UserFactory


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    etag: str = ""
    delay: float = 0.0
    content_type: str = "application/atom+xml"
    location: str = ""


@dataclass
class FeedServer:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    hits: list[tuple[str, str]] = field(default_factory=list)  # (path, If-None-Match)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(server: FeedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            route = server.routes.get(self.path)
            server.hits.append((self.path, self.headers.get("If-None-Match", "")))
            if route is None:
                self.send_response(404)
                self.end_headers()
                return
            if route.delay:
                time.sleep(route.delay)
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(route.status)
            if route.location:
                self.send_header("Location", route.location)
            if route.etag:
                self.send_header("ETag", route.etag)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(route.body)

    return Handler


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    state = FeedServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def atom(items: list[tuple[str, str, str]], *, lang: str = "en") -> bytes:
    """(id, title, text) entries as an Atom document."""
    entries = "".join(
        f'<entry xml:lang="{lang}"><id>{escape(i)}</id><title>{escape(t)}</title>'
        f'<link href="https://reviews.example/{escape(i)}"/><author><name>Someone</name></author>'
        f"<updated>2026-01-01T00:00:00Z</updated><summary>{escape(x)}</summary></entry>"
        for i, t, x in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>Test</title><id>urn:test</id><updated>2026-01-01T00:00:00Z</updated>{entries}</feed>"
    ).encode()


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><guid>{escape(i)}</guid><title>{escape(t)}</title>"
        f"<description>{escape(x)}</description></item>"
        for i, t, x in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://x.example</link><description>d</description>{entries}</channel></rss>"
    ).encode()


def make_feed(url: str, **kw: object) -> Feed:
    from django.utils import timezone

    values = {"name": "Reviews", "source": "reviews", "allow_private": True, **kw}
    return Feed.objects.create(url=url, next_poll_at=timezone.now(), **values)


def make_situation(owner=None, *, minutes: int = 60, **rule: object) -> Situation:
    owner = owner or UserFactory(role=roles.AGENT)
    situation = Situation.objects.create(
        name=f"Negative review {Situation.objects.count()}",
        kind="negative_review",
        owner=owner,
        deadline_minutes=minutes,
        steps="Read\nAnswer",
        reaction_en="Dear {author}, we are sorry.",
        reaction_ru="{author}, нам жаль.",
        reaction_uk="{author}, нам прикро.",
        reaction_pl="{author}, przykro nam.",
    )
    MatchRule.objects.create(situation=situation, **(rule or {"sentiment": "negative"}))
    return situation
