"""Plumbing of the desk that other apps reuse: the SSRF guard the webhooks check URLs with
(a server-side fetch of a URL someone typed) and the API's `Idempotency-Key` handling."""

from kliento.desk.idempotency import HEADER as IDEMPOTENCY_HEADER
from kliento.desk.idempotency import run as run_idempotent
from kliento.desk.webhooks.addresses import Target, check, is_public

__all__ = ["IDEMPOTENCY_HEADER", "Target", "check", "is_public", "run_idempotent"]
