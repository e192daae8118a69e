"""Import/export targets: what an app lets users import from files (and export back).

An app registers an `ImportTarget` from its `AppConfig.ready()`; the upload wizard, the
`kliento import TARGET FILE` command and the export URLs find it by its key. The machinery
here reads the file, maps its headers to the target's fields, runs the target's validator over
every row, and only when no row has an error calls the target's writer, inside one
transaction that the machinery opens.

A target provides:

- `fields`: the `FieldSpec`s a column can fill (key, label, required, header synonyms);
- `validator`: called as `validator(table, mapping, errors)`, returns an object whose
  `run(progress)` reads every row of `table` (see `Columns` for the mapped cells), adds each
  problem to `errors` (an `ErrorCollector`) and returns whatever the writer needs; if that
  object has a `close()`, it is called after writing or rejecting;
- `writer`: called as `writer(validated, actor=, filename=, data=, progress=)` inside the
  caller's transaction; writes every validated row and returns an `ImportOutcome`. It may
  raise `ImportRejected` to refuse (nothing is saved);
- `exporter` (optional): called as `exporter(user, params)` with the export request's query
  parameters; returns the header (the field keys, so the export imports back) and the rows.

This module is the imports app's public face for the apps that plug in: it re-exports what a
target needs, including the cell readers (`values`) and bulk lookups (`batching`), so an app
imports only from here (the import-linter contract allows an app's `registry` module).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.functional import Promise

from kliento.core.registry import Registry
from kliento.core.types import Actor
from kliento.imports import batching, values
from kliento.imports.batching import MAX_ID, chunked, matching
from kliento.imports.common import (
    PROGRESS_EVERY,
    VALIDATING,
    WRITING,
    ImportOutcome,
    ImportRejected,
    Progress,
)
from kliento.imports.errors import ErrorCollector
from kliento.imports.fields import Columns, FieldSpec
from kliento.imports.parsing import Table

__all__ = [
    "MAX_ID",
    "PROGRESS_EVERY",
    "VALIDATING",
    "WRITING",
    "Columns",
    "ErrorCollector",
    "Exporter",
    "FieldSpec",
    "ImportOutcome",
    "ImportRejected",
    "ImportTarget",
    "Progress",
    "RowValidator",
    "Table",
    "UnknownTarget",
    "ValidatorFactory",
    "Writer",
    "batching",
    "chunked",
    "exportable_by",
    "get_target",
    "importable_by",
    "matching",
    "may_export_any",
    "may_import_any",
    "register_target",
    "targets",
    "values",
]


class User(Protocol):
    """A user or AnonymousUser: all a target asks of one is its permissions."""

    def has_perm(self, perm: str, obj: Any = None) -> bool: ...


_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")


class RowValidator(Protocol):
    def run(self, progress: Progress) -> Any: ...


ValidatorFactory = Callable[[Table, dict[str, str], ErrorCollector], RowValidator]


class Writer(Protocol):
    def __call__(
        self,
        validated: Any,
        /,
        *,
        actor: Actor,
        filename: str,
        data: dict[str, Any],
        progress: Progress,
    ) -> ImportOutcome: ...


# (user, query parameters) -> (header, rows); the rows are streamed, so make them lazy.
Exporter = Callable[[Any, Mapping[str, Any]], tuple[list[str], Iterable[Sequence[Any]]]]


class UnknownTarget(LookupError):
    """No target is registered under this key."""


@dataclass(frozen=True)
class ImportTarget:
    key: str  # in URLs, on the command line and stored on each job: a short slug
    label: Promise | str
    import_permission: str
    fields: tuple[FieldSpec, ...]
    validator: ValidatorFactory
    writer: Writer
    export_permission: str = ""
    exporter: Exporter | None = None
    # Headers of exported columns that are no field (shown to people, ignored on import).
    export_labels: Mapping[str, Promise | str] = field(default_factory=dict)
    # Shown under the column mapping: what the values should look like, what gets created.
    hint: Promise | str = ""
    # Where the summary of a finished import links to, e.g. the list the rows went into.
    done_url_name: str = ""
    done_label: Promise | str = ""
    order: int = 100

    def may_import(self, user: User) -> bool:
        return bool(user.has_perm(self.import_permission))

    @property
    def exports(self) -> bool:
        return self.exporter is not None and bool(self.export_permission)

    def may_export(self, user: User) -> bool:
        return self.exports and bool(user.has_perm(self.export_permission))


targets: Registry[ImportTarget] = Registry("import targets")


def register_target(target: ImportTarget) -> ImportTarget:
    if not _KEY.match(target.key):
        raise ValueError(
            f"Import target key {target.key!r}: use 1-40 lower-case letters, digits, - or _"
        )
    keys = [spec.key for spec in target.fields]
    if not keys or len(set(keys)) != len(keys):
        raise ValueError(f"Import target {target.key!r} needs fields with distinct keys")
    if target.exporter is not None and not target.export_permission:
        raise ValueError(f"Import target {target.key!r} exports but names no permission for it")
    return targets.register(target)


def get_target(key: str) -> ImportTarget:
    target = targets.get(key)
    if target is None:
        raise UnknownTarget(key)
    return target


def importable_by(user: User) -> list[ImportTarget]:
    return [target for target in targets if target.may_import(user)]


def exportable_by(user: User) -> list[ImportTarget]:
    return [target for target in targets if target.may_export(user)]


def may_export_any(user: User) -> bool:
    return any(target.may_export(user) for target in targets)


def may_import_any(user: User) -> bool:
    return any(target.may_import(user) for target in targets)
