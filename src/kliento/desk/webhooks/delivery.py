"""Sending one webhook delivery: claim it, check the target again, POST it signed, record the
answer, and schedule the next attempt with exponential backoff."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from kliento.core.notifications import notify
from kliento.desk.models import Message, WebhookDelivery
from kliento.desk.services.inbound import CONNECTOR_CHANNELS
from kliento.desk.webhooks import addresses, signing

# After the first attempt fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h; then the delivery fails.
BACKOFF = [
    dt.timedelta(seconds=5),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=5),
    dt.timedelta(hours=10),
]
TIMEOUT_SECONDS = 10
EXCERPT = 500
# A row still "sending" after this was claimed by a worker that died; it is sent again.
STUCK_AFTER = dt.timedelta(minutes=10)


@dataclass
class Outcome:
    status_code: int | None
    duration_ms: int
    response: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def claim(delivery_id: int, now: dt.datetime) -> WebhookDelivery | None:
    """Take the delivery for this worker: the conditional UPDATE lets exactly one of two
    workers (or two enqueued runs) send it."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id,
        status=WebhookDelivery.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(status=WebhookDelivery.Status.SENDING, claimed_at=now)
    if not claimed:
        return None
    return WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _connection(target: addresses.Target) -> http.client.HTTPConnection:
    conn: http.client.HTTPConnection
    if target.scheme == "https":
        conn = http.client.HTTPSConnection(
            target.host, target.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(target.host, target.port, timeout=TIMEOUT_SECONDS)

    # Connect to the address that was checked, not to whatever the name resolves to now; TLS
    # still verifies the certificate against the host name.
    def pinned(address: Any, timeout: Any = None, source_address: Any = None) -> socket.socket:
        return socket.create_connection((target.address, address[1]), timeout, source_address)

    conn._create_connection = pinned  # type: ignore[attr-defined]
    return conn


def post(delivery: WebhookDelivery, target: addresses.Target, now: dt.datetime) -> Outcome:
    body = body_of(delivery)
    headers = signing.headers(
        delivery.endpoint.secret, delivery.event_id, int(now.timestamp()), body
    )
    headers |= {"Content-Type": "application/json", "User-Agent": "Kliento-Webhooks/1"}
    started = time.monotonic()
    conn = _connection(target)
    try:
        conn.request("POST", target.path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read(EXCERPT * 4).decode("utf-8", "replace")
        return Outcome(response.status, _ms(started), _clean(text)[:EXCERPT])
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, _ms(started), error=(str(exc) or type(exc).__name__)[:EXCERPT])
    finally:
        conn.close()


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _clean(text: str) -> str:
    return "".join(
        ch if ch.isprintable() or ch in "\n\t" else " " for ch in text.replace("\x00", "")
    )


def record(delivery: WebhookDelivery, outcome: Outcome, now: dt.datetime) -> WebhookDelivery:
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_duration_ms = outcome.duration_ms
    delivery.last_response = outcome.response
    delivery.last_error = outcome.error
    delivery.claimed_at = None
    if outcome.ok:
        delivery.status = WebhookDelivery.Status.DELIVERED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif delivery.attempts > len(BACKOFF):
        delivery.status = WebhookDelivery.Status.FAILED
        delivery.next_attempt_at = None
    else:
        delivery.status = WebhookDelivery.Status.PENDING
        delivery.next_attempt_at = now + BACKOFF[delivery.attempts - 1]
    with transaction.atomic():
        delivery.save()
        _reflect_on_message(delivery)
        if delivery.status == WebhookDelivery.Status.FAILED and delivery.endpoint.active:
            _tell_managers(delivery)
    return delivery


FAILED_KIND = "desk.webhook_failed"


def _tell_managers(delivery: WebhookDelivery) -> None:
    """A delivery gave up: whoever sets up the desk hears of it (a receiver may be down)."""
    people = (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__codename="manage_desk")
            | Q(user_permissions__codename="manage_desk"),
            is_active=True,
        )
        .distinct()
    )
    notify(
        recipients=[p for p in people if p.has_perm("desk.manage_desk")],
        kind=FAILED_KIND,
        target_url=reverse("desk:webhook", args=[delivery.endpoint_id]),
        params={
            "url": delivery.endpoint.url[:200],
            "event": delivery.event,
            "attempts": delivery.attempts,
        },
    )


def _reflect_on_message(delivery: WebhookDelivery) -> None:
    """A reply sent out through a connector shows in the conversation as sent or failed."""
    data = delivery.payload.get("data") or {}
    if delivery.event != "message.added" or data.get("direction") != Message.Direction.OUTBOUND:
        return
    if delivery.status == WebhookDelivery.Status.DELIVERED:
        state, error = Message.Delivery.SENT, ""
    elif delivery.status == WebhookDelivery.Status.FAILED:
        state, error = (
            Message.Delivery.FAILED,
            delivery.last_error or str(delivery.last_status_code),
        )
    else:
        return
    Message.objects.filter(pk=int(data.get("id") or 0), channel__in=CONNECTOR_CHANNELS).update(
        delivery=state, delivery_error=error[:500]
    )


def deliver(delivery_id: int, *, now: dt.datetime | None = None) -> WebhookDelivery | None:
    """One attempt at a delivery; None when another worker has it or it is not due."""
    now = now or timezone.now()
    delivery = claim(delivery_id, now)
    if delivery is None:
        return None
    endpoint = delivery.endpoint
    if not endpoint.active:
        outcome = Outcome(None, 0, error="The endpoint is switched off.")
        delivery.attempts = len(BACKOFF)  # no retries for a switched-off endpoint
        return record(delivery, outcome, now)
    try:
        target = addresses.check(endpoint.url, allow_private=endpoint.allow_private)
    except ValidationError as exc:
        refused = "; ".join(m for ms in exc.message_dict.values() for m in ms)
        return record(delivery, Outcome(None, 0, error=refused[:EXCERPT]), now)
    return record(delivery, post(delivery, target, now), now)


def release_stuck(now: dt.datetime) -> int:
    return WebhookDelivery.objects.filter(
        status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=WebhookDelivery.Status.PENDING, claimed_at=None, next_attempt_at=now)


def due(now: dt.datetime, limit: int = 500) -> list[int]:
    return list(
        WebhookDelivery.objects.filter(
            Q(status=WebhookDelivery.Status.PENDING) & Q(next_attempt_at__lte=now)
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
