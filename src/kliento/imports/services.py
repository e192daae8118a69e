"""Writes of the import wizard: upload a file as a job, queue it, requeue a stalled one."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation

from kliento.core import audit
from kliento.core.types import Actor
from kliento.imports import tasks
from kliento.imports.models import STALLED_AFTER, ImportJob
from kliento.imports.parsing import open_table
from kliento.imports.registry import ImportTarget

PREVIEW_ROWS = 5


@transaction.atomic
def create_job(
    *, actor: Actor, target: ImportTarget, upload: UploadedFile, encoding: str
) -> ImportJob:
    """Store the upload as a job waiting for its column mapping.

    Raises FileProblem (and keeps nothing) when the header and the first rows, which the
    mapping step shows, cannot be read.
    """
    name = upload.name or "upload"
    job = ImportJob(
        target=target.key, original_name=name[:255], encoding=encoding, created_by=actor
    )
    job.file.save(name, upload, save=False)
    try:
        open_table(job.file.path, job.original_name, job.encoding).preview(PREVIEW_ROWS)
    except Exception:
        job.file.delete(save=False)
        raise
    job.save()
    return job


def _enqueue_on_commit(job_id: int) -> None:
    language = translation.get_language()  # the user's, for the worker's messages
    transaction.on_commit(lambda: tasks.enqueue(job_id, language))


@transaction.atomic
def queue_job(*, job: ImportJob, mapping: dict[str, str]) -> None:
    """Save the mapping and hand the job to the task worker once this transaction commits."""
    job.mapping = mapping
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["mapping", "status"])
    _enqueue_on_commit(job.pk)


@transaction.atomic
def requeue_stalled_job(*, actor: Actor, job_id: int) -> bool:
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
    audit.record(actor=actor, action="import.requeued", target=job, target_repr=job.original_name)
    _enqueue_on_commit(job.pk)
    return True
