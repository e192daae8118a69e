"""The background task behind the import wizard."""

from __future__ import annotations

from django.tasks import task
from django.utils import translation


@task()
def run_import_job(job_id: int, language: str | None = None) -> str:
    """Safe to run twice: the job is claimed with a conditional update, so only one run works.

    `language` is that of the user who started it: the worker serves no request, and the row
    errors are read by that user.
    """
    from kliento.clients.imports.jobs import process_job

    with translation.override(language or None):
        job = process_job(job_id)
    return job.status if job else "skipped"
