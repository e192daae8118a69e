"""`kliento import TARGET FILE`: the wizard's validation and commit, synchronously.

TARGET is the key of a registered import target (`kliento import --help` lists them).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from kliento.imports import registry
from kliento.imports.common import VALIDATING, ImportRejected
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.errors import ErrorCollector
from kliento.imports.parsing import ENCODINGS, FileProblem, open_table

SHOWN = 20


class Command(BaseCommand):
    help = "Import a CSV or XLSX file into a registered target: all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "target",
            help=f"What the file holds: {', '.join(registry.targets.keys())}.",
        )
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mapping",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="Map a column to a field (repeatable); an empty FIELD ignores the column.",
        )
        parser.add_argument("--encoding", choices=sorted(ENCODINGS), default="utf-8")
        parser.add_argument(
            "--report",
            type=Path,
            help="Where to write the error report (default: FILE.errors.csv beside the file).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        key: str = options["target"]
        if key not in registry.targets:
            raise CommandError(
                _("Unknown import target “%(target)s”; use one of: %(known)s.")
                % {"target": key, "known": ", ".join(registry.targets.keys())}
            )
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": path})
        mapping = self._mapping(options["mapping"])
        request = ImportRequest(path, path.name, key, mapping, options["encoding"])
        show = not options["no_progress"]
        try:
            total = open_table(path, path.name, request.encoding).count_rows() if show else 0
        except FileProblem as exc:
            raise CommandError(exc.message) from None
        bars: dict[str, tqdm] = {}

        def progress(phase: str, done: int) -> None:
            if not show:
                return
            bar = bars.get(phase)
            if bar is None:
                for other in bars.values():
                    other.close()
                desc = _("Checking") if phase == VALIDATING else _("Writing")
                bar = bars[phase] = tqdm(total=total, desc=desc, unit=" rows", leave=True)
            bar.update(done - bar.n)

        errors = ErrorCollector(keep=SHOWN)
        try:
            outcome = run_import(request, actor=None, errors=errors, progress=progress)
        except (ImportRejected, FileProblem) as exc:
            for bar in bars.values():
                bar.close()
            bars.clear()
            self._report_errors(errors, options["report"] or path.with_suffix(".errors.csv"))
            raise CommandError(str(exc)) from None
        finally:
            for bar in bars.values():
                bar.close()
            errors.close()
        message = _(
            "Rows imported: %(rows)d (created: %(created)d, updated: %(updated)d, "
            "unchanged: %(unchanged)d)."
        ) % {
            "rows": outcome.rows,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
        }
        if outcome.clients:
            message += " " + _("Client timelines updated: %(clients)d.") % {
                "clients": outcome.clients
            }
        self.stdout.write(self.style.SUCCESS(message))
        for note in outcome.notes:
            self.stdout.write(note)

    def _mapping(self, items: list[str]) -> dict[str, str] | None:
        if not items:
            return None
        mapping: dict[str, str] = {}
        for item in items:
            column, sep, field = item.partition("=")
            if not sep:
                raise CommandError(
                    _("--mapping expects COLUMN=FIELD, got %(item)r") % {"item": item}
                )
            mapping[column.strip()] = field.strip()
        return mapping

    def _report_errors(self, errors: ErrorCollector, report: Path) -> None:
        errors.flush()
        if not errors.count:
            return
        for error in errors.first:
            where = _("row %(row)d") % {"row": error.row} if error.row else _("file")
            where += f", {error.column}" if error.column else ""
            value = f" ({error.value!r})" if error.value else ""
            self.stderr.write(f"{where}{value}: {error.message}")
        if errors.count > len(errors.first):
            more = errors.count - len(errors.first)
            self.stderr.write(_("… and %(count)d more errors.") % {"count": more})
        shutil.copyfile(errors.path, report)
        self.stderr.write(_("Full error report: %(path)s") % {"path": report})
