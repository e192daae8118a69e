"""The throw-away app's search provider, import target and notification kind."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from kliento.core.notifications import Notification
from kliento.core.search import SearchHit
from kliento.imports.registry import (
    VALIDATING,
    Columns,
    ErrorCollector,
    ImportOutcome,
    Progress,
    Table,
    values,
)
from tests.plugin_app.models import Visit


def search_visits(user: Any, query: str, limit: int) -> list[SearchHit]:
    found = Visit.objects.filter(room__icontains=query).order_by("pk")[:limit]
    return [SearchHit(title=v.room, url=reverse("plugin_app:visits")) for v in found]


class VisitValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table, self.errors = table, errors
        self.cols = Columns(table.headers or [], mapping)

    def run(self, progress: Progress) -> list[dict[str, Any]]:
        rows = []
        for number, cells in self.table.rows():
            room = values.text(self.cols.get(cells, "room"))
            client = values.text(self.cols.get(cells, "client_id"))
            if not client.isdigit():
                self.errors.add(number, self.cols.header["client_id"], client, "Not a client id.")
                continue
            rows.append({"room": room, "client_id": int(client)})
        progress(VALIDATING, len(rows))
        return rows


def write_visits(
    rows: list[dict[str, Any]], /, *, actor: Any, filename: str, data: Any, progress: Progress
) -> ImportOutcome:
    from tests.plugin_app.services import log_visit

    for row in rows:
        log_visit(actor=actor, client_id=row["client_id"], room=row["room"])
    return ImportOutcome(rows=len(rows), created=len(rows))


def render_visit_notice(notification: Notification) -> str:
    return f"A visit to the {notification.params.get('room', '?')} was logged"
