"""A process definition, its published versions and their steps; a run of a version for a
client and the run's steps.

A version and its steps are never changed once published: editing a definition publishes a new
version, and a run keeps pointing at the version it was started with (PROTECT), so what a
running checklist asks for never changes under the people working on it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.core import roles

ROLE_CHOICES = [(key, label) for key, label in roles.ROLE_LABELS.items()]


class ProcessDefinition(models.Model):
    """What stays the same across versions: the process's identity. Its name and steps are
    those of `current`, the latest published version."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    current = models.ForeignKey(
        "ProcessVersion",
        verbose_name=_("current version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("process")
        verbose_name_plural = _("processes")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessVersion(models.Model):
    definition = models.ForeignKey(
        ProcessDefinition,
        verbose_name=_("process"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    # Plain text; shown escaped, with line breaks kept.
    description = models.TextField(_("description"), blank=True, max_length=5000)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("process version")
        verbose_name_plural = _("process versions")
        ordering = ["definition", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["definition", "number"], name="process_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class StepTemplate(models.Model):
    """One step of a published version: what must come out of it, who does it, in how long,
    and whether a manager checks it before the next step opens."""

    version = models.ForeignKey(
        ProcessVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="steps"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("step"), max_length=200)
    result = models.CharField(_("expected result"), max_length=200)
    role = models.CharField(_("responsible role"), max_length=20, choices=ROLE_CHOICES)
    duration_days = models.PositiveSmallIntegerField(_("expected duration (days)"))
    control_point = models.BooleanField(_("control point"), default=False)
    # How long a manager has to sign the control point off once the step is done.
    review_days = models.PositiveSmallIntegerField(_("sign-off within (days)"), default=1)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="process_step_position")
        ]

    def __str__(self) -> str:
        return self.title


class ProcessRun(models.Model):
    """A version followed for a client, or for one deal or project of theirs (`subject`)."""

    version = models.ForeignKey(
        ProcessVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="runs"
    )
    client = models.ForeignKey(
        "clients.Client",
        verbose_name=_("client"),
        on_delete=models.CASCADE,
        related_name="process_runs",
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    # The person who answers for moving the run on: told when one of its steps is overdue.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="process_runs",
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("process run")
        verbose_name_plural = _("process runs")
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["client", "completed_at"], name="process_run_client")]
        permissions = [
            ("sign_off", "Can sign off control points and see what is overdue"),
            ("complete_any_step", "Can complete steps of any role"),
        ]

    def __str__(self) -> str:
        return self.subject or self.version.name

    @property
    def is_running(self) -> bool:
        return self.completed_at is None


def attachment_path(instance: RunStep, filename: str) -> str:
    # A random name on disk: the uploader's file name is kept in the row, never trusted as a path.
    suffix = Path(filename).suffix.lower()
    return f"processes/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


class RunStep(models.Model):
    """A step of a run. Only one step of a run is open at a time (see docs/product.md)."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        OPEN = "open", _("Open")
        REVIEW = "review", _("Awaiting sign-off")
        DONE = "done", _("Done")

    run = models.ForeignKey(
        ProcessRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="steps"
    )
    template = models.ForeignKey(
        StepTemplate, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.WAITING
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    # Plain text; shown escaped, with line breaks kept.
    result_text = models.TextField(_("result"), blank=True, max_length=10_000)
    attachment = models.FileField(_("attachment"), upload_to=attachment_path, blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("completed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_due_at = models.DateTimeField(_("sign-off due"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The manager's comment when the step was last sent back (shown until it is done again).
    review_comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # Set by whoever claims the overdue notice for the current opening of the step; cleared
    # when a sent-back step opens again, so a new lateness is told again.
    overdue_notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("run step")
        verbose_name_plural = _("run steps")
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_step_position")
        ]
        indexes = [
            models.Index(fields=["state", "due_at"], name="run_step_state_due"),
            models.Index(fields=["state", "review_due_at"], name="run_step_review_due"),
        ]

    def __str__(self) -> str:
        return self.template.title

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        if self.state == self.State.OPEN:
            return self.due_at is not None and self.due_at < now
        if self.state == self.State.REVIEW:
            return self.review_due_at is not None and self.review_due_at < now
        return False
