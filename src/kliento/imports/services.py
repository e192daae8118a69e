"""Writes of the import wizard: upload a file as a job, queue it, requeue a stalled one."""

from __future__ import annotations

from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation

from kliento.core import audit
from kliento.core.types import Actor
from kliento.imports import tasks
from kliento.imports.models import STALLED_AFTER, ImportJob
from kliento.imports.registry import ImportTarget


@transaction.atomic
def create_job(
    *, actor: Actor, target: ImportTarget, upload: UploadedFile, encoding: str
) -> ImportJob:
    """Store the upload as a job and hand it to the worker, which reads its header and first
    rows for the mapping step (a request never reads an uploaded file: one can be built to
    take minutes and gigabytes to read, which the worker's limits stop)."""
    name = upload.name or "upload"
    job = ImportJob(
        target=target.key,
        original_name=name[:255],
        encoding=encoding,
        created_by=actor,
        status=ImportJob.Status.PREPARING,
    )
    job.file.save(name, upload, save=False)
    job.save()
    _enqueue_on_commit(job.pk, tasks.enqueue_preparation)
    return job


@transaction.atomic
def prepare_again(*, job: ImportJob) -> bool:
    """A job uploaded before the worker prepared files has no column names yet: prepare it."""
    changed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.UPLOADED, headers=[]
    ).update(status=ImportJob.Status.PREPARING, phase="")
    if changed:
        _enqueue_on_commit(job.pk, tasks.enqueue_preparation)
    return bool(changed)


def _enqueue_on_commit(
    job_id: int, enqueue: Callable[[int, str | None], None] = tasks.enqueue
) -> None:
    language = translation.get_language()  # the user's, for the worker's messages
    transaction.on_commit(lambda: enqueue(job_id, language))


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
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.is_stalled:  # is_stalled also looks at the worker's alive file
        return False
    stalled = ImportJob.objects.filter(pk=job_id, heartbeat_at__lt=timezone.now() - STALLED_AFTER)
    if job.status == ImportJob.Status.PREPARING:
        requeued = stalled.filter(status=job.status, phase=job.phase).update(phase="")
        enqueue = tasks.enqueue_preparation
    else:
        requeued = stalled.filter(status=ImportJob.Status.RUNNING).update(
            status=ImportJob.Status.QUEUED, phase="", processed_rows=0
        )
        enqueue = tasks.enqueue
    if not requeued:
        return False
    audit.record(actor=actor, action="import.requeued", target=job, target_repr=job.original_name)
    _enqueue_on_commit(job.pk, enqueue)
    return True
