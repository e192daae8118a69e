"""Background work: poll the due feeds and watch the reaction deadlines. Safe to run twice:
feeds are claimed (services/polling.py), notices claimed once (services/deadlines.py)."""

from __future__ import annotations

from django.tasks import task

from kliento.mentions.services import deadlines, polling

ROUNDS = 10


@task()
def mentions_tick() -> dict[str, int]:
    polled = created = failed = 0
    for _round in range(ROUNDS):
        results = polling.poll_due(limit=20)
        if not results:
            break
        polled += len(results)
        created += sum(r.created for r in results)
        failed += sum(1 for r in results if r.error)
    notices = deadlines.check_deadlines()
    return {"feeds": polled, "created": created, "failed": failed, **notices}
