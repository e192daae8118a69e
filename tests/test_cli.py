from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kliento.cli import operator_language

OURS = ["en", "ru", "uk", "pl"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "uk_UA.UTF-8"}, "uk"),
        ({"LANG": "pl_PL.UTF-8", "LC_ALL": "ru_RU.UTF-8"}, "ru"),  # LC_ALL wins
        ({"KLIENTO_LANGUAGE": "pl", "LANG": "ru_RU.UTF-8"}, "pl"),
        ({"LANG": "C.UTF-8"}, None),
        ({"LANG": "de_DE.UTF-8"}, None),
        ({"LC_ALL": "de_DE.UTF-8", "LANG": "ru_RU.UTF-8"}, None),  # the first set one decides
        ({}, None),
    ],
)
def test_operator_language_follows_the_posix_locale(environ, expected):
    assert operator_language(environ, OURS) == expected


def test_commands_speak_the_operators_language(tmp_path):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES")},
        "LANG": "pl_PL.UTF-8",
        "KLIENTO_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "kliento.cli", "import", "clients", str(tmp_path / "missing.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "No such file" not in result.stderr
    assert str(tmp_path / "missing.csv") in result.stderr
