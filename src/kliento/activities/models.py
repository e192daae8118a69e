"""An activity (a contact with the client, or a note about it) and a follow-up task."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Activity(models.Model):
    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")
        NOTE = "note", _("Note")
        EMAIL = "email", _("E-mail")

    class Direction(models.TextChoices):
        INBOUND = "in", _("Incoming")
        OUTBOUND = "out", _("Outgoing")

    # Kinds that have a direction (who reached out) and a duration.
    DIRECTED = frozenset({Kind.CALL, Kind.EMAIL})
    TIMED = frozenset({Kind.CALL, Kind.MEETING})

    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, blank=True
    )
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # Plain text; shown escaped, with line breaks kept.
    body = models.TextField(_("details"), blank=True, max_length=10_000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    contact = models.ForeignKey(
        "clients.ContactPoint",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["client", "-occurred_at"], name="activity_client_when")]

    def __str__(self) -> str:
        return self.subject or self.get_kind_display()


class Task(models.Model):
    """Something to do for a client by a date: overdue, due today or upcoming is computed when
    read, so nothing runs in the background to keep it true."""

    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), on_delete=models.CASCADE, related_name="tasks"
    )
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due date"))
    due_time = models.TimeField(_("due time"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="tasks",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    activity = models.ForeignKey(
        Activity,
        verbose_name=_("activity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="follow_ups",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        # A task due "some time" that day comes before those due at an hour, on every database
        # (SQLite and PostgreSQL put NULLs at opposite ends by default).
        ordering = ["due_on", models.F("due_time").asc(nulls_first=True), "id"]
        indexes = [
            models.Index(fields=["assignee", "done_at", "due_on"], name="task_assignee_due"),
            models.Index(fields=["client", "done_at", "due_on"], name="task_client_due"),
        ]
        permissions = [("manage_tasks", "Can complete, reopen and reassign anyone's task")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    def due_state(self, now: dt.datetime | None = None) -> str:
        """ "done", "overdue", "today" or "upcoming", at the moment `now` (default: now)."""
        if self.done_at is not None:
            return "done"
        now = timezone.localtime(now)
        today = now.date()
        if self.due_on < today:
            return "overdue"
        if self.due_on == today:
            if self.due_time is not None and self.due_time < now.time():
                return "overdue"
            return "today"
        return "upcoming"

    @property
    def state(self) -> str:
        return self.due_state()

    @property
    def is_overdue(self) -> bool:
        return self.due_state() == "overdue"
