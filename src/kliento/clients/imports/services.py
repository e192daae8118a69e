"""Running an import: the same validate-then-commit path for the web wizard and the CLI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from kliento.clients.imports import fields
from kliento.clients.imports.client_rows import ClientValidator
from kliento.clients.imports.client_writing import write_clients
from kliento.clients.imports.common import ImportOutcome, ImportRejected, Progress, no_progress
from kliento.clients.imports.errors import ErrorCollector
from kliento.clients.imports.parsing import FileProblem, Table, open_table
from kliento.clients.imports.purchases import PurchaseValidator, write_purchases


@dataclass
class ImportRequest:
    source: str | Path | IO[bytes]
    filename: str
    target: str
    mapping: dict[str, str] | None = None  # header -> field; None = recognise the headers
    encoding: str = "utf-8"


def prepare(request: ImportRequest) -> tuple[Table, dict[str, str]]:
    """Open the file and settle the mapping; raises FileProblem or ImportRejected."""
    table = open_table(request.source, request.filename, request.encoding)
    mapping = fields.auto_mapping(table.headers or [], request.target)
    if request.mapping is not None:
        unknown = set(request.mapping) - set(table.headers or [])
        if unknown:
            raise ImportRejected(
                _("The file has no column named %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in sorted(unknown))}
            )
        mapping.update(request.mapping)
    problems = fields.mapping_problems(mapping, request.target)
    if problems:
        raise ImportRejected(" ".join(problems))
    return table, mapping


def run_import(
    request: ImportRequest,
    *,
    actor,
    errors: ErrorCollector,
    progress: Progress = no_progress,
    data: dict | None = None,
) -> ImportOutcome:
    """Validate every row; if all are good write them all in one transaction, else nothing.

    Row errors land in `errors` and end in ImportRejected; a file that cannot be read at all
    raises FileProblem (its row, if known, is also added to `errors`).
    """
    data = data or {}
    try:
        table, mapping = prepare(request)
        if request.target == fields.CLIENTS:
            rows = ClientValidator(table, mapping, errors).run(progress)
            if errors:
                raise ImportRejected(
                    _("%(count)d errors found; nothing was imported.") % {"count": errors.count}
                )
            return write_clients(
                rows, actor=actor, filename=request.filename, data=data, progress=progress
            )
        plan = PurchaseValidator(table, mapping, errors).run(progress)
        try:
            if errors:
                raise ImportRejected(
                    _("%(count)d errors found; nothing was imported.") % {"count": errors.count}
                )
            return write_purchases(
                plan, actor=actor, filename=request.filename, data=data, progress=progress
            )
        finally:
            plan.close()
    except FileProblem as exc:
        errors.add(exc.row or 0, "", "", exc.message)
        raise
    finally:
        errors.flush()
