"""ImportJob lifecycle: queue, claim (once), run with progress, record the outcome."""

from __future__ import annotations

import logging

from django.core.files import File
from django.db import connection, connections, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kliento.clients.imports.common import WRITING, ImportRejected
from kliento.clients.imports.errors import ErrorCollector
from kliento.clients.imports.parsing import FileProblem, open_table
from kliento.clients.imports.services import ImportRequest, run_import
from kliento.clients.models import ImportJob
from kliento.clients.models.imports import STALLED_AFTER
from kliento.core.models import AuditEntry

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0


def queue_job(job: ImportJob, *, mapping: dict[str, str]) -> None:
    """Save the mapping and hand the job to the task worker once this transaction commits."""
    from kliento.clients.imports.tasks import run_import_job

    job.mapping = mapping
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["mapping", "status"])
    language = translation.get_language()  # the user's, for the worker's messages
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language=language))


def claim_job(job_id: int) -> bool:
    """Move the job from queued to running; False when another worker got there first."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        phase="",
        processed_rows=0,
    )
    return claimed == 1


@transaction.atomic
def requeue_stalled_job(*, actor, job_id: int) -> bool:
    """Hand a job whose worker died back to the queue; False if it is not stalled (any more).

    Safe because an import writes everything in one transaction: a dead worker's import left
    nothing behind. The condition on the heartbeat makes two clicks requeue it once.
    """
    stalled_before = timezone.now() - STALLED_AFTER
    requeued = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.RUNNING, heartbeat_at__lt=stalled_before
    ).update(status=ImportJob.Status.QUEUED, phase="", processed_rows=0)
    if not requeued:
        return False
    job = ImportJob.objects.get(pk=job_id)
    AuditEntry.objects.create(
        actor=actor,
        action="import.requeued",
        target_type="clients.importjob",
        target_id=str(job.pk),
        target_repr=job.original_name[:300],
    )
    from kliento.clients.imports.tasks import run_import_job

    language = translation.get_language()
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk, language=language))
    return True


class JobProgress:
    """Writes progress to the job row, never inside the import's own transaction.

    While validating there is no transaction, so the default connection is used. While
    writing, PostgreSQL gets a second connection (its updates commit on their own and are seen
    by the progress page at once); SQLite allows one writer at a time, so the job is only
    updated at the ends of that phase, outside the transaction.
    """

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0
        self.side = None

    def __call__(self, phase: str, done: int) -> None:
        now = timezone.now().timestamp()
        if now - self.last < PROGRESS_SECONDS and done:
            return
        self.last = now
        if phase != WRITING:
            ImportJob.objects.filter(pk=self.job_id).update(
                phase=phase, processed_rows=done, heartbeat_at=timezone.now()
            )
        elif connection.vendor == "postgresql":
            if self.side is None:
                self.side = connections.create_connection("default")
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET phase = %s, processed_rows = %s, "
                    "heartbeat_at = %s WHERE id = %s",
                    [phase, done, timezone.now(), self.job_id],
                )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def process_job(job_id: int) -> ImportJob | None:
    """Run a queued job to the end; a job already claimed elsewhere is left alone."""
    if not claim_job(job_id):
        return None
    job = ImportJob.objects.get(pk=job_id)
    errors = ErrorCollector()
    progress = JobProgress(job.pk)
    try:
        request = ImportRequest(
            job.file.path, job.original_name, job.target, job.mapping, job.encoding
        )
        total = _count_rows(request)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=total)
        outcome = run_import(
            request,
            actor=job.created_by,
            errors=errors,
            progress=progress,
            data={"import_job": job.pk},
        )
    except (ImportRejected, FileProblem) as exc:
        _finish(job, errors, status=ImportJob.Status.FAILED, message=str(exc))
    except Exception:
        logger.exception("Import job %s failed", job.pk)
        errors.add(0, "", "", _("The import stopped on an internal error; nothing was saved."))
        _finish(job, errors, status=ImportJob.Status.FAILED, message="")
    else:
        job.created_rows = outcome.created
        job.updated_rows = outcome.updated
        job.summary = {
            "unchanged": outcome.unchanged,
            "clients": outcome.clients,
            "notes": outcome.notes,
        }
        _finish(job, errors, status=ImportJob.Status.DONE, message="", processed=outcome.rows)
    finally:
        progress.close()
        errors.close()
    return job


def _count_rows(request: ImportRequest) -> int:
    try:
        return open_table(request.source, request.filename, request.encoding).count_rows()
    except FileProblem:
        return 0  # run_import reports it with its message


def _finish(
    job: ImportJob, errors: ErrorCollector, *, status: str, message: str, processed: int = -1
) -> None:
    errors.flush()
    # Progress was written with queryset updates; keep what they recorded.
    job.refresh_from_db(fields=["total_rows", "processed_rows"])
    if processed >= 0:
        job.processed_rows = processed
    job.status = status
    job.message = message
    job.error_count = errors.count
    job.errors = [e.as_dict() for e in errors.first]
    job.finished_at = timezone.now()
    job.phase = ""
    if errors.count:
        with errors.path.open("rb") as handle:
            job.error_report.save(f"import-{job.pk}-errors.csv", File(handle), save=False)
    job.save()
