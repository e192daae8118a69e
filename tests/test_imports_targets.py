"""Import targets: any app can register one and get the wizard, the CLI and exports for free.

The target registered here exists only in these tests; nothing else in Kliento knows it, which
is the point: it goes through the same upload → mapping → task → commit path and the same
`kliento import` command as clients and purchases.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django_tasks_db.models import DBTaskResult

from kliento.core import roles
from kliento.core.navigation import MenuItem, menu, menu_for, register_menu_item
from kliento.imports import values as v
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.jobs import prepare_job
from kliento.imports.models import ImportJob
from kliento.imports.registry import (
    VALIDATING,
    Columns,
    ErrorCollector,
    FieldSpec,
    ImportOutcome,
    ImportRejected,
    ImportTarget,
    Progress,
    Table,
    register_target,
    targets,
)
from kliento.imports.tasks import run_import_job
from tests.factories import UserFactory
from tests.imports_helpers import csv_bytes, make_job, write_csv

NOTES = "notes"
# What the throw-away target "stores": the rows its writer received, and in which transaction.
WRITTEN: list[dict[str, Any]] = []
ONLY_ADMINS = "core.change_orgunit"  # an administrator has it, a manager does not


class NoteValidator:
    def __init__(self, table: Table, mapping: dict[str, str], errors: ErrorCollector) -> None:
        self.table = table
        self.cols = Columns(table.headers or [], mapping)
        self.errors = errors

    def run(self, progress: Progress) -> list[dict[str, Any]]:
        rows = []
        for number, values in self.table.rows():
            title = v.text(self.cols.get(values, "title"))
            if not title:
                self.errors.add(number, self.cols.header["title"], "", "A note needs a title.")
                continue
            row: dict[str, Any] = {"title": title}
            raw = self.cols.get(values, "amount")
            if v.text(raw):
                try:
                    row["amount"] = v.parse_amount(raw)
                except v.ValueProblem as exc:
                    self.errors.add(number, self.cols.header["amount"], v.text(raw), str(exc))
            rows.append(row)
        progress(VALIDATING, len(rows))
        return rows


def write_notes(
    rows: list[dict[str, Any]],
    /,
    *,
    actor: Any,
    filename: str,
    data: dict[str, Any],
    progress: Progress,
) -> ImportOutcome:
    if any(row["title"] == "collide" for row in rows):
        raise IntegrityError("UNIQUE constraint failed: notes.title")
    in_transaction = transaction.get_connection().in_atomic_block
    WRITTEN.extend({**row, "file": filename, "in_transaction": in_transaction} for row in rows)
    return ImportOutcome(rows=len(rows), created=len(rows), notes=["Filed under misc."])


def export_notes(user: Any, params: Any) -> tuple[list[str], list[list[Any]]]:
    rows = [[row["title"], row.get("amount", "")] for row in WRITTEN]
    if params.get("title"):
        rows = [row for row in rows if row[0] == params["title"]]
    return ["title", "amount"], rows


@pytest.fixture
def notes_target():
    WRITTEN.clear()
    target = register_target(
        ImportTarget(
            key=NOTES,
            label=gettext_lazy("Notes"),
            import_permission=ONLY_ADMINS,
            export_permission=ONLY_ADMINS,
            fields=(
                FieldSpec("title", "Title", True, ("heading", "заголовок")),
                FieldSpec("amount", "Amount"),
            ),
            validator=NoteValidator,
            writer=write_notes,
            exporter=export_notes,
            hint="Titles are free text.",
            done_url_name="home",
            done_label="Back home",
        )
    )
    yield target
    targets.unregister(NOTES)
    WRITTEN.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=roles.ADMINISTRATOR)


@pytest.fixture
def as_admin(administrator) -> HttpClient:
    http = HttpClient()
    http.force_login(administrator)
    return http


@pytest.fixture
def notes_only(db):
    """May import notes (holds that permission directly), has no role and nothing else."""
    user = UserFactory(username="noter")
    user.user_permissions.add(Permission.objects.get(codename="change_orgunit"))
    return user


@pytest.fixture
def as_notes_only(notes_only) -> HttpClient:
    http = HttpClient()
    http.force_login(notes_only)
    return http


def upload(http, content: bytes, *, target: str, name: str = "notes.csv"):
    return http.post(
        reverse("imports:new"),
        {"target": target, "encoding": "utf-8", "file": SimpleUploadedFile(name, content)},
    )


# --- the whole path, for a target no other file knows -------------------------------------


def test_a_registered_target_goes_through_the_wizard_and_the_task(
    as_admin, notes_target, django_capture_on_commit_callbacks
):
    form = as_admin.get(reverse("imports:new")).context["form"]
    assert NOTES in dict(form.fields["target"].choices)
    content = csv_bytes([["Heading", "Amount", "Junk"], ["Call back", "12,50", "x"], ["Visit", ""]])
    response = upload(as_admin, content, target=NOTES)
    job = ImportJob.objects.get()
    assert job.target == NOTES
    assert response.url == reverse("imports:mapping", args=[job.pk])
    prepare_job(job.pk)  # the worker reads the header and the first rows
    page = as_admin.get(response.url)
    assert "Titles are free text." in page.text  # the target's hint
    form = page.context["form"]
    assert [form[f"col_{n}"].initial for n in range(3)] == ["title", "amount", ""]  # synonyms
    with django_capture_on_commit_callbacks(execute=True):
        as_admin.post(
            reverse("imports:mapping", args=[job.pk]),
            {"col_0": "title", "col_1": "amount", "col_2": ""},
        )
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "kliento.imports.tasks.run_import_job"
    assert not WRITTEN  # nothing before the worker runs
    assert (
        run_import_job.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"]) == "done"
    )
    assert [(row["title"], str(row.get("amount"))) for row in WRITTEN] == [
        ("Call back", "12.50"),
        ("Visit", "None"),
    ]
    assert all(row["in_transaction"] and row["file"] == "notes.csv" for row in WRITTEN)
    job.refresh_from_db()
    assert (job.status, job.created_rows, job.summary["notes"]) == (
        "done",
        2,
        ["Filed under misc."],
    )
    detail = as_admin.get(reverse("imports:detail", args=[job.pk]))
    assert "2 created" in detail.text and "Back home" in detail.text
    assert "Open the client list" not in detail.text
    listing = as_admin.get(reverse("imports:list"))
    assert "notes.csv" in listing.text and "Notes" in listing.text


def test_row_errors_of_a_registered_target_reject_the_whole_file(as_admin, notes_target, manager):
    content = csv_bytes([["title", "amount"], ["Fine", "1"], ["", "2"], ["Bad", "lots"]])
    job = make_job(manager, content, target=NOTES, mapping={"title": "title", "amount": "amount"})
    assert run_import_job.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.error_count == 2
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "title"), (4, "amount")]
    assert not WRITTEN
    report = as_admin.get(reverse("imports:report", args=[job.pk]))
    lines = b"".join(report.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].startswith("3,title,,A note needs a title.")


def test_a_write_conflict_in_a_target_rejects_the_file(notes_target, tmp_path, db):
    path = write_csv(tmp_path, [["title"], ["collide"]])
    errors = ErrorCollector()
    with pytest.raises(ImportRejected, match="could not be saved"):
        run_import(ImportRequest(path, path.name, NOTES), actor=None, errors=errors)
    errors.close()
    assert not WRITTEN


@pytest.mark.django_db(transaction=True)
def test_the_writer_runs_in_a_transaction_the_machinery_opens(notes_target, tmp_path):
    path = write_csv(tmp_path, [["title"], ["Only"]])
    errors = ErrorCollector()
    run_import(ImportRequest(path, path.name, NOTES), actor=None, errors=errors)
    errors.close()
    assert WRITTEN[0]["in_transaction"] is True
    assert not transaction.get_connection().in_atomic_block


def test_a_registered_target_imports_from_the_command_line(notes_target, tmp_path, db):
    path = write_csv(tmp_path, [["заголовок"], ["Один"], ["Два"]])
    out = io.StringIO()
    call_command("import", NOTES, str(path), "--no-progress", stdout=out)
    assert "Rows imported: 2 (created: 2, updated: 0, unchanged: 0)." in out.getvalue()
    assert "Client timelines" not in out.getvalue()  # this target writes none
    assert "Filed under misc." in out.getvalue()
    assert [row["title"] for row in WRITTEN] == ["Один", "Два"]
    bad = write_csv(tmp_path, [["title", "amount"], ["", "1"]], name="bad.csv")
    with pytest.raises(CommandError, match="1 errors found"):
        call_command("import", NOTES, str(bad), "--no-progress", stderr=io.StringIO())


def test_a_registered_target_exports(as_admin, as_manager, notes_target):
    WRITTEN.extend([{"title": "=1+2", "amount": 3}, {"title": "Plain"}])
    url = reverse("imports:export", args=[NOTES])
    lines = b"".join(as_admin.get(url).streaming_content).decode("utf-8-sig").splitlines()
    assert lines == ["title,amount", "'=1+2,3", "Plain,"]  # formula guard applies to every target
    one = as_admin.get(url, {"title": "Plain", "format": "xlsx"})
    assert one.status_code == 200 and one["Content-Disposition"].startswith(
        'attachment; filename="notes-'
    )
    assert as_manager.get(url).status_code == 403
    listing = as_admin.get(reverse("imports:list"))
    assert url in listing.text  # an export button per target the user may export


# --- unknown targets -----------------------------------------------------------------------


def test_unknown_targets_are_404_and_a_clear_cli_error(as_manager, manager, tmp_path):
    assert as_manager.get(reverse("imports:new"), {"target": "cats"}).status_code == 404
    assert upload(as_manager, b"name\nA\n", target="cats").status_code == 404
    assert as_manager.get(reverse("imports:export", args=["cats"])).status_code == 404
    orphan = make_job(manager, b"name\nA\n", target="cats", status="failed")
    for name in ("imports:detail", "imports:mapping", "imports:report"):
        assert as_manager.get(reverse(name, args=[orphan.pk])).status_code == 404
    assert as_manager.post(reverse("imports:retry", args=[orphan.pk])).status_code == 404
    assert "cats" not in as_manager.get(reverse("imports:list")).text
    assert not ImportJob.objects.exclude(pk=orphan.pk).exists()
    path = write_csv(tmp_path, [["name"], ["A"]])
    with pytest.raises(CommandError, match="Unknown import target “cats”; use one of: clients"):
        call_command("import", "cats", str(path), "--no-progress")


def test_a_job_whose_target_is_gone_fails_with_a_message(manager):
    job = make_job(manager, b"name\nA\n", target="cats", mapping={"name": "name"})
    assert run_import_job.call(job.pk) == "failed"
    job.refresh_from_db()
    assert job.message == "Nothing can be imported as “cats”."


def test_a_target_without_an_exporter_has_no_export(as_admin, notes_target):
    targets.unregister(NOTES)
    register_target(
        ImportTarget(
            key=NOTES,
            label="Notes",
            import_permission=ONLY_ADMINS,
            fields=notes_target.fields,
            validator=NoteValidator,
            writer=write_notes,
        )
    )
    assert as_admin.get(reverse("imports:export", args=[NOTES])).status_code == 404
    assert reverse("imports:export", args=[NOTES]) not in as_admin.get(reverse("imports:list")).text


# --- permission per target -----------------------------------------------------------------


def test_who_may_import_clients_but_not_notes_is_refused_notes(as_manager, manager, notes_target):
    form = as_manager.get(reverse("imports:new")).context["form"]
    offered = set(dict(form.fields["target"].choices))
    assert {"clients", "purchases"} <= offered and NOTES not in offered
    assert as_manager.get(reverse("imports:new"), {"target": NOTES}).status_code == 403
    assert upload(as_manager, b"title\nA\n", target=NOTES).status_code == 403
    assert not ImportJob.objects.exists()
    job = make_job(manager, b"title\nA\n", target=NOTES, status="uploaded")
    job.error_report.save("r.csv", SimpleUploadedFile("r.csv", b"Row\n"))
    for name in ("imports:detail", "imports:mapping", "imports:report"):
        assert as_manager.get(reverse(name, args=[job.pk])).status_code == 403, name
    assert as_manager.post(reverse("imports:mapping", args=[job.pk]), {}).status_code == 403
    assert as_manager.post(reverse("imports:retry", args=[job.pk])).status_code == 403
    assert "r.csv" not in as_manager.get(reverse("imports:list")).text
    assert job.original_name not in as_manager.get(reverse("imports:list")).text
    job.refresh_from_db()
    assert job.status == ImportJob.Status.UPLOADED


def test_who_may_import_only_notes_gets_the_wizard_for_notes_only(
    as_notes_only, manager, notes_target
):
    listing = as_notes_only.get(reverse("imports:list"))
    assert listing.status_code == 200
    assert reverse("imports:export", args=["clients"]) not in listing.text
    form = as_notes_only.get(reverse("imports:new")).context["form"]
    assert list(dict(form.fields["target"].choices)) == [NOTES]
    assert form["target"].initial == NOTES
    assert upload(as_notes_only, b"name\nA\n", target="clients").status_code == 403
    clients_job = make_job(manager, b"name\nA\n", name="people.csv", status="failed")
    assert as_notes_only.get(reverse("imports:detail", args=[clients_job.pk])).status_code == 403
    assert "people.csv" not in listing.text
    export = reverse("imports:export", args=["clients"])
    assert as_notes_only.get(export).status_code == 403
    assert upload(as_notes_only, b"title\nA\n", target=NOTES).status_code == 302


@pytest.mark.parametrize("who", ["agent", "auditor", "outsider"])
def test_no_importable_target_no_wizard(request, who, notes_target):
    http = request.getfixturevalue(f"as_{who}")
    assert http.get(reverse("imports:list")).status_code == 403
    assert http.get(reverse("imports:new")).status_code == 403
    assert upload(http, b"title\nA\n", target=NOTES).status_code == 403


def test_anonymous_is_sent_to_log_in(client, notes_target):
    for url in (reverse("imports:list"), reverse("imports:export", args=[NOTES])):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.url


# --- the menu entry ------------------------------------------------------------------------


def _menu_keys(user) -> set[str]:
    request = RequestFactory().get("/")
    request.user = user
    return {entry["key"] for group in menu_for(request) for entry in group["items"]}


def test_the_import_entry_shows_to_whoever_may_import_into_some_target(
    manager, agent, auditor, outsider, notes_only, notes_target
):
    assert "imports" in _menu_keys(manager)
    assert "imports" in _menu_keys(notes_only)
    for user in (agent, auditor, outsider):
        assert "imports" not in _menu_keys(user)
    targets.unregister(NOTES)
    assert "imports" not in _menu_keys(notes_only)


def test_a_menu_item_needs_its_permission_and_its_test(manager, agent):
    item = MenuItem(
        key="test.visible",
        label="Visible test",
        url_name="home",
        permission="clients.view_client",
        visible=lambda user: user.username == "manager",
        group="setup",
    )
    register_menu_item(item)
    try:
        assert "test.visible" in _menu_keys(manager)
        assert "test.visible" not in _menu_keys(agent)  # has the permission, fails the test
    finally:
        menu.unregister("test.visible")


# --- registering ---------------------------------------------------------------------------


def test_registering_checks_the_target(notes_target):
    with pytest.raises(ImproperlyConfigured):
        register_target(
            ImportTarget(
                key=NOTES,
                label="Other notes",
                import_permission=ONLY_ADMINS,
                fields=notes_target.fields,
                validator=NoteValidator,
                writer=write_notes,
            )
        )
    base = {
        "label": "x",
        "import_permission": ONLY_ADMINS,
        "validator": NoteValidator,
        "writer": write_notes,
    }
    field = FieldSpec("a", "A")
    with pytest.raises(ValueError, match="key"):
        register_target(ImportTarget(key="Bad Key", fields=(field,), **base))
    with pytest.raises(ValueError, match="distinct"):
        register_target(ImportTarget(key="dupes", fields=(field, field), **base))
    with pytest.raises(ValueError, match="permission"):
        register_target(ImportTarget(key="leaky", fields=(field,), exporter=export_notes, **base))
    assert {"dupes", "leaky"}.isdisjoint(targets.keys())
