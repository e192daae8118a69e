"""The client-card part of the JSON API (C1): one router made of a few small ones."""

from __future__ import annotations

from ninja import Router

from kliento.clients.api import clients, contacts, portrait, purchases, reference, timeline

router = Router()
for part in (clients, contacts, portrait, purchases, timeline, reference):
    router.add_router("", part.router)

__all__ = ["router"]
