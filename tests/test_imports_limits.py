"""Hostile import files: each is generated here, small, with the limit it tests set low.

Time and memory are asserted through what was read: the refusal comes before the reader gets
past the limit (rows yielded, chunks unpacked, parts opened), never through wall-clock time.
"""

from __future__ import annotations

import datetime as dt
import io
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from kliento.clients.models import Client
from kliento.imports import jobs, xlsx
from kliento.imports.common import ImportRejected
from kliento.imports.jobs import Heartbeat, JobProgress, prepare_job, process_job
from kliento.imports.limits import Limits, column_letter
from kliento.imports.models import ImportJob, alive_path
from kliento.imports.parsing import FileProblem, open_table
from tests.imports_helpers import do_import, make_job

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FORMULA = "Formula without a saved value — open and save the file in a spreadsheet program."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def cell(ref: str, value: object) -> str:
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def rows_xml(rows: list[list[object]], start: int = 1) -> str:
    return "".join(
        f'<row r="{n}">'
        + "".join(cell(f"{column_letter(c)}{n}", v) for c, v in enumerate(row, 1) if v != "")
        + "</row>"
        for n, row in enumerate(rows, start)
    )


def raw_xlsx(
    sheet_data: str,
    *,
    dimension: str = "A1",
    shared_strings: str | None = None,
) -> bytes:
    """A workbook written part by part, as a hostile (or careless) program would."""
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="{dimension}"/>'
        f"<sheetData>{sheet_data}</sheetData></worksheet>"
    )
    rels = [f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>']
    if shared_strings is not None:
        rels.append(f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="shared.xml"/>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels)
            + "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        if shared_strings is not None:
            archive.writestr("xl/shared.xml", shared_strings)
    return buffer.getvalue()


def save(tmp_path: Path, content: bytes, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def refusal(path: Path) -> tuple[list[tuple[int, list]], FileProblem]:
    """The rows read before the file was refused, and the refusal."""
    seen: list[tuple[int, list]] = []
    with pytest.raises(FileProblem) as caught:
        for row in open_table(path, path.name).rows():
            seen.append(row)
    return seen, caught.value


def test_a_far_cell_under_a_huge_dimension_is_refused_without_padding(tmp_path, db):
    rows = rows_xml([["name"], ["Anna"], ["Ben"]])
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    path = save(tmp_path, raw_xlsx(rows + far, dimension="A1:XFD1048576"), "far.xlsx")

    seen, problem = refusal(path)

    # No row was padded to the declared 16,384 columns (rows 2 and 3 share the far cell's
    # chunk of XML, which is refused as a whole).
    assert all(len(values) == 1 for _number, values in seen)
    assert problem.message == (
        "Row 1,048,576 reaches column XFD (16,384 columns); the limit is 500 columns. "
        "Remove the columns you do not need or split the file."
    )
    result, errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert errors == [(1048576, "", problem.message)]
    assert not Client.objects.exists()


def test_a_huge_dimension_and_far_empty_cells_cost_nothing(tmp_path):
    rows = rows_xml([["name"], ["Anna"]])
    empty = '<row r="3"><c r="XFD3" s="0"/></row>'
    path = save(tmp_path, raw_xlsx(rows + empty, dimension="A1:XFD1048576"), "empty.xlsx")
    table = open_table(path, path.name)
    assert table.headers == ["name"]
    assert list(table.rows()) == [(2, ["Anna"])]  # row 3 holds nothing: skipped, not padded


def test_a_shared_strings_bomb_is_refused_before_anything_is_unpacked(
    tmp_path, settings, monkeypatch
):
    settings.KLIENTO_IMPORT_MAX_UNCOMPRESSED_MB = 1
    settings.KLIENTO_IMPORT_MAX_COMPRESSION_RATIO = 100_000  # the size alone refuses it
    strings = "<si><t>" + "ab" * 1000 + "</t></si>"
    bomb = f'<sst xmlns="{MAIN}">' + strings * 1500 + "</sst>"  # 3 MB that pack to a few KB
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    content = raw_xlsx(sheet, shared_strings=bomb)
    assert len(content) < 100_000
    path = save(tmp_path, content, "bomb.xlsx")
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kwargs):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)

    seen, problem = refusal(path)

    assert problem.message == (
        "The workbook unpacks to 2.9\xa0MB; the limit is 1.0\xa0MB. "
        "Save it as CSV or split it into smaller files."
    )
    assert seen == [] and opened == []  # refused by the sizes the zip declares


def test_a_part_that_unpacks_too_far_is_refused_as_a_zip_bomb(tmp_path, monkeypatch):
    bomb = f'<sst xmlns="{MAIN}"><si><t>' + "a" * 2_000_000 + "</t></si></sst>"
    content = raw_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', shared_strings=bomb)
    path = save(tmp_path, content, "ratio.xlsx")
    info = zipfile.ZipFile(path).getinfo("xl/shared.xml")
    ratio = info.file_size // info.compress_size
    assert ratio > 200
    monkeypatch.setattr(xlsx, "_shared_strings", pytest.fail)  # never read

    problem = refusal(path)[1]

    assert problem.message == (
        f"The workbook part xl/shared.xml unpacks to {ratio:,} times its packed size; the "
        "limit is 200 times. The file is refused as a possible zip bomb."
    )


def test_unpacked_bytes_are_counted_while_reading(tmp_path, settings, monkeypatch):
    """Should a zip's declared sizes pass the first check, the bytes really unpacked still
    count against the limit: here the check of the declared sizes is switched off."""
    settings.KLIENTO_IMPORT_MAX_UNCOMPRESSED_MB = 1
    rows = rows_xml([["name"]] + [[f"client number {n:07d}"] for n in range(40_000)])
    path = save(tmp_path, raw_xlsx(rows), "big.xlsx")
    monkeypatch.setattr(xlsx, "check_archive", lambda archive, limits: None)
    seen, problem = refusal(path)
    assert problem.message == (
        "The workbook unpacks to more than 1.0\xa0MB; the limit is 1.0\xa0MB. "
        "Save it as CSV or split it into smaller files."
    )
    assert 0 < len(seen) < 40_000


def test_many_rows_stop_at_the_row_limit(tmp_path, settings, monkeypatch, manager):
    settings.KLIENTO_IMPORT_MAX_ROWS = 100
    rows = rows_xml([["name"]] + [[f"Client {n}"] for n in range(50_000)])
    content = raw_xlsx(rows)
    chunks = [0]
    real_chunks = xlsx._chunks

    def counted(archive, name, budget):
        for chunk in real_chunks(archive, name, budget):
            chunks[0] += 1
            yield chunk

    monkeypatch.setattr(xlsx, "_chunks", counted)
    path = save(tmp_path, content, "rows.xlsx")
    message = (
        "The file has more than 100 data rows; the limit is 100 rows. Split it into smaller files."
    )

    seen, problem = refusal(path)

    assert problem.message == message
    assert len(seen) == 100 and seen[-1] == (101, ["Client 99"])
    sheet_size = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml").file_size
    assert sheet_size > 20 * xlsx.CHUNK  # yet only the sheet's first chunk was unpacked
    # Twice (the header, then the rows) workbook.xml, its relationships and the sheet's first
    # chunk: nothing past the row limit.
    assert chunks[0] == 6

    job = make_job(manager, content, name="rows.xlsx", mapping={"name": "name"})
    process_job(job.pk)
    job.refresh_from_db()
    assert (job.status, job.message) == (ImportJob.Status.FAILED, message)
    assert job.errors == [{"row": 102, "column": "", "value": "", "message": message}]
    assert not Client.objects.exists()


def test_a_csv_with_too_many_rows_is_refused(tmp_path, settings, db):
    settings.KLIENTO_IMPORT_MAX_ROWS = 3
    path = save(tmp_path, b"name\n" + b"".join(b"C%d\n" % n for n in range(10)), "r.csv")
    result, _errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert result.message.startswith("The file has more than 3 data rows; the limit is 3 rows.")
    assert not Client.objects.exists()


def test_a_100001_column_csv_is_refused_before_the_mapping_form(as_manager, manager, settings):
    settings.KLIENTO_IMPORT_MAX_COLUMNS = 50
    header = ",".join(f"c{n}" for n in range(100_001)).encode()
    job = make_job(manager, header + b"\n" + b"x," * 100_000 + b"x\n", status="preparing")

    prepare_job(job.pk)

    job.refresh_from_db()
    message = (
        f"Row 1 reaches column {column_letter(100_001)} (100,001 columns); the limit is 50 "
        "columns. Remove the columns you do not need or split the file."
    )
    assert column_letter(100_001) == "EQXE"
    assert (job.status, job.message, job.headers) == (ImportJob.Status.FAILED, message, [])
    assert not job.file  # a refused upload is not kept
    page = as_manager.get(reverse("imports:mapping", args=[job.pk]), follow=True)
    assert "form" not in page.context
    assert message in page.text


def test_the_mapping_form_stays_within_djangos_field_limit(as_manager, manager, settings):
    settings.KLIENTO_IMPORT_MAX_COLUMNS = 100_000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 200
    limit = Limits.from_settings().columns
    assert limit == 190  # room for the CSRF token and the like
    header = ",".join(["name", *(f"c{n}" for n in range(1, limit))])
    job = make_job(manager, f"{header}\nAnna\n".encode(), status="uploaded")
    assert len(job.headers) == limit
    data = {f"col_{n}": "" for n in range(limit)} | {"col_0": "name"}
    response = as_manager.post(reverse("imports:mapping", args=[job.pk]), data)
    assert response.status_code == 302  # Django took every field
    job.refresh_from_db()
    assert job.status == ImportJob.Status.QUEUED

    wider = make_job(manager, f"{header},one more\nAnna\n".encode(), status="preparing")
    prepare_job(wider.pk)
    wider.refresh_from_db()
    assert wider.status == ImportJob.Status.FAILED
    assert "(191 columns); the limit is 190 columns." in wider.message


def test_a_long_cell_is_refused_with_its_place(tmp_path, settings, db):
    settings.KLIENTO_IMPORT_MAX_CELL_CHARS = 100
    path = save(tmp_path, b"name,notes\nAnna," + b"x" * 101 + b"\n", "long.csv")
    result, _errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert result.message == (
        "Row 2, column B holds more than 100 characters; the limit is 100 characters in a cell."
    )
    sheet = rows_xml([["name", "notes"], ["Anna", "y" * 101]])
    seen, problem = refusal(save(tmp_path, raw_xlsx(sheet), "long.xlsx"))
    assert seen == [] and problem.message == result.message
    assert not Client.objects.exists()


def test_old_mac_csv_with_cr_only_line_ends_imports(tmp_path, db):
    content = b'name;email\rAnna;anna@example.com\r"Ben\rBrown";ben@example.com\r'
    path = save(tmp_path, content, "mac.csv")
    outcome, errors = do_import(path, "clients")
    assert errors == []
    assert outcome.created == 2
    assert sorted(Client.objects.values_list("name", flat=True)) == ["Anna", "Ben\rBrown"]


def test_cr_only_csv_reports_a_bad_byte_on_its_line(tmp_path, db):
    path = save(tmp_path, b"name\rAnna\rB\xffn\r", "mac.csv")
    result, _errors = do_import(path, "clients")
    assert isinstance(result, FileProblem)
    assert "(line 3, byte 11)" in result.message


def formula_workbook() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "email", "notes"])
    sheet.append(['=CONCAT("An", "na")', "anna@example.com", "=1+1"])
    sheet.append(["Ben", "ben@example.com", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)  # openpyxl computes nothing: the formulas have no saved value
    return buffer.getvalue()


def test_a_formula_without_a_saved_value_is_reported_per_cell(tmp_path, db):
    path = save(tmp_path, formula_workbook(), "formulas.xlsx")
    result, errors = do_import(path, "clients", mapping={"notes": ""})
    assert isinstance(result, ImportRejected)
    formula_errors = [e for e in errors if e[2] == FORMULA]
    assert formula_errors == [(2, "name", FORMULA)]  # "notes" is not imported: not reported
    assert not Client.objects.exists()
    result, errors = do_import(path, "clients")  # now "notes" is imported too
    assert [(e[0], e[1]) for e in errors if e[2] == FORMULA] == [(2, "name"), (2, "notes")]


def test_a_formula_with_a_saved_value_reads_as_that_value(tmp_path, db):
    sheet = (
        rows_xml([["name", "n"]])
        + '<row r="2"><c r="A2" t="str"><f>CONCAT("An","na")</f><v>Anna</v></c>'
        + '<c r="B2"><f>1+1</f><v>2</v></c></row>'
    )
    path = save(tmp_path, raw_xlsx(sheet), "saved.xlsx")
    assert list(open_table(path, path.name).rows()) == [(2, ["Anna", 2])]
    outcome, errors = do_import(path, "clients", mapping={"n": ""})
    assert errors == [] and outcome.created == 1


def test_xlsx_values_keep_their_types(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["text", "int", "float", "date", "bool"])
    sheet.append(["  Anna ", 7, 2.5, dt.datetime(2024, 3, 1, 10, 30), True])
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = save(tmp_path, buffer.getvalue(), "types.xlsx")
    assert list(open_table(path, path.name).rows()) == [
        (2, ["Anna", 7, 2.5, dt.datetime(2024, 3, 1, 10, 30), True])
    ]


def test_a_document_type_declaration_is_refused(tmp_path):
    sheet = rows_xml([["name"]])
    content = raw_xlsx(sheet)
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>' + data
            archive.writestr(item, data)
    problem = refusal(save(tmp_path, buffer.getvalue(), "dtd.xlsx"))[1]
    assert "not a readable XLSX workbook" in problem.message
    assert "document type" in problem.message


# The heartbeat


def test_the_heartbeat_beats_in_every_phase(manager, monkeypatch):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.005)
    phases: list[str] = []
    real_beat = Heartbeat.beat

    def beat(self, *, database=True):
        phases.append(self.phase())
        real_beat(self, database=database)

    real_progress = JobProgress.__call__

    def slow_progress(self, phase, done):
        real_progress(self, phase, done)
        time.sleep(0.1)  # a long step: the beat must go on meanwhile

    monkeypatch.setattr(Heartbeat, "beat", beat)
    monkeypatch.setattr(JobProgress, "__call__", slow_progress)
    job = make_job(manager, b"name\nAnna\n", mapping={"name": "name"})

    process_job(job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert {"counting", "validating", "writing"} <= set(phases)
    assert not alive_path(job.pk).exists()  # removed when the job ends


def test_a_beat_saves_the_heartbeat_and_touches_the_alive_file(manager):
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    assert jobs.claim_job(job.pk)
    old = timezone.now() - dt.timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=old)
    Heartbeat(job.pk, lambda: "validating").beat()
    job.refresh_from_db()
    assert job.heartbeat_at > old
    assert alive_path(job.pk).exists()


def test_a_job_whose_worker_still_touches_its_alive_file_is_not_stalled(as_manager, manager):
    """Writing into SQLite, the worker cannot save its heartbeat: the alive file shows it
    lives, and a click on "run it again" must not start it twice."""
    job = make_job(manager, b"name\nA\n", mapping={"name": "name"})
    assert jobs.claim_job(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    Heartbeat(job.pk, lambda: "writing").beat(database=False)
    job.refresh_from_db()
    assert not job.is_stalled
    as_manager.post(reverse("imports:retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.RUNNING


def test_a_stalled_preparation_is_read_again(
    as_manager, manager, django_capture_on_commit_callbacks
):
    job = make_job(manager, b"name\nA\n", status="preparing")
    assert jobs.claim_preparation(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))
    page = as_manager.get(reverse("imports:mapping", args=[job.pk]))
    assert "import-stalled" in page.text
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        as_manager.post(reverse("imports:retry", args=[job.pk]))
    assert len(callbacks) == 1
    assert prepare_job(job.pk).status == ImportJob.Status.UPLOADED
