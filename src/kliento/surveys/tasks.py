"""Background work of the surveys app. Each task is safe to run twice: invitations are claimed
with a conditional UPDATE before they are mailed (see services/inviting.py)."""

from __future__ import annotations

from django.tasks import task

from kliento.surveys.services import inviting

ROUNDS = 50  # at most this many batches per run; the next run (or tick) takes the rest


@task()
def send_invitations() -> dict[str, int]:
    """Send what is pending, batch by batch."""
    totals: dict[str, int] = {}
    after = 0
    for _round in range(ROUNDS):
        # Onwards by id: one that failed goes back to pending for the next run, not round and
        # round in this one.
        ids = inviting.pending_ids(after=after)
        if not ids:
            break
        after = ids[-1]
        for outcome, count in inviting.send_batch(ids).items():
            totals[outcome] = totals.get(outcome, 0) + count
    return totals


@task()
def surveys_tick() -> dict[str, int]:
    """The periodic work (core.schedule, every few minutes): read polled trigger sources, run
    the schedules, send what is pending, remind once, escalate overdue follow-ups."""
    from kliento.surveys.services import loop

    polled = inviting.poll_sources()
    scheduled = inviting.run_schedules()
    sent = send_invitations.call()
    return {
        "from_triggers": polled,
        "from_schedules": scheduled,
        "sent": sent.get("sent", 0),
        "reminded": inviting.send_reminders(),
        "escalated": loop.escalate_overdue(),
    }
