"""Background tasks of the service policy."""

from __future__ import annotations

from django.tasks import task


@task()
def remind_unread(version_id: int) -> int:
    """Remind the unread audience of a published policy version; safe to run twice (see
    services.send_reminders: the version is claimed before anyone is reminded)."""
    from kliento.policy.services import send_reminders

    return send_reminders(version_id=version_id)


@task()
def send_due_reminders() -> int:
    """The scheduler's pass: automatic reminders of unread published policy versions."""
    from kliento.policy.services import send_due_reminders as send

    return send()
