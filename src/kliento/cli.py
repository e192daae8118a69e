"""The `kliento` command: Django's management commands with Kliento's settings preset.

`kliento demo`, `kliento serve`, `kliento worker`, `kliento migrate`, `kliento import …` and any
other management command (`kliento createsuperuser`, `kliento shell`) run the same way.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}
# Commands that only print, and options that make any command only print: they create nothing.
INFORMATIONAL_COMMANDS = {"help", "--help", "-h", "version", "--version"}
INFORMATIONAL_OPTIONS = {"--help", "-h", "--version"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        if needs_data_dir(args):
            _prepare_data_dir()
        _speak_the_operators_language()
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"kliento: configuration error: {exc}\n")
        sys.exit(2)


def needs_data_dir(args: list[str]) -> bool:
    """Whether the command line runs a command (which may need the data folder and the key)."""
    if len(args) < 2 or args[1] in INFORMATIONAL_COMMANDS:
        return False
    return not INFORMATIONAL_OPTIONS.intersection(args[2:])


def _prepare_data_dir() -> None:
    from kliento.startup import prepare_data_dir

    try:
        prepare_data_dir()
    except OSError as exc:
        sys.stderr.write(f"kliento: cannot prepare the data folder: {exc}\n")
        sys.exit(2)


def operator_language(environ: dict[str, str], available: list[str]) -> str | None:
    """KLIENTO_LANGUAGE, else the POSIX locale (LC_ALL, LC_MESSAGES, LANG), if Kliento has it."""
    for name in ("KLIENTO_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        code = value.split(".")[0].split("_")[0].split("-")[0].lower()
        if code in available:
            return code
        if value and name != "KLIENTO_LANGUAGE":
            return None  # the first locale variable set decides, as in POSIX
    return None


def _speak_the_operators_language() -> None:
    import django
    from django.conf import settings
    from django.utils import translation

    django.setup()
    code = operator_language(dict(os.environ), [code for code, _name in settings.LANGUAGES])
    if code:
        translation.activate(code)


if __name__ == "__main__":
    main()
