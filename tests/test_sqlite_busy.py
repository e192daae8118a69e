"""While an import holds the embedded database's write lock, reads and logins keep working and a
write gets a clear "try again" (503 with Retry-After), never a server error after a long wait.

The test database is in memory and shared by one connection, so this runs in a process of its
own on a real SQLite file (tests/sqlite_busy_probe.py) with a second writer holding the lock.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.test_startup import clean_environ

ROOT = Path(__file__).resolve().parent.parent
BUSY_TIMEOUT = 2


@pytest.fixture(scope="module")
def busy(tmp_path_factory) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "tests.sqlite_busy_probe"],
        cwd=ROOT,
        env=clean_environ(
            KLIENTO_DATA_DIR=str(tmp_path_factory.mktemp("busy")),
            ALLOWED_HOSTS="testserver",
            SQLITE_BUSY_TIMEOUT=str(BUSY_TIMEOUT),
        ),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("call", ["api_read", "api_list", "ui_read"])
def test_reads_work_while_an_import_writes(busy, call):
    assert busy[call]["status"] == 200


def test_the_token_use_is_noted_once_the_database_is_free(busy):
    assert busy["token_used_while_busy"] is False
    assert busy["token_used_after"] is True


def test_logging_in_works_while_an_import_writes(busy):
    assert busy["login"]["status"] == 302  # to the home page: logged in
    assert busy["ui_read"]["status"] == 200  # and the session holds


def test_an_api_write_gets_a_json_503_with_retry_after(busy):
    answer = busy["api_write"]
    assert answer["status"] == 503
    assert answer["type"].startswith("application/json")
    assert int(answer["retry_after"]) > 0
    assert "try again" in json.loads(answer["body"])["detail"]
    assert answer["seconds"] < BUSY_TIMEOUT + 8  # told within seconds, not after twenty


def test_a_ui_write_gets_a_friendly_503_page(busy):
    answer = busy["ui_write"]
    assert answer["status"] == 503
    assert answer["type"].startswith("text/html")
    assert int(answer["retry_after"]) > 0
    assert "busy" in answer["body"]
    assert answer["seconds"] < BUSY_TIMEOUT + 8


def test_the_same_write_succeeds_once_the_import_is_saved(busy):
    assert busy["api_write_after"]["status"] == 200
    assert busy["saved_after"] == "from the API"


def test_writers_wait_seconds_not_twenty_by_default():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("the busy timeout is SQLite's")
    assert settings.DATABASES["default"]["OPTIONS"]["timeout"] <= 5
