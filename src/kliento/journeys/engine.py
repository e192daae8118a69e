"""The move rules, applied by the background worker.

Idempotent: a rule takes clients only from its source stages and never moves them to one of
them (`services.save_rule` refuses that), so a moved client no longer matches and a second run
moves nobody again. Incremental: after a complete run the rule keeps its start as a watermark;
the next run looks only at the clients whose purchases or status changed since, and at those
who reached a source stage since. Safe with two workers: each batch locks the clients' current
stages with SKIP LOCKED and re-checks the source stage under the lock, so a client moved by
one worker is skipped by the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.journeys import services
from kliento.journeys.models import ClientStage, MoveRule, StageMove

BATCH = 1000
# Rows written just before the watermark by a transaction that committed after it.
MARGIN = dt.timedelta(minutes=5)


@dataclass
class RunResult:
    rules: int = 0
    examined: int = 0
    moved: int = 0


def matches(rule: MoveRule, facts: clients.LifecycleFacts, today: dt.date) -> bool:
    if rule.condition == MoveRule.Condition.PURCHASES_AT_LEAST:
        return facts.purchases >= rule.threshold
    if rule.condition == MoveRule.Condition.NO_PURCHASE_FOR:
        # A client who never bought counts from the day the card was made.
        since = facts.last_purchase_on or timezone.localdate(facts.created_at)
        return (today - since).days >= rule.threshold
    if rule.condition == MoveRule.Condition.STATUS_LEFT:
        return facts.status == "left"
    return False


def _candidates(rule: MoveRule, sources: list[int]) -> Iterator[list[int]]:
    """Batches of client ids to examine (ascending within a batch)."""
    if rule.checked_until is None:
        if rule.include_unplaced:
            after = 0
            while batch := clients.client_ids_after(after, limit=BATCH):
                yield batch
                after = batch[-1]
            return
        after = 0
        while True:
            batch = list(
                ClientStage.objects.filter(
                    journey_id=rule.journey_id, stage_id__in=sources, client_id__gt=after
                )
                .order_by("client_id")
                .values_list("client_id", flat=True)[:BATCH]
            )
            if not batch:
                return
            yield batch
            after = batch[-1]
    since = rule.checked_until - MARGIN
    inactive = rule.threshold if rule.condition == MoveRule.Condition.NO_PURCHASE_FOR else None
    after = 0
    while batch := clients.clients_changed_since(
        since, inactive_days=inactive, after_id=after, limit=BATCH
    ):
        yield batch
        after = batch[-1]
    arrived = ClientStage.objects.filter(
        journey_id=rule.journey_id, stage_id__in=sources, entered_at__gte=since
    ).order_by("client_id")
    after = 0
    while batch := list(
        arrived.filter(client_id__gt=after).values_list("client_id", flat=True)[:BATCH]
    ):
        yield batch
        after = batch[-1]


def _apply(rule: MoveRule, sources: list[int], ids: list[int], today: dt.date) -> int:
    now = timezone.now()
    with transaction.atomic():
        places = {
            cs.client_id: cs
            for cs in ClientStage.objects.select_for_update(skip_locked=True).filter(
                journey_id=rule.journey_id, client_id__in=ids, stage_id__in=sources
            )
        }
        unplaced: list[int] = []
        if rule.include_unplaced:
            on_journey = set(
                ClientStage.objects.filter(
                    journey_id=rule.journey_id, client_id__in=ids
                ).values_list("client_id", flat=True)
            )
            unplaced = [pk for pk in ids if pk not in on_journey]
        wanted = list(places) + unplaced
        if not wanted:
            return 0
        facts = clients.lifecycle_facts(wanted)
        moves: list[StageMove] = []
        for pk in wanted:
            fact = facts.get(pk)
            if fact is None or not matches(rule, fact, today):
                continue
            place = places.get(pk)
            if place is None:
                try:
                    with transaction.atomic():
                        ClientStage.objects.create(
                            client_id=pk,
                            journey_id=rule.journey_id,
                            stage_id=rule.to_stage_id,
                            entered_at=now,
                            joined_at=now,
                        )
                except IntegrityError:
                    continue  # placed by someone else meanwhile
                from_id = None
            else:
                from_id = place.stage_id
            moves.append(
                StageMove(
                    client_id=pk,
                    journey_id=rule.journey_id,
                    from_stage_id=from_id,
                    to_stage_id=rule.to_stage_id,
                    moved_at=now,
                    rule=rule,
                    reason=rule.name,
                )
            )
        placed = [m.client_id for m in moves if m.from_stage_id is not None]
        if placed:
            ClientStage.objects.filter(
                journey_id=rule.journey_id, client_id__in=placed, stage_id__in=sources
            ).update(stage_id=rule.to_stage_id, entered_at=now)
        services.record_moves(moves)
        return len(moves)


def evaluate_rule(rule: MoveRule, *, today: dt.date | None = None) -> RunResult:
    today = today or timezone.localdate()
    started = timezone.now()
    sources = list(rule.from_stages.values_list("pk", flat=True))
    result = RunResult(rules=1)
    for batch in _candidates(rule, sources):
        # A client found by both passes is examined twice but moved once: the second look
        # finds it off the source stages.
        result.examined += len(batch)
        result.moved += _apply(rule, sources, batch, today)
    MoveRule.objects.filter(pk=rule.pk).update(checked_until=started)
    return result


def run_rules(*, journey_id: int | None = None, today: dt.date | None = None) -> RunResult:
    """Apply every active rule (of one journey, or all), in order."""
    total = RunResult()
    active = MoveRule.objects.filter(is_active=True, journey__is_active=True)
    if journey_id is not None:
        active = active.filter(journey_id=journey_id)
    ordered = list(active.order_by("journey_id", "position", "id"))
    total.rules = len(ordered)
    # Rules cannot form a cycle (services.save_rule), so passes until one moves nobody end
    # within as many passes as there are rules, and the next run has nothing left to do,
    # whatever order the rules are in.
    for _pass in range(len(ordered) + 1):
        moved = 0
        for rule in ordered:
            rule.refresh_from_db(fields=["checked_until"])
            one = evaluate_rule(rule, today=today)
            total.examined += one.examined
            moved += one.moved
        total.moved += moved
        if not moved:
            break
    return total
