"""The service desk's JSON API: cases, messages, calls, inbound messages, SLA, webhooks."""

from ninja import Router

from kliento.desk.api import calls, cases, inbound, messages, sla, webhooks

router = Router(tags=["service desk"])
# Each part of the desk adds its own router.
for part in (cases, messages, calls, inbound, webhooks, sla):
    router.add_router("", part.router)
