from __future__ import annotations

from typing import Any

from django.db import transaction

from kliento.clients.services import timeline
from kliento.core import audit, notifications
from tests.plugin_app.models import Visit


@transaction.atomic
def log_visit(*, actor: Any, client_id: int, room: str) -> Visit:
    visit = Visit.objects.create(client_id=client_id, room=room)
    timeline.record(client=client_id, kind="plugin.visit", actor=actor, data={"room": room})
    audit.record(actor=actor, action="plugin.visit_logged", target=visit, data={"room": room})
    # Whoever manages the client hears of it, in their language and by their preferences.
    manager = (
        Visit.objects.select_related("client__account_manager")
        .get(pk=visit.pk)
        .client.account_manager
    )
    if manager is not None:
        notifications.notify(
            recipients=[manager], kind="plugin.visit_logged", params={"room": room}, actor=actor
        )
    return visit
