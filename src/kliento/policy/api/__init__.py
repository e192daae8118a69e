"""The service policy API: policies, versions with their goals, procedures and escalation lists,
the escalation list as a JSON document other systems read, pilots, feedback and
acknowledgements. Read for all staff (drafts and pilots for managers and auditors), write for
managers. Mounted at /api/v1 (see docs/api.md). One router made of a few small ones."""

from __future__ import annotations

from ninja import Router

from kliento.policy.api import content, pilots, policies

router = Router()
for part in (policies, content, pilots):
    router.add_router("", part.router)

__all__ = ["router"]
