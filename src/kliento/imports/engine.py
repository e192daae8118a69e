"""Running an import: the same validate-then-commit path for the web wizard and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kliento.core.types import Actor
from kliento.imports import fields
from kliento.imports.common import WRITING, ImportOutcome, ImportRejected, Progress, no_progress
from kliento.imports.errors import ErrorCollector
from kliento.imports.limits import column_letter
from kliento.imports.parsing import FileProblem, Table, open_table
from kliento.imports.registry import ImportTarget, UnknownTarget, get_target


@dataclass
class ImportRequest:
    source: str | Path | IO[bytes]
    filename: str
    target: str  # the key of a registered ImportTarget
    mapping: dict[str, str] | None = None  # header -> field; None = recognise the headers
    encoding: str = "utf-8"


def unknown_target_message(key: str) -> str:
    return _("Nothing can be imported as “%(target)s”.") % {"target": key}


def prepare(request: ImportRequest, target: ImportTarget) -> tuple[Table, dict[str, str]]:
    """Open the file and settle the mapping; raises FileProblem or ImportRejected."""
    table = open_table(request.source, request.filename, request.encoding)
    mapping = fields.auto_mapping(table.headers or [], target.fields)
    if request.mapping is not None:
        unknown = set(request.mapping) - set(table.headers or [])
        if unknown:
            raise ImportRejected(
                _("The file has no column named %(names)s.")
                % {"names": ", ".join(f"“{n}”" for n in sorted(unknown))}
            )
        mapping.update(request.mapping)
    problems = fields.mapping_problems(mapping, target.fields)
    if problems:
        raise ImportRejected(" ".join(problems))
    headers = table.headers or []
    table.watched = {n for n, header in enumerate(headers) if header and mapping.get(header)}
    return table, mapping


def formula_reporter(table: Table, errors: ErrorCollector) -> Callable[[int, int, str], None]:
    """Each formula cell without a saved value in a mapped column becomes a row error: it was
    written by a program that does not calculate (a script, an export), and reading it as
    empty would import wrong data without a word."""
    headers = table.headers or []

    def report(row: int, column: int, formula: str) -> None:
        name = headers[column] if column < len(headers) else column_letter(column + 1)
        errors.add(
            row,
            name,
            formula,
            _("Formula without a saved value — open and save the file in a spreadsheet program."),
        )

    return report


def run_import(
    request: ImportRequest,
    *,
    actor: Actor,
    errors: ErrorCollector,
    progress: Progress = no_progress,
    data: dict[str, Any] | None = None,
) -> ImportOutcome:
    """Validate every row; if all are good write them all in one transaction, else nothing.

    Row errors land in `errors` and end in ImportRejected; a file that cannot be read at all
    raises FileProblem (its row, if known, is also added to `errors`).
    """
    try:
        target = get_target(request.target)
    except UnknownTarget:
        raise ImportRejected(unknown_target_message(request.target)) from None
    try:
        table, mapping = prepare(request, target)
        table.report_formula = formula_reporter(table, errors)
        validated = target.validator(table, mapping, errors).run(progress)
        try:
            errors.flush()
            if errors:
                raise ImportRejected(
                    _("%(count)d errors found; nothing was imported.") % {"count": errors.count}
                )
            return _write(
                target, validated, request, actor=actor, data=data or {}, progress=progress
            )
        finally:
            close = getattr(validated, "close", None)
            if callable(close):
                close()
    except FileProblem as exc:
        errors.add(exc.row or 0, "", "", exc.message)
        raise
    finally:
        errors.flush()


def _write(
    target: ImportTarget,
    validated: Any,
    request: ImportRequest,
    *,
    actor: Actor,
    data: dict[str, Any],
    progress: Progress,
) -> ImportOutcome:
    try:
        with transaction.atomic():
            progress(WRITING, 0)
            return target.writer(
                validated, actor=actor, filename=request.filename, data=data, progress=progress
            )
    except IntegrityError as exc:
        # E.g. another import wrote the same unique value between the check and the write.
        raise ImportRejected(
            _("The rows could not be saved: %(reason)s") % {"reason": exc}
        ) from None
