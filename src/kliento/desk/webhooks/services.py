"""Webhook endpoints (set up by managers) and the events queued for them."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.types import Actor
from kliento.desk.models import WebhookDelivery, WebhookEndpoint, WebhookEvent
from kliento.desk.webhooks import addresses, signing

AUDIT_CREATED = "desk.webhook_created"
AUDIT_CHANGED = "desk.webhook_changed"
AUDIT_DELETED = "desk.webhook_deleted"

URL_MAX = 500


def clean_events(events: Iterable[str]) -> list[str]:
    chosen = list(dict.fromkeys(events))
    if not chosen:
        raise ValidationError({"events": _("Choose at least one event.")})
    unknown = [e for e in chosen if e not in WebhookEvent.values]
    if unknown:
        raise ValidationError(
            {"events": _("Unknown events: %(events)s.") % {"events": ", ".join(unknown)}}
        )
    return chosen


def clean_url(url: str, *, allow_private: bool) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError({"url": _("This field is required.")})
    if len(url) > URL_MAX:
        raise ValidationError(
            {"url": _("The URL is longer than %(max)d characters.") % {"max": URL_MAX}}
        )
    addresses.check(url, allow_private=allow_private)
    return url


@transaction.atomic
def create_endpoint(
    *,
    actor: Actor,
    url: str,
    events: Iterable[str],
    description: str = "",
    active: bool = True,
    allow_private: bool = False,
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(
        url=clean_url(url, allow_private=allow_private),
        events=clean_events(events),
        description=description.strip()[:200],
        active=active,
        allow_private=allow_private,
        secret=signing.new_secret(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit.record(
        actor=actor,
        action=AUDIT_CREATED,
        target=endpoint,
        data={"url": endpoint.url, "events": endpoint.events, "allow_private": allow_private},
    )
    return endpoint


EDITABLE = ("url", "events", "description", "active", "allow_private")


@transaction.atomic
def update_endpoint(
    *, actor: Actor, endpoint: WebhookEndpoint, changes: dict[str, Any], new_secret: bool = False
) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    allow_private = bool(changes.get("allow_private", endpoint.allow_private))
    values: dict[str, Any] = {"allow_private": allow_private}
    # The URL is checked again when only the permission changes: turning allow_private off
    # must not leave a private target behind.
    values["url"] = clean_url(changes.get("url", endpoint.url), allow_private=allow_private)
    if "events" in changes:
        values["events"] = clean_events(changes["events"])
    if "description" in changes:
        values["description"] = str(changes["description"] or "").strip()[:200]
    if "active" in changes:
        values["active"] = bool(changes["active"])
    diff = {
        name: [getattr(endpoint, name), value]
        for name, value in values.items()
        if getattr(endpoint, name) != value
    }
    for name, value in values.items():
        setattr(endpoint, name, value)
    if new_secret:
        endpoint.secret = signing.new_secret()
        diff["secret"] = ["…", "…"]
    if diff:
        endpoint.save()
        audit.record(actor=actor, action=AUDIT_CHANGED, target=endpoint, data=diff)
    return endpoint


@transaction.atomic
def delete_endpoint(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    audit.record(actor=actor, action=AUDIT_DELETED, target=endpoint, data={"url": endpoint.url})
    endpoint.delete()


def _enqueue(ids: list[int]) -> None:
    from kliento.desk.webhooks.tasks import deliver_webhook

    for pk in ids:
        deliver_webhook.enqueue(pk)


def queue(event: str, data: dict[str, Any]) -> list[WebhookDelivery]:
    """One delivery per active endpoint subscribed to `event`, written in the caller's
    transaction; the sending task is enqueued once it commits."""
    endpoints = [e for e in WebhookEndpoint.objects.filter(active=True) if event in e.events]
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        event_id = f"msg_{uuid.uuid4().hex}"
        deliveries.append(
            WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_id=event_id,
                event=event,
                payload={"type": event, "timestamp": now.isoformat(), "data": data},
                created_at=now,
                next_attempt_at=now,
            )
        )
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


@transaction.atomic
def send_again(*, actor: Actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """A manager's "send again": the same event (same webhook-id) from a fresh backoff."""
    updated = (
        WebhookDelivery.objects.filter(pk=delivery.pk)
        .exclude(status=WebhookDelivery.Status.SENDING)
        .update(
            status=WebhookDelivery.Status.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
            claimed_at=None,
        )
    )
    if not updated:
        raise ValidationError(_("This delivery is being sent right now."))
    transaction.on_commit(lambda: _enqueue([delivery.pk]))
    delivery.refresh_from_db()
    return delivery
