"""The background task behind the import wizard."""

from __future__ import annotations

from django.tasks import task


@task()
def run_import_job(job_id: int) -> str:
    """Safe to run twice: the job is claimed with a conditional update, so only one run works."""
    from kliento.customers.imports.jobs import process_job

    job = process_job(job_id)
    return job.status if job else "skipped"
