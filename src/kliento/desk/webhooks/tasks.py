"""Background tasks of the webhooks: one delivery attempt, and the periodic pass that sends
the retries that fell due (and rescues deliveries a dead worker left "sending")."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone


@task()
def deliver_webhook(delivery_id: int) -> str:
    from kliento.desk.webhooks.delivery import deliver

    done = deliver(delivery_id)
    if done is None:
        return "skipped"
    if done.status == done.Status.PENDING and done.next_attempt_at is not None:
        # The next attempt, at its time where the backend can wait (the worker's queue);
        # otherwise the periodic pass picks it up.
        backend = deliver_webhook.get_backend()
        if backend.supports_defer:
            deliver_webhook.using(run_after=done.next_attempt_at).enqueue(delivery_id)
    return done.status


@task()
def send_due_webhooks() -> int:
    from kliento.desk.webhooks.delivery import deliver, due, release_stuck

    now = timezone.now()
    release_stuck(now)
    ids = due(now)
    for pk in ids:
        deliver(pk, now=now)
    return len(ids)
