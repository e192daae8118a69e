"""Writing to a client's timeline: the one API every write path uses, bulk writes included.

Other apps (cases, surveys, stage moves) call `record` / `record_many` from their services,
after registering their kinds with `kliento.core.timeline`. Both refuse to run outside the
transaction of the change they record, so a timeline never tells of a change that rolled back.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from kliento.clients.models import Client, TimelineEntry
from kliento.clients.services.activity import note_contacts
from kliento.core.timeline import contact_kinds, ensure_registered
from kliento.core.types import Actor

SUMMARY_MAX = 500
# Above this many entries PostgreSQL gets them by COPY: an import can write one per row.
COPY_THRESHOLD = 5000


@dataclass(frozen=True)
class NewEntry:
    client_id: int
    kind: str
    actor_id: int | None = None
    summary: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    occurred_at: dt.datetime | None = None


def _guard() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Timeline entries must be written inside the change's transaction")


def record(
    *,
    client: Client | int,
    kind: str,
    actor: Actor = None,
    summary: str = "",
    data: dict[str, Any] | None = None,
    occurred_at: dt.datetime | None = None,
) -> TimelineEntry:
    _guard()
    ensure_registered(kind)
    entry = TimelineEntry(
        client_id=client if isinstance(client, int) else client.pk,
        kind=kind,
        actor_id=getattr(actor, "pk", None),
        summary=summary[:SUMMARY_MAX],
        data=data or {},
    )
    if occurred_at is not None:
        entry.occurred_at = occurred_at
    entry.save()
    if kind in contact_kinds():
        note_contacts([(entry.client_id, entry.occurred_at)])
    return entry


def record_many(entries: Iterable[NewEntry], *, batch_size: int = 2000) -> int:
    """Write many entries at once (imports, bulk flags); returns how many were written."""
    _guard()
    now = timezone.now()
    rows = list(entries)
    for kind in {row.kind for row in rows}:
        ensure_registered(kind)
    contacts = contact_kinds()
    if contacts:
        note_contacts(
            (row.client_id, row.occurred_at or now) for row in rows if row.kind in contacts
        )
    if connection.vendor == "postgresql" and len(rows) >= COPY_THRESHOLD:
        _copy(rows, now)
        return len(rows)
    for start in range(0, len(rows), batch_size):
        TimelineEntry.objects.bulk_create(
            [
                TimelineEntry(
                    client_id=row.client_id,
                    kind=row.kind,
                    actor_id=row.actor_id,
                    summary=row.summary[:SUMMARY_MAX],
                    data=row.data,
                    occurred_at=row.occurred_at or now,
                )
                for row in rows[start : start + batch_size]
            ]
        )
    return len(rows)


def _copy(rows: list[NewEntry], now: dt.datetime) -> None:
    table = connection.ops.quote_name(TimelineEntry._meta.db_table)
    sql = f"COPY {table} (client_id, occurred_at, kind, actor_id, summary, data) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(
                (
                    row.client_id,
                    row.occurred_at or now,
                    row.kind,
                    row.actor_id,
                    row.summary[:SUMMARY_MAX],
                    json.dumps(row.data),
                )
            )


def describe_value(value: Any) -> Any:
    """A JSON-safe, human-meaningful form of a field value for the edit history."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
