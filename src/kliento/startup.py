"""The start-up step: what a Kliento process writes before Django reads its settings.

Settings only read (the environment, and the secret key file if there is one); importing them
creates nothing, so `kliento --help` leaves the current folder alone. The commands that run
Kliento (`kliento.cli.main`, `kliento.wsgi`, the test setup) call `prepare_data_dir()` first: it
creates the data folder (mode 0700), generates the secret key once and creates STATIC_ROOT.

It imports no app and does not configure Django: it runs before either is set up.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured

from kliento.private_files import write_private_file

SECRET_KEY_FILE = "secret_key"

# Settings that default to a place inside the data folder (see kliento.settings).
_DEFAULTS_INTO_DATA_DIR = ("SECRET_KEY", "DATABASE_URL", "STATIC_ROOT", "MEDIA_ROOT")


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """KLIENTO_DATA_DIR, else ./kliento-data: the SQLite database, the secret key, uploads."""
    return Path(environ.get("KLIENTO_DATA_DIR", Path.cwd() / "kliento-data")).resolve()


def static_root(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("STATIC_ROOT", data_dir(environ) / "static"))


def read_secret_key(folder: Path) -> str | None:
    """The key kept in the data folder, or None if there is none (yet)."""
    try:
        return (folder / SECRET_KEY_FILE).read_text().strip() or None
    except FileNotFoundError:
        return None


def prepare_data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    """Create what the settings point at; safe to call again and from processes starting at once.

    Returns the data folder. Raises OSError when it cannot be created (no write permission),
    ImproperlyConfigured when a key file stays empty.
    """
    folder = data_dir(environ)
    if not all(environ.get(name) for name in _DEFAULTS_INTO_DATA_DIR):
        # It holds the SQLite database and secrets: only its owner may read it.
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not environ.get("SECRET_KEY"):
        ensure_secret_key(folder)
    # Whitenoise warns about a missing root even when it serves from the finders.
    static_root(environ).mkdir(parents=True, exist_ok=True)
    return folder


def ensure_secret_key(folder: Path) -> str:
    """Generate the embedded mode's key once and keep it beside the database.

    Sessions survive restarts. Of two processes starting on an empty folder exactly one writes
    (write_private_file is O_EXCL); the other waits for that content and uses it.
    """
    key_file = folder / SECRET_KEY_FILE
    key = secrets.token_urlsafe(50)
    if write_private_file(key_file, key):
        return key
    for _attempt in range(50):
        existing = read_secret_key(folder)
        if existing:
            return existing
        time.sleep(0.1)
    raise ImproperlyConfigured(f"{key_file} is empty; delete it or set SECRET_KEY")


def missing_secret_key_message(folder: Path) -> str:
    return (
        f"SECRET_KEY is not set and {folder / SECRET_KEY_FILE} does not exist: run a kliento "
        "command (for example `kliento migrate`), which generates it, or set SECRET_KEY"
    )


class MissingSecretKey:
    """SECRET_KEY when neither the environment nor the data folder has one.

    Django reads the key only to sign (sessions, CSRF, password reset links, signed values), so a
    process that never signs, such as `kliento --help`, runs. Any use stops with a message saying
    what to do, rather than signing with an empty or made-up key.
    """

    def __init__(self, folder: Path) -> None:
        self._message = missing_secret_key_message(folder)

    def __bool__(self) -> bool:
        # Truthy, so Django's own "must not be empty" check lets the use reach this message.
        return True

    def __repr__(self) -> str:
        return "<SECRET_KEY missing>"

    def _refuse(self, *args: object, **kwargs: object) -> NoReturn:
        raise ImproperlyConfigured(self._message)

    __str__ = __bytes__ = __len__ = __iter__ = __getitem__ = __format__ = _refuse
    __add__ = __radd__ = __mod__ = __contains__ = _refuse

    def __getattr__(self, name: str) -> NoReturn:
        if name.startswith("__"):
            raise AttributeError(name)
        self._refuse()
