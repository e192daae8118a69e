"""Mentions from a CSV through the import framework: judged, matched, never twice."""

from __future__ import annotations

import pytest

from kliento.imports.common import ImportOutcome
from kliento.mentions.models import Mention
from tests.imports_helpers import do_import, write_csv
from tests.mentions_support import make_situation

pytestmark = pytest.mark.django_db

HEADER = ["source", "text", "date", "author", "url", "rating", "language"]


def test_a_csv_of_mentions_is_imported_once(tmp_path, manager):
    situation = make_situation()
    rows = [
        HEADER,
        ["reviews", "Terrible wait", "2026-01-05", "Jo", "https://r.example/1", "1", "en"],
        ["forum", "Great club, thank you", "2026-01-06", "Al", "https://f.example/2", "", ""],
    ]
    path = write_csv(tmp_path, rows)
    outcome, errors = do_import(path, "mentions", actor=manager)
    assert errors == [] and isinstance(outcome, ImportOutcome)
    assert (outcome.created, outcome.unchanged) == (2, 0)
    bad = Mention.objects.get(source="reviews")
    assert bad.situation == situation and bad.rating == 1 and bad.origin == "import"
    again, _errors = do_import(path, "mentions", actor=manager)
    assert (again.created, again.unchanged) == (0, 2)
    assert Mention.objects.count() == 2


def test_a_bad_row_rejects_the_file_with_its_reasons(tmp_path, manager):
    rows = [
        HEADER,
        ["reviews", "Fine", "2026-01-05", "Jo", "https://r.example/1", "9", "en"],
        ["", "", "", "", "ftp://x", "", "de"],
    ]
    outcome, errors = do_import(write_csv(tmp_path, rows), "mentions", actor=manager)
    assert not isinstance(outcome, ImportOutcome)
    columns = {(row, column) for row, column, _message in errors}
    assert (2, "rating") in columns and (3, "language") in columns and (3, "source") in columns
    assert Mention.objects.count() == 0
