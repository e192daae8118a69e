from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kliento.imports.registry import targets

# No progress for this long means the worker is gone (SQLite writes none while saving, which
# takes well under a minute per million rows).
STALLED_AFTER = dt.timedelta(minutes=15)


def alive_path(job_id: int) -> Path:
    """A file the worker touches while it works on the job. While it writes into SQLite, which
    has one writer at a time, the job's heartbeat cannot be saved; SQLite means one machine, so
    the web server sees this file instead."""
    return Path(settings.MEDIA_ROOT) / "imports" / "alive" / str(job_id)


class ImportJob(models.Model):
    """One uploaded file, from mapping through validation to commit, for a registered target."""

    class Status(models.TextChoices):
        # The worker reads the column names and the first rows; the request never reads files.
        PREPARING = "preparing", _("Reading the file")
        UPLOADED = "uploaded", _("Uploaded")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FAILED = "failed", _("Rejected: errors found")
        DONE = "done", _("Imported")

    # The key of an ImportTarget (see registry); not a choice list, as apps register them.
    target = models.CharField(_("import of"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    # CSV files are read as UTF-8 unless the user names a legacy encoding at upload.
    encoding = models.CharField(_("encoding"), max_length=20, default="utf-8")
    # What the worker read for the mapping step: the header row and the first rows, as text.
    headers = models.JSONField(_("column names"), default=list, blank=True)
    preview = models.JSONField(_("preview"), default=list, blank=True)
    # "reading" while preparing; "counting", "validating" or "writing" while running;
    # processed_rows counts within the phase.
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # The first errors, for display; the full list is in the downloadable report.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_report = models.FileField(_("error report"), upload_to="imports/errors/", blank=True)
    created_rows = models.PositiveIntegerField(_("created"), default=0)
    updated_rows = models.PositiveIntegerField(_("updated"), default=0)
    # Why the import was rejected, when it was; counts beyond created/updated for the summary.
    message = models.TextField(_("message"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # Touched by every progress update; a running job whose heartbeat stops has lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.target}: {self.original_name}"

    @property
    def target_label(self) -> str:
        target = targets.get(self.target)
        return str(target.label) if target is not None else self.target

    @property
    def is_working(self) -> bool:
        """A worker holds the job: it is preparing the file or running the import."""
        if self.status == self.Status.PREPARING:
            return bool(self.phase)
        return self.status == self.Status.RUNNING

    @property
    def last_sign_of_life(self) -> dt.datetime | None:
        signs = [self.heartbeat_at] if self.heartbeat_at else []
        try:
            mtime = alive_path(self.pk).stat().st_mtime
        except OSError:
            pass
        else:
            signs.append(dt.datetime.fromtimestamp(mtime, tz=dt.UTC))
        return max(signs, default=None)

    @property
    def is_stalled(self) -> bool:
        if not self.is_working:
            return False
        last = self.last_sign_of_life
        return last is not None and last < timezone.now() - STALLED_AFTER

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
