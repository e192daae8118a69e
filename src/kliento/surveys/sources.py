"""The trigger sources this app knows itself: purchases (polled through clients.selectors),
touchpoint impressions noted by staff (polled through touchpoints.selectors), clients entering
a journey stage (polled through journeys.selectors) and a schedule.
A manual send needs no trigger (services.inviting.invite_segment); the service desk registers
"case resolved" itself and calls `surveys.registry.fire` when a case closes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Max, QuerySet
from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.journeys import selectors as journeys
from kliento.surveys.registry import Event, TriggerSource, register_trigger_source
from kliento.touchpoints import selectors as touchpoints

PURCHASE = "purchase"
IMPRESSION = "touchpoint"
STAGE_ENTERED = "stage_entered"
SCHEDULE = "schedule"


def poll_purchases(after_id: int, limit: int) -> Iterator[Event]:
    rows = (
        clients.purchases_between()
        .filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "client_id")[:limit]
    )
    for pk, client_id in rows:
        yield Event(id=pk, client_id=client_id)


def latest_purchase() -> int:
    return int(clients.purchases_between().aggregate(top=Max("pk"))["top"] or 0)


def _impressions(after_id: int) -> QuerySet[Any] | None:
    """Impressions after `after_id` at the touchpoints some trigger watches (all of them when
    a trigger names none). Those that came from a survey answer are left out: an answer must
    not trigger another survey."""
    from kliento.surveys.models import Trigger

    targets = set(Trigger.objects.filter(source=IMPRESSION).values_list("target_id", flat=True))
    if None in targets:
        targets = set(touchpoints.touchpoints().values_list("pk", flat=True))
    found: QuerySet[Any] | None = None
    for touchpoint_id in sorted(t for t in targets if t is not None):
        qs = touchpoints.impressions_of_touchpoint(touchpoint_id).filter(pk__gt=after_id)
        found = qs if found is None else found | qs
    return found.exclude(source="survey") if found is not None else None


def poll_impressions(after_id: int, limit: int) -> Iterator[Event]:
    found = _impressions(after_id)
    if found is None:
        return
    rows = found.order_by("pk").values_list("pk", "client_id", "touchpoint_id")[:limit]
    for pk, client_id, touchpoint_id in rows:
        yield Event(
            id=pk, client_id=client_id, target_id=touchpoint_id, touchpoint_id=touchpoint_id
        )


def poll_stage_moves(after_id: int, limit: int) -> Iterator[Event]:
    for pk, client_id, stage_id, actor_id in journeys.moves_after(after_id, limit):
        yield Event(
            id=pk, client_id=client_id, target_id=stage_id, stage_id=stage_id, agent_id=actor_id
        )


def latest_impression() -> int:
    found = _impressions(0)
    return int(found.aggregate(top=Max("pk"))["top"] or 0) if found is not None else 0


def register() -> None:
    register_trigger_source(
        TriggerSource(
            PURCHASE,
            _("A purchase is made"),
            poll=poll_purchases,
            latest=latest_purchase,
            order=10,
        )
    )
    register_trigger_source(
        TriggerSource(
            IMPRESSION,
            _("An impression is noted at a touchpoint"),
            target_label=_("Touchpoint"),
            poll=poll_impressions,
            latest=latest_impression,
            order=20,
        )
    )
    register_trigger_source(
        TriggerSource(
            STAGE_ENTERED,
            _("A client enters a journey stage"),
            target_label=_("Stage"),
            poll=poll_stage_moves,
            latest=journeys.latest_move_id,
            order=30,
        )
    )
    register_trigger_source(TriggerSource(SCHEDULE, _("On a schedule (relationship)"), order=50))
