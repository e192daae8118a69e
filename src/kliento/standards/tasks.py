"""Background tasks of the standards book."""

from __future__ import annotations

from django.tasks import task


@task()
def remind_unread(version_id: int) -> int:
    """Remind the unread audience of a published version; safe to run twice (see
    services.send_reminders: the version is claimed before anyone is reminded)."""
    from kliento.standards.services import send_reminders

    return send_reminders(version_id=version_id)


@task()
def send_due_reminders() -> int:
    """The scheduler's daily pass: automatic reminders of unread published standards."""
    from kliento.standards.services import send_due_reminders as send

    return send()
