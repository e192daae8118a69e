"""The `kliento` command: Django's management commands with Kliento's settings preset.

`kliento demo`, `kliento serve`, `kliento worker`, `kliento migrate`, `kliento import …` and any
other management command (`kliento createsuperuser`, `kliento shell`) run the same way.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"worker": "db_worker"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kliento.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(args)
    except ImproperlyConfigured as exc:
        sys.stderr.write(f"kliento: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
