"""The service desk's JSON API: cases, messages, calls, inbound messages, SLA, webhooks."""

from ninja import Router

from kliento.desk.api import calls, cases, inbound, messages, webhooks

router = Router(tags=["service desk"])
for part in (cases, messages, calls, inbound, webhooks):
    router.add_router("", part.router)
