"""The service desk's JSON API: cases, messages, calls, inbound messages, SLA, webhooks."""

from ninja import Router

router = Router(tags=["service desk"])
