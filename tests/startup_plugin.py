"""Runs Kliento's start-up step before pytest-django loads the settings.

Settings only read, so the data folder (KLIENTO_DATA_DIR; `.ci/run` points it at a fresh
temporary folder) and its secret key must exist first, as `kliento` and the WSGI module ensure.
A conftest is too late: pytest-django loads the settings before it imports the conftests.
Each xdist worker runs this too; the key is written once (the start-up step is race-safe).
"""

from __future__ import annotations

from collections.abc import Generator

import pytest

from kliento.startup import prepare_data_dir


@pytest.hookimpl(wrapper=True)
def pytest_load_initial_conftests() -> Generator[None, None, None]:
    prepare_data_dir()
    return (yield)
