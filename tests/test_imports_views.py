from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from kliento.clients.models import Client, Purchase, TimelineEntry
from kliento.imports.jobs import claim_job, prepare_job, process_job
from kliento.imports.models import ImportJob
from kliento.imports.tasks import prepare_import_job, run_import_job
from tests.factories import ClientFactory
from tests.imports_helpers import csv_bytes, damaged_xlsx_bytes, make_job, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(http, content: bytes, name="clients.csv", target="clients", encoding="utf-8"):
    return http.post(
        reverse("imports:new"),
        {"target": target, "encoding": encoding, "file": SimpleUploadedFile(name, content)},
    )


@pytest.mark.parametrize("url", ["imports:list", "imports:new"])
def test_agent_and_outsider_get_403_anonymous_is_redirected(client, as_agent, as_outsider, url):
    assert as_agent.get(reverse(url)).status_code == 403
    assert as_outsider.get(reverse(url)).status_code == 403
    response = client.get(reverse(url))
    assert response.status_code == 302 and "/login" in response.url


def test_agent_cannot_export_or_see_a_job(as_agent, as_auditor, manager):
    job = make_job(manager, b"name\nA\n")
    assert as_agent.get(reverse("imports:export", args=["clients"])).status_code == 403
    assert as_auditor.get(reverse("imports:export", args=["purchases"])).status_code == 403
    assert as_agent.get(reverse("imports:detail", args=[job.pk])).status_code == 403
    assert as_agent.post(reverse("imports:mapping", args=[job.pk])).status_code == 403


def upload_and_prepare(http, content: bytes, **kwargs) -> ImportJob:
    """Upload through the wizard, then let the worker read the file, as its task would."""
    response = upload(http, content, **kwargs)
    assert response.status_code == 302, response.content
    job = ImportJob.objects.latest("pk")
    prepare_job(job.pk)
    job.refresh_from_db()
    return job


def test_wizard_from_upload_to_done(as_manager, manager, django_capture_on_commit_callbacks):
    content = csv_bytes([["Full name", "E-mail", "Ref"], ["Anna", "anna@example.com", "R1"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(as_manager, content)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:mapping", args=[job.pk])
    # The request stored the file; the worker reads it, and the page says so meanwhile.
    assert job.status == ImportJob.Status.PREPARING and job.headers == []
    waiting = as_manager.get(response.url)
    assert "Waiting for the worker to read the file" in waiting.text
    assert 'hx-trigger="every 1s"' in waiting.text and "form" not in waiting.context
    preparation = DBTaskResult.objects.get()
    assert preparation.task_path == "kliento.imports.tasks.prepare_import_job"
    assert prepare_import_job.call(*preparation.args_kwargs["args"]) == "uploaded"
    poll = as_manager.get(response.url, HTTP_HX_REQUEST="true")
    assert poll.headers["HX-Refresh"] == "true"  # ready: the page reloads with the form
    preparation.delete()
    page = as_manager.get(response.url)
    assert page.status_code == 200
    assert "anna@example.com" in page.text  # the preview
    form = page.context["form"]
    assert [form[f"col_{n}"].initial for n in range(3)] == ["name", "email", "external_ref"]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = as_manager.post(
            reverse("imports:mapping", args=[job.pk]),
            {"col_0": "name", "col_1": "email", "col_2": "external_ref"},
        )
    assert response.status_code == 302
    assert len(callbacks) == 1  # the task is enqueued only after the commit
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "kliento.imports.tasks.run_import_job"
    assert queued.args_kwargs["args"] == [job.pk]
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED
    assert job.mapping == {"Full name": "name", "E-mail": "email", "Ref": "external_ref"}
    progress = as_manager.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in progress.text
    process_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.created_rows, job.total_rows) == ("done", 1, 1)
    assert Client.objects.get(external_ref="R1").contacts.get().value == "anna@example.com"
    done = as_manager.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "every 1s" not in done.text and "1 created" in done.text
    assert "f.csv" not in done.text
    listing = as_manager.get(reverse("imports:list"))
    assert "clients.csv" in listing.text


def test_mapping_must_cover_required_fields(as_manager, manager):
    job = make_job(manager, b"a,b\n1,2\n", status="uploaded")
    response = as_manager.post(
        reverse("imports:mapping", args=[job.pk]), {"col_0": "", "col_1": ""}
    )
    assert response.status_code == 200
    assert "required field" in response.text
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_bad_rows_show_errors_and_a_downloadable_report(as_manager, manager):
    client = ClientFactory(external_ref="C1")
    rows = [["client", "date", "amount"], ["C1", "2025-01-01", "5"]]
    rows += [["C1", "bad date", "5"] for _ in range(60)]
    job = make_job(
        manager,
        csv_bytes(rows),
        target="purchases",
        name="p.csv",
        mapping={"client": "client", "date": "occurred_on", "amount": "amount"},
    )
    process_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.error_count == 60 and len(job.errors) == 50
    assert job.errors[0] == {
        "row": 3,
        "column": "date",
        "value": "bad date",
        "message": "“bad date” is not a date; use 2026-03-31, 31.03.2026 or 31/03/2026.",
    }
    assert not Purchase.objects.exists()
    assert not TimelineEntry.objects.filter(client=client).exists()
    page = as_manager.get(reverse("imports:detail", args=[job.pk]))
    assert "60 errors found" in page.text and "bad date" in page.text
    report = as_manager.get(reverse("imports:report", args=[job.pk]))
    assert report.status_code == 200
    lines = b"".join(report.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "Row,Column,Value,Error" and len(lines) == 61
    assert lines[-1].startswith("62,date,bad date,")


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        ("name\nЖанна\n".encode("cp1251"), "c.csv", "not UTF-8"),
        (b"PK\x03\x04garbage", "x.xlsx", "not a readable XLSX"),
        (damaged_xlsx_bytes([["name"], ["Anna"]], keep=0.5), "x.xlsx", "not a readable XLSX"),
        (b"name,no\x00tes\nAnna,x\n", "c.csv", "NUL"),
    ],
)
def test_upload_of_unreadable_files(as_manager, content, name, expected):
    """The worker finds out: the job fails with the reason, and the file is not kept."""
    job = upload_and_prepare(as_manager, content, name=name)
    assert job.status == ImportJob.Status.FAILED
    assert expected in job.message
    assert not job.file
    page = as_manager.get(reverse("imports:mapping", args=[job.pk]), follow=True)
    assert expected in page.text


def test_upload_of_another_kind_of_file_is_refused_at_once(as_manager):
    response = upload(as_manager, b"whatever", name="x.pdf")
    assert "Upload a .csv or .xlsx file" in response.text
    assert not ImportJob.objects.exists()


def test_upload_in_legacy_encoding_when_chosen(as_manager):
    response = upload(as_manager, "name\nЖанна\n".encode("cp1251"), encoding="cp1251")
    assert response.status_code == 302
    assert ImportJob.objects.get().encoding == "cp1251"


def test_xlsx_upload_is_previewed(as_manager):
    job = upload_and_prepare(as_manager, xlsx_bytes([["Name"], ["Ewa"]]), name="c.xlsx")
    page = as_manager.get(reverse("imports:mapping", args=[job.pk]))
    assert "Ewa" in page.text


def test_oversized_upload_is_refused(as_manager, settings):
    settings.KLIENTO_MAX_UPLOAD_BYTES = 1000
    response = upload(as_manager, b"name\n" + b"x" * 2000 + b"\n")
    assert response.status_code == 200
    assert "larger than" in response.text
    huge = b"name\n" + b"x" * 200_000 + b"\n"
    response = upload(as_manager, huge)
    assert response.status_code == 413
    assert "larger than" in response.text
    assert not ImportJob.objects.exists()


def test_a_job_is_claimed_once(manager):
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    assert claim_job(job.pk) is True
    assert claim_job(job.pk) is False
    assert process_job(job.pk) is None  # already running elsewhere: left alone
    assert not Client.objects.exists()


def test_task_runs_the_job_and_a_second_run_does_nothing(manager):
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    assert run_import_job.call(job.pk) == "done"
    assert run_import_job.call(job.pk) == "skipped"
    assert Client.objects.filter(name="A").count() == 1
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.IMPORTED).count() == 1


def test_progress_is_recorded_per_phase(manager, monkeypatch):
    rows = [["name"]] + [[f"C{n}"] for n in range(20)]
    job = make_job(manager, csv_bytes(rows), mapping={"name": "name"})
    seen = []
    from kliento.imports import jobs

    original = jobs.JobProgress.__call__

    def spy(self, phase, done):
        seen.append((phase, done))
        original(self, phase, done)

    monkeypatch.setattr(jobs.JobProgress, "__call__", spy)
    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    process_job(job.pk)
    assert ("validating", 20) in seen and ("writing", 20) in seen
    job.refresh_from_db()
    assert (job.processed_rows, job.total_rows, job.phase) == (20, 20, "")


@pytest.mark.django_db(transaction=True)
def test_progress_while_writing_never_blocks_and_is_visible_on_postgresql(manager):
    """Inside the import's transaction, PostgreSQL progress goes through a second connection
    (visible at once to other sessions); SQLite skips it rather than wait for its own lock."""
    from django.db import connection, connections, transaction

    from kliento.imports.jobs import JobProgress

    job = make_job(manager, b"name\nA\n", status="running")
    reporter = JobProgress(job.pk)
    try:
        with transaction.atomic():
            reporter("writing", 7)
            observer = connections.create_connection("default")
            try:
                with observer.cursor() as cursor:
                    cursor.execute(
                        f"SELECT processed_rows, phase FROM {ImportJob._meta.db_table} "
                        "WHERE id = %s",
                        [job.pk],
                    )
                    seen = cursor.fetchone()
            finally:
                observer.close()
    finally:
        reporter.close()
    if connection.vendor == "postgresql":
        assert seen == (7, "writing")
    else:
        assert seen == (0, "")


def test_an_unexpected_failure_fails_the_job_and_writes_nothing(manager, monkeypatch):
    from kliento.imports import jobs

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "run_import", explode)
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    process_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.errors[0]["message"].startswith("The import stopped on an internal error")
    assert job.error_report
    assert not Client.objects.exists()


def test_a_job_whose_file_vanished_fails_cleanly(manager):
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    job.file.delete(save=False)
    process_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_vanished_upload_or_report_is_a_page_not_a_500(as_manager, manager):
    """MEDIA_ROOT lost or not shared between servers: say so instead of failing."""
    job = make_job(manager, b"name\nA\n", status="uploaded")
    job.file.delete(save=False)
    response = as_manager.get(reverse("imports:mapping", args=[job.pk]))
    assert response.status_code == 200
    assert "upload it again" in response.text
    done = make_job(manager, b"name\nA\n", status="failed")
    done.error_report.save("report.csv", ContentFile(b"Row,Error\n"))
    done.error_report.delete(save=False)
    done.error_report = "imports/errors/gone.csv"
    done.save()
    assert as_manager.get(reverse("imports:report", args=[done.pk])).status_code == 404


@pytest.fixture
def debug_urls(settings):
    """The URLconf as it is built with DEBUG on (it is read once, at import)."""
    import importlib

    from django.urls import clear_url_caches

    import kliento.urls

    settings.DEBUG = True
    importlib.reload(kliento.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(kliento.urls)
    clear_url_caches()


def test_uploads_and_error_reports_are_never_served_as_plain_media(
    client, as_outsider, as_agent, manager, debug_urls
):
    """Import files and error reports hold client data; only the permission-checked views
    may hand them out, also with DEBUG on."""
    job = make_job(manager, b"name,email\nAnna,anna@example.com\n", status="failed")
    job.error_report.save("report.csv", ContentFile(b"Row,Error\n2,bad\n"))
    for path in (job.file.name, job.error_report.name):
        for http in (client, as_outsider, as_agent):
            response = http.get(f"/media/{path}")
            assert response.status_code in (302, 403, 404), path
            assert b"anna@example.com" not in b"".join(getattr(response, "streaming_content", []))
    assert as_agent.get(reverse("imports:report", args=[job.pk])).status_code == 403


def test_a_queued_import_reports_in_the_language_of_who_started_it(
    as_manager, manager, django_capture_on_commit_callbacks
):
    """The worker has no request; the row errors must still be in the user's language."""
    from django.utils import translation

    ClientFactory(external_ref="C1")
    rows = [["client", "date", "amount"], ["C1", "bad date", "5"]]
    job = make_job(manager, csv_bytes(rows), target="purchases", status="uploaded")
    as_manager.cookies["django_language"] = "pl"
    with django_capture_on_commit_callbacks(execute=True):
        as_manager.post(
            reverse("imports:mapping", args=[job.pk]),
            {"col_0": "client", "col_1": "occurred_on", "col_2": "amount"},
        )
    queued = DBTaskResult.objects.get()
    with translation.override("en"):  # as in the worker, which serves no request
        run_import_job.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    job.refresh_from_db()
    template = "“%(value)s” is not a date; use 2026-03-31, 31.03.2026 or 31/03/2026."
    with translation.override("pl"):
        polish = translation.gettext(template) % {"value": "bad date"}
    assert polish != template % {"value": "bad date"}
    assert job.errors[0]["message"] == polish
