"""Reads of the journey that other apps rely on."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from kliento.journeys.models import ClientStage


def current_stage_ids(*, client_id: int) -> list[int]:
    """The id of the stage the client is at now, one per journey it is on."""
    return list(
        ClientStage.objects.filter(client_id=client_id)
        .order_by("journey_id")
        .values_list("stage_id", flat=True)
    )


def moves_after(after_id: int, limit: int) -> list[tuple[int, int, int, int | None]]:
    """Stage moves after `after_id`, oldest first: (id, client_id, to_stage_id, moved_by_id).
    For sources that follow the journey incrementally (e.g. surveys' "stage entered")."""
    from kliento.journeys.models import StageMove

    return list(
        StageMove.objects.filter(pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", "client_id", "to_stage_id", "actor_id")[:limit]
    )


def latest_move_id() -> int:
    from django.db.models import Max

    from kliento.journeys.models import StageMove

    return int(StageMove.objects.aggregate(top=Max("pk"))["top"] or 0)


def clients_at_stage(*, stage_id: int, since: dt.datetime, until: dt.datetime) -> QuerySet[Any]:
    """The clients who were at the stage at some moment from `since` to `until`: those whose
    last move on its journey before `since` went to it, and those moved to it in between. A
    subquery of one column (client_id), for the metric layer's stage slice."""
    from kliento.journeys.models import StageMove

    last_before = Subquery(
        StageMove.objects.filter(
            client_id=OuterRef("client_id"),
            journey_id=OuterRef("journey_id"),
            moved_at__lt=since,
        )
        .order_by("-moved_at", "-pk")
        .values("to_stage_id")[:1]
    )
    there_at_start = (
        StageMove.objects.filter(to_stage_id=stage_id, moved_at__lt=since)
        .annotate(last_stage=last_before)
        .filter(last_stage=stage_id)
        .values("client_id")
    )
    moved_in = StageMove.objects.filter(
        to_stage_id=stage_id, moved_at__gte=since, moved_at__lte=until
    ).values("client_id")
    return (
        StageMove.objects.filter(Q(client_id__in=there_at_start) | Q(client_id__in=moved_in))
        .order_by()
        .values("client_id")
        .distinct()
    )
