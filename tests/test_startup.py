"""Settings only read; the start-up step creates the data folder, the secret key and STATIC_ROOT."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kliento.cli import needs_data_dir
from kliento.startup import prepare_data_dir

# Variables that would point the settings (or the start-up step) somewhere else.
OWN_VARIABLES = (
    "KLIENTO_DATA_DIR",
    "SECRET_KEY",
    "DATABASE_URL",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "DJANGO_SETTINGS_MODULE",
)


def clean_environ(**variables: str) -> dict[str, str]:
    environ = {k: v for k, v in os.environ.items() if k not in OWN_VARIABLES}
    environ.update(variables)
    return environ


def run_python(code: str, *, cwd: Path, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env=clean_environ(**variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def tree(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


@pytest.mark.parametrize(
    "arguments",
    [[], ["--help"], ["help"], ["help", "migrate"], ["version"], ["--version"], ["migrate", "-h"]],
    ids=lambda arguments: " ".join(arguments) or "nothing",
)
def test_kliento_help_creates_nothing(tmp_path, arguments):
    result = subprocess.run(
        [sys.executable, "-m", "kliento.cli", *arguments],
        cwd=tmp_path,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    assert "configuration error" not in result.stderr
    assert tree(tmp_path) == []


def test_the_help_lists_kliento_commands_without_a_data_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kliento.cli", "help"],
        cwd=tmp_path,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "[core]" in result.stdout and "demo" in result.stdout
    assert "settings are not properly configured" not in result.stdout + result.stderr


@pytest.mark.parametrize("data_dir", [None, "data"], ids=["default", "KLIENTO_DATA_DIR"])
def test_importing_the_settings_creates_nothing(tmp_path, data_dir):
    variables = {"KLIENTO_DATA_DIR": str(tmp_path / data_dir)} if data_dir else {}
    result = run_python(
        "import kliento.settings as s; print(s.DATA_DIR, s.STATIC_ROOT)", cwd=tmp_path, **variables
    )
    assert result.returncode == 0, result.stderr
    assert str(tmp_path / (data_dir or "kliento-data")) in result.stdout
    assert tree(tmp_path) == []


def test_a_command_prepares_the_data_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kliento.cli", "check"],
        cwd=tmp_path,
        env=clean_environ(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = tmp_path / "kliento-data"
    assert mode(data) == 0o700
    assert mode(data / "secret_key") == 0o600
    assert (data / "static").is_dir()


def test_the_wsgi_module_prepares_the_data_folder(tmp_path):
    data = tmp_path / "data"
    result = run_python("import kliento.wsgi", cwd=tmp_path, KLIENTO_DATA_DIR=str(data))
    assert result.returncode == 0, result.stderr
    assert (data / "secret_key").read_text()
    assert (data / "static").is_dir()


def test_without_the_start_up_step_signing_says_what_to_do(tmp_path):
    """A process that loads the settings itself (django-admin, a script) gets told the fix."""
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE'] = 'kliento.settings'; "
        "django.setup(); from django.core import signing; signing.dumps('x')"
    )
    result = run_python(code, cwd=tmp_path, KLIENTO_DATA_DIR=str(tmp_path / "data"))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "run a kliento command (for example `kliento migrate`)" in result.stderr
    assert "or set SECRET_KEY" in result.stderr
    assert tree(tmp_path) == []


def test_start_up_creates_a_private_folder_and_one_key(tmp_path):
    data = tmp_path / "fresh" / "data"
    environ = {"KLIENTO_DATA_DIR": str(data)}
    assert prepare_data_dir(environ) == data
    key = (data / "secret_key").read_text()
    assert len(key) >= 50
    assert mode(data) == 0o700
    assert mode(data / "secret_key") == 0o600
    assert (data / "static").is_dir()

    prepare_data_dir(environ)
    assert (data / "secret_key").read_text() == key


def test_start_up_keeps_an_existing_key(tmp_path):
    (tmp_path / "secret_key").write_text("k" * 40)
    prepare_data_dir({"KLIENTO_DATA_DIR": str(tmp_path)})
    assert (tmp_path / "secret_key").read_text() == "k" * 40


def test_start_up_writes_no_key_when_the_environment_has_one(tmp_path):
    prepare_data_dir({"KLIENTO_DATA_DIR": str(tmp_path), "SECRET_KEY": "k" * 40})
    assert not (tmp_path / "secret_key").exists()


def test_start_up_leaves_the_data_folder_alone_when_nothing_lives_there(tmp_path):
    environ = {
        "KLIENTO_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "k" * 40,
        "DATABASE_URL": "postgres://kliento@db/kliento",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    prepare_data_dir(environ)
    assert tree(tmp_path) == ["static"]


def test_start_up_reports_a_folder_it_cannot_create(tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(OSError):
        prepare_data_dir({"KLIENTO_DATA_DIR": str(tmp_path / "file" / "data")})


def test_kliento_reports_a_data_folder_it_cannot_create(tmp_path):
    (tmp_path / "file").write_text("")
    result = subprocess.run(
        [sys.executable, "-m", "kliento.cli", "check"],
        cwd=tmp_path,
        env=clean_environ(KLIENTO_DATA_DIR=str(tmp_path / "file" / "data")),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "kliento: cannot prepare the data folder" in result.stderr


def test_processes_starting_at_once_share_one_key(tmp_path):
    """Each process writes its own key unless the start-up step is race-safe."""
    data = tmp_path / "data"
    go = tmp_path / "go"
    code = (
        "import pathlib, sys, time\n"
        "from kliento.startup import prepare_data_dir\n"
        f"go = pathlib.Path({str(go)!r})\n"
        "while not go.exists():\n"
        "    time.sleep(0.001)\n"
        "folder = prepare_data_dir()\n"
        "print((folder / 'secret_key').read_text())\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=clean_environ(KLIENTO_DATA_DIR=str(data)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    time.sleep(1)  # let every process import and reach the starting line
    go.touch()
    outputs = [process.communicate(timeout=60) for process in processes]
    assert [process.returncode for process in processes] == [0] * 8, outputs
    keys = {stdout.strip() for stdout, _stderr in outputs}
    assert len(keys) == 1
    assert keys == {(data / "secret_key").read_text()}
    assert mode(data) == 0o700


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        (["kliento"], False),
        (["kliento", "--help"], False),
        (["kliento", "help", "migrate"], False),
        (["kliento", "version"], False),
        (["kliento", "migrate", "--help"], False),
        (["kliento", "migrate"], True),
        (["kliento", "demo", "--port", "8001"], True),
        (["kliento", "db_worker"], True),
    ],
)
def test_which_command_lines_need_the_data_folder(arguments, expected):
    assert needs_data_dir(arguments) is expected
