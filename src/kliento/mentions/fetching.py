"""Fetching a feed over HTTP: conditional GET, a timeout, a size cap, the SSRF guard.

The URL is checked by the desk's webhook guard (public addresses only unless the feed allows
private ones) and the connection goes to the address that was checked, so a DNS answer that
changes in between cannot slip a private address in. Redirects are followed a few times, each
target checked again.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ValidationError

from kliento.desk.services import outbound

MAX_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "Kliento-Feeds/1"


@dataclass
class Fetched:
    status: int | None = None  # None: no HTTP answer at all
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    error: str = ""

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def timeout() -> float:
    return float(getattr(settings, "KLIENTO_FEED_TIMEOUT", 10.0))


def _connection(target: outbound.Target, seconds: float) -> http.client.HTTPConnection:
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=seconds, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=seconds)

    def pinned(address: Any, timeout: Any = None, source_address: Any = None) -> socket.socket:
        return socket.create_connection((target.address, address[1]), timeout, source_address)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    return conn


def _read(response: http.client.HTTPResponse, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() > deadline:
            raise TimeoutError("the feed took too long to send")
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_BYTES:
            raise ValueError(f"the feed is larger than {MAX_BYTES // 1024 // 1024} MB")
        chunks.append(chunk)


def fetch(url: str, *, allow_private: bool, etag: str = "", last_modified: str = "") -> Fetched:
    seconds = timeout()
    deadline = time.monotonic() + seconds * 3
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/atom+xml, application/rss+xml, application/xml;q=0.9, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            target = outbound.check(url, allow_private=allow_private)
        except ValidationError as exc:
            return Fetched(error="; ".join(exc.messages)[:500])
        conn = _connection(target, seconds)
        try:
            conn.request("GET", target.path, headers={**headers, "Host": _host(target)})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location") or "")
                continue
            if response.status == 304:
                return Fetched(304, etag=etag, last_modified=last_modified)
            if response.status != 200:
                return Fetched(
                    response.status, error=f"HTTP {response.status} {response.reason}"[:500]
                )
            body = _read(response, deadline)
            return Fetched(
                200,
                body,
                etag=(response.getheader("ETag") or "")[:500],
                last_modified=(response.getheader("Last-Modified") or "")[:100],
            )
        except (OSError, http.client.HTTPException, ValueError) as exc:
            return Fetched(error=(str(exc) or type(exc).__name__)[:500])
        finally:
            conn.close()
    return Fetched(error="too many redirects")


def _host(target: outbound.Target) -> str:
    default = 443 if target.scheme == "https" else 80
    return target.host if target.port == default else f"{target.host}:{target.port}"
