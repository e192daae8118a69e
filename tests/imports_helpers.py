"""Building import files for the tests."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from openpyxl import Workbook

from kliento.imports.common import ImportRejected
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.errors import ErrorCollector
from kliento.imports.jobs import prepare_job
from kliento.imports.models import ImportJob
from kliento.imports.parsing import FileProblem


def csv_bytes(
    rows: list[list], *, delimiter: str = ",", encoding: str = "utf-8", bom=False
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def write_csv(tmp_path: Path, rows: list[list], name: str = "file.csv", **kwargs) -> Path:
    path = tmp_path / name
    path.write_bytes(csv_bytes(rows, **kwargs))
    return path


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def damaged_xlsx_bytes(rows: list[list], *, keep: float) -> bytes:
    """A workbook whose first sheet's XML is cut off after `keep` (0-1) of its length, as a
    broken download or a full disk leaves it: a valid zip around invalid XML."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes(rows)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: int(len(data) * keep)]
            target.writestr(item, data)
    return buffer.getvalue()


def write_xlsx(tmp_path: Path, rows: list[list], name: str = "file.xlsx") -> Path:
    path = tmp_path / name
    path.write_bytes(xlsx_bytes(rows))
    return path


def do_import(path: Path, target: str, *, actor=None, mapping=None, encoding="utf-8"):
    """Run an import; return (outcome or the exception, errors as (row, column, message))."""
    errors = ErrorCollector()
    try:
        result = run_import(
            ImportRequest(path, path.name, target, mapping, encoding), actor=actor, errors=errors
        )
    except (ImportRejected, FileProblem) as exc:  # the tests look at which one
        result = exc
    found = [(e.row, e.column, e.message) for e in errors.first]
    errors.close()
    return result, found


def make_job(
    manager, content: bytes, *, target="clients", name="f.csv", status="queued", mapping=None
) -> ImportJob:
    """A job as the wizard leaves it; an "uploaded" one has been read by the worker (its
    column names and preview are stored), as the mapping step needs."""
    job = ImportJob(
        target=target,
        original_name=name,
        created_by=manager,
        status="preparing" if status == "uploaded" else status,
        mapping=mapping or {},
    )
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    if status == "uploaded":
        prepare_job(job.pk)
        job.refresh_from_db()
        assert job.status == "uploaded", job.message
    return job
