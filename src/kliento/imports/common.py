"""Pieces shared by the import machinery and the targets that plug into it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Called as progress(phase, rows_done); phases are "validating" and "writing".
Progress = Callable[[str, int], None]
VALIDATING = "validating"
WRITING = "writing"
PROGRESS_EVERY = 5000


def no_progress(phase: str, done: int) -> None:
    return None


class ImportRejected(Exception):
    """The file has errors (in the collector) or could not be written; nothing was saved."""


@dataclass
class ImportOutcome:
    """What a target's writer did; shown after the import and kept on the job."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    clients: int = 0  # clients whose timeline got an entry (0 when the target writes none)
    notes: list[str] = field(default_factory=list)
