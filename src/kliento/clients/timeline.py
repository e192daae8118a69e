"""Writing to a client's timeline. Call inside the transaction of the change being recorded."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from kliento.clients.models import Client, TimelineEntry


def record_event(
    *,
    client: Client | int,
    kind: str,
    actor=None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    occurred_at=None,
) -> TimelineEntry:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Timeline entries must be written inside the change's transaction")
    client_id = client if isinstance(client, int) else client.pk
    entry = TimelineEntry(
        client_id=client_id, kind=kind, actor=actor, summary=summary[:500], data=data or {}
    )
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    entry.save()
    return entry


def describe_value(value: Any) -> Any:
    """A JSON-safe, human-meaningful form of a field value for the edit history."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
