"""The worker's side of an ImportJob: claim it (once), run it with progress, record the outcome.

Queuing and requeuing, which hand a job to the task, are in `services`; the task calls
`process_job` here. So this module imports neither, and the task imports it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from django.core.files import File
from django.db import DatabaseError, connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.imports.common import WRITING, ImportRejected
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.errors import ErrorCollector
from kliento.imports.models import ImportJob, alive_path
from kliento.imports.parsing import FileProblem, open_table
from kliento.imports.values import text

logger = logging.getLogger(__name__)
PROGRESS_SECONDS = 1.0
# Well under STALLED_AFTER: a job is stalled only when many beats in a row were missed.
HEARTBEAT_SECONDS = 30.0
PREVIEW_ROWS = 5
READING = "reading"
COUNTING = "counting"


class Heartbeat:
    """Shows the job is alive, from a thread of its own, whatever the worker is doing.

    Progress updates alone are not enough: some steps report none for minutes (reading a large
    workbook's shared strings, a target's checks after reading the rows, a writer's bulk
    statements). The beat touches the job's alive file and, except while writing into SQLite
    (whose one writer is the import), saves `heartbeat_at` on a connection of its own.
    """

    def __init__(self, job_id: int, phase: Callable[[], str]) -> None:
        self.job_id = job_id
        self.phase = phase
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"import-{job_id}-heartbeat", daemon=True
        )

    def __enter__(self) -> Heartbeat:
        self.beat(database=False)
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        alive_path(self.job_id).unlink(missing_ok=True)

    def _run(self) -> None:
        try:
            while not self._stop.wait(HEARTBEAT_SECONDS):
                self.beat()
        finally:
            connections.close_all()  # this thread's own

    def beat(self, *, database: bool = True) -> None:
        path = alive_path(self.job_id)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.touch()
        except OSError:
            logger.warning("Import job %s: cannot touch %s", self.job_id, path)
        if not database or (connection.vendor != "postgresql" and self.phase() == WRITING):
            return
        try:
            ImportJob.objects.filter(pk=self.job_id).update(heartbeat_at=timezone.now())
        except DatabaseError:  # e.g. SQLite busy with the import's own write; the file counts
            logger.info("Import job %s: heartbeat not saved this time", self.job_id)


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
        self.side: Any = None
        self.phase = ""

    def __call__(self, phase: str, done: int) -> None:
        if phase != self.phase:
            self.phase = phase
            self.last = 0.0  # a new phase shows at once
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
        with Heartbeat(job.pk, lambda: progress.phase):
            request = ImportRequest(
                job.file.path, job.original_name, job.target, job.mapping, job.encoding
            )
            total = _count_rows(request, progress)
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


def _count_rows(request: ImportRequest, progress: JobProgress) -> int:
    progress(COUNTING, 0)
    try:
        table = open_table(request.source, request.filename, request.encoding)
        return table.count_rows(lambda done: progress(COUNTING, done))
    except FileProblem:
        return 0  # run_import reports it with its message


def claim_preparation(job_id: int) -> bool:
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.PREPARING, phase=""
    ).update(phase=READING, started_at=now, heartbeat_at=now)
    return claimed == 1


def prepare_job(job_id: int) -> ImportJob | None:
    """Read the header row and the first rows of an uploaded file for the mapping step.

    The web request only stores the file: every read happens here, within the limits. A file
    that cannot be read fails the job with the reason, and is deleted.
    """
    if not claim_preparation(job_id):
        return None
    job = ImportJob.objects.get(pk=job_id)
    try:
        with Heartbeat(job.pk, lambda: READING):
            table = open_table(job.file.path, job.original_name, job.encoding)
            preview = table.preview(PREVIEW_ROWS)
    except FileProblem as exc:
        return _refuse(job, exc.message)
    except Exception:
        logger.exception("Import job %s: the file could not be prepared", job.pk)
        return _refuse(job, _("The file could not be read because of an internal error."))
    headers = table.headers or []
    job.headers = headers
    job.preview = [[n, [text(v) for v in values[: len(headers)]]] for n, values in preview]
    job.status = ImportJob.Status.UPLOADED
    job.phase = ""
    job.started_at = job.heartbeat_at = None
    job.save()
    return job


def _refuse(job: ImportJob, message: str) -> ImportJob:
    if job.file:
        job.file.delete(save=False)
    job.status = ImportJob.Status.FAILED
    job.message = message
    job.phase = ""
    job.finished_at = timezone.now()
    job.save()
    return job


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
