from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from kliento.clients.imports.jobs import claim_job
from kliento.clients.imports.tasks import run_import_job
from kliento.clients.models import Client, ImportJob
from kliento.core.models import AuditEntry
from tests.imports_helpers import make_job


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def running_job(manager, *, silent_for: dt.timedelta) -> ImportJob:
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    assert claim_job(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - silent_for)
    return ImportJob.objects.get(pk=job.pk)


def test_a_job_with_a_recent_heartbeat_is_not_requeued(as_manager, manager):
    job = running_job(manager, silent_for=dt.timedelta(minutes=2))
    page = as_manager.get(reverse("imports:detail", args=[job.pk]))
    assert b"import-stalled" not in page.content

    as_manager.post(reverse("imports:retry", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING
    assert not AuditEntry.objects.exists()


def test_a_stalled_job_runs_again_once(as_manager, manager, django_capture_on_commit_callbacks):
    job = running_job(manager, silent_for=dt.timedelta(hours=1))
    page = as_manager.get(reverse("imports:detail", args=[job.pk]))
    assert b"import-stalled" in page.content

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_manager.post(reverse("imports:retry", args=[job.pk]))
        as_manager.post(reverse("imports:retry", args=[job.pk]))  # a double click

    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert len(callbacks) == 1
    assert AuditEntry.objects.get().action == "import.requeued"
    assert run_import_job.call(job.pk) == "done"
    assert Client.objects.filter(name="A").count() == 1


def test_agent_cannot_requeue(as_agent, manager):
    job = running_job(manager, silent_for=dt.timedelta(hours=1))
    assert as_agent.post(reverse("imports:retry", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_retry_needs_post(as_manager, manager):
    job = running_job(manager, silent_for=dt.timedelta(hours=1))
    assert as_manager.get(reverse("imports:retry", args=[job.pk])).status_code == 405
