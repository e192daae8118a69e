"""Reaction deadlines: a notice to the owner when a quarter of the window is left, an
escalation to the owner and the managers when it passed. Each notice once: the conditional
UPDATE that sets `warned_at` / `escalated_at` claims it, so two workers never send it twice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kliento.core import notifications
from kliento.mentions.models import Mention

DUE_SOON = "mention.due_soon"
OVERDUE = "mention.overdue"
MANAGE = "mentions.manage_information_field"
# Warned when this share of the reaction window is left.
WARN_SHARE = 0.25
BATCH = 500


def managers() -> list[Any]:
    return [
        user
        for user in get_user_model().objects.filter(is_active=True, groups__isnull=False).distinct()
        if user.has_perm(MANAGE)
    ]


def _params(mention: Mention) -> dict[str, str]:
    owner = mention.owner
    return {
        "situation": mention.situation.name if mention.situation else "",
        "source": mention.source,
        "owner": (owner.get_full_name() or owner.username) if owner else "",
        "due": mention.due_at.isoformat() if mention.due_at else "",
    }


def _claim(pk: int, field: str, now: dt.datetime) -> bool:
    return bool(
        Mention.objects.filter(
            pk=pk, status=Mention.Status.NEW, **{f"{field}__isnull": True}
        ).update(**{field: now})
    )


def warn_due_soon(now: dt.datetime) -> int:
    open_ = Mention.objects.filter(
        status=Mention.Status.NEW,
        warned_at__isnull=True,
        escalated_at__isnull=True,
        owner__isnull=False,
        due_at__gt=now,
    ).select_related("situation", "owner")
    count = 0
    for mention in open_[:BATCH]:
        assert mention.due_at is not None and mention.situation is not None
        window = mention.situation.deadline.total_seconds()
        if (mention.due_at - now).total_seconds() > window * WARN_SHARE:
            continue
        with transaction.atomic():
            if not _claim(mention.pk, "warned_at", now):
                continue
            assert mention.owner is not None
            notifications.notify(
                recipients=[mention.owner],
                kind=DUE_SOON,
                target_url=reverse("mentions:detail", args=[mention.pk]),
                params=_params(mention),
            )
            count += 1
    return count


def escalate_overdue(now: dt.datetime) -> int:
    overdue = Mention.objects.filter(
        status=Mention.Status.NEW, escalated_at__isnull=True, due_at__lte=now
    ).select_related("situation", "owner")
    leads = managers()
    count = 0
    for mention in overdue[:BATCH]:
        with transaction.atomic():
            if not _claim(mention.pk, "escalated_at", now):
                continue
            people = [p for p in (mention.owner, *leads) if p is not None]
            if mention.situation and mention.situation.approver:
                people.append(mention.situation.approver)
            notifications.notify(
                recipients=people,
                kind=OVERDUE,
                target_url=reverse("mentions:detail", args=[mention.pk]),
                params=_params(mention),
            )
            count += 1
    return count


def check_deadlines(*, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    return {"warned": warn_due_soon(now), "escalated": escalate_overdue(now)}


def overdue_filter(now: dt.datetime) -> dict[str, Any]:
    return {"status": Mention.Status.NEW, "due_at__lte": now}
