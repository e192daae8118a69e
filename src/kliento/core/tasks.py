"""Background tasks of the base layer."""

from __future__ import annotations

from django.tasks import task


@task()
def send_notification_email(notification_id: int) -> str:
    """Mail one notification in its recipient's language; safe to run again (never mails twice).

    Takes the id, not the row: the worker reads the notification as it is when the task runs.
    """
    from kliento.core.notifications import send_email

    return send_email(notification_id)
