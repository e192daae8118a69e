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


@task()
def send_password_reset_email(user_id: int, link_base: str) -> str:
    """Mail a password-reset link; the token is made here, so it is never stored in the queue."""
    from kliento.core.password_reset import send_reset_email

    return send_reset_email(user_id, link_base)


@task()
def prune_notifications() -> int:
    """Delete read notifications older than KLIENTO_NOTIFICATION_RETENTION_DAYS; idempotent."""
    from kliento.core.notifications import prune

    return prune()
