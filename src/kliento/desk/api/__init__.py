"""The service desk's JSON API: cases, messages, calls, inbound messages, SLA, webhooks."""

from ninja import Router

router = Router(tags=["service desk"])

# Each part of the desk adds its own router (one line each).
from kliento.desk.api import sla  # noqa: E402

router.add_router("", sla.router)
