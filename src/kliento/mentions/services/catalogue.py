"""Situations, their match rules and feeds: written by managers, each change audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from kliento.core import audit
from kliento.desk.services import outbound
from kliento.mentions.models import Feed, MatchRule, Situation

SITUATION_SAVED = "mentions.situation_saved"
RULE_SAVED = "mentions.rule_saved"
FEED_SAVED = "mentions.feed_saved"


def _apply[M: Model](obj: M, data: Mapping[str, Any], action: str, actor: Any) -> M:
    changed = {}
    for field, value in data.items():
        field_obj = obj._meta.get_field(field)
        attname = getattr(field_obj, "attname", field)
        old = getattr(obj, attname)
        new = getattr(value, "pk", value) if attname != field else value
        if old != new:
            changed[field] = str(value)[:200]
        setattr(obj, field, value)
    obj.full_clean()
    obj.save()
    audit.record(actor=actor, action=action, target=obj, data=changed)
    return obj


@transaction.atomic
def save_situation(
    *, actor: Any, data: Mapping[str, Any], situation: Situation | None = None
) -> Situation:
    return _apply(situation or Situation(), data, SITUATION_SAVED, actor)


@transaction.atomic
def save_rule(*, actor: Any, data: Mapping[str, Any], rule: MatchRule | None = None) -> MatchRule:
    return _apply(rule or MatchRule(), data, RULE_SAVED, actor)


@transaction.atomic
def save_feed(*, actor: Any, data: Mapping[str, Any], feed: Feed | None = None) -> Feed:
    """Saved only when the URL is one the server may fetch (public, unless private addresses
    are explicitly allowed); a changed URL is polled afresh at once."""
    feed = feed or Feed()
    url = str(data.get("url", feed.url))
    outbound.check(url, allow_private=bool(data.get("allow_private", feed.allow_private)))
    if url != feed.url:
        feed.etag, feed.last_modified, feed.failures, feed.last_error = "", "", 0, ""
        feed.next_poll_at = timezone.now()
    if feed.next_poll_at is None:
        feed.next_poll_at = timezone.now()
    return _apply(feed, data, FEED_SAVED, actor)
