"""The client portrait: facts, their confirmation and removal."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients.models import (
    Client,
    PortraitFact,
    TimelineEntry,
)
from kliento.clients.services import timeline
from kliento.clients.services.common import lock_client
from kliento.core.db import retry_on_conflict
from kliento.core.types import Actor

_FACT_AUTHOR_FIELDS = ["recorded_by", "verified_by"]


def _clean_fact(fact: PortraitFact) -> None:
    # A TextField's max_length is not checked by full_clean, only by forms; check it here so
    # every way in (views, API, import) gets the same limit.
    limit = PortraitFact._meta.get_field("text").max_length
    if limit is not None and len(fact.text) > limit:
        raise ValidationError(
            {"text": _("A fact can be at most %(limit)d characters long.") % {"limit": limit}}
        )
    fact.full_clean(exclude=_FACT_AUTHOR_FIELDS)


@retry_on_conflict
@transaction.atomic
def add_portrait_fact(
    *, actor: Actor, client: Client, category: str, text: str, source: str
) -> PortraitFact:
    now = timezone.now()
    fact = PortraitFact(
        client=client,
        category=category,
        text=text.strip(),
        source=source,
        recorded_by=actor,
        recorded_at=now,
        verified_at=now,
        verified_by=actor,
    )
    _clean_fact(fact)
    fact.save()
    timeline.record(
        client=client,
        kind=TimelineEntry.Kind.FACT_ADDED,
        actor=actor,
        summary=fact.text,
        data={"category": category, "source": source, "fact_id": fact.pk},
    )
    return fact


@retry_on_conflict
@transaction.atomic
def verify_portrait_fact(
    *, actor: Actor, fact: PortraitFact, text: str | None = None
) -> PortraitFact:
    """Confirm a fact at a contact; the agent may correct its wording at the same time."""
    lock_client(fact.client_id)  # the client first, as every write to a card does
    locked = PortraitFact.objects.select_for_update().get(pk=fact.pk)
    data: dict[str, Any] = {"category": locked.category, "fact_id": locked.pk}
    if text is not None and text.strip() and text.strip() != locked.text:
        data["previous_text"] = locked.text
        locked.text = text.strip()
    locked.verified_at = timezone.now()
    locked.verified_by = actor
    _clean_fact(locked)
    locked.save()
    timeline.record(
        client=locked.client_id,
        kind=TimelineEntry.Kind.FACT_VERIFIED,
        actor=actor,
        summary=locked.text,
        data=data,
    )
    return locked


@retry_on_conflict
@transaction.atomic
def remove_portrait_fact(*, actor: Actor, fact: PortraitFact) -> TimelineEntry | None:
    """Remove a fact; the entry returned keeps all of it, so the removal can be undone for a
    while (services.undo). None if it was removed meanwhile."""
    lock_client(fact.client_id)
    locked = PortraitFact.objects.select_for_update().filter(pk=fact.pk).first()
    if locked is None:  # removed meanwhile (a double click): one removal, one entry
        return None
    entry = timeline.record(
        client=locked.client_id,
        kind=TimelineEntry.Kind.FACT_REMOVED,
        actor=actor,
        summary=locked.text,
        data={
            "category": locked.category,
            "source": locked.source,
            "recorded_by": locked.recorded_by_id,
            "recorded_at": locked.recorded_at.isoformat(),
            "verified_by": locked.verified_by_id,
            "verified_at": locked.verified_at.isoformat(),
        },
    )
    locked.delete()
    return entry
