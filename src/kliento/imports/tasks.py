"""The background task behind the import wizard.

Import order is one way: services → tasks → jobs → engine. The task imports the worker code at
module level; nothing it imports imports it back.
"""

from __future__ import annotations

from django.tasks import task
from django.utils import translation

from kliento.imports.jobs import prepare_job, process_job


@task()
def run_import_job(job_id: int, language: str | None = None) -> str:
    """Safe to run twice: the job is claimed with a conditional update, so only one run works.

    `language` is that of the user who started it: the worker serves no request, and the row
    errors are read by that user.
    """
    with translation.override(language or None):
        job = process_job(job_id)
    return job.status if job else "skipped"


@task()
def prepare_import_job(job_id: int, language: str | None = None) -> str:
    """Read the uploaded file's header and first rows; safe to run twice, like the import."""
    with translation.override(language or None):
        job = prepare_job(job_id)
    return job.status if job else "skipped"


def enqueue(job_id: int, language: str | None) -> None:
    run_import_job.enqueue(job_id, language=language)


def enqueue_preparation(job_id: int, language: str | None) -> None:
    prepare_import_job.enqueue(job_id, language=language)
