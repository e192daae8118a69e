"""Kliento's settings plus a throw-away app that plugs into every registry (tests/plugin_app),
installed the way a company would install its own app: through KLIENTO_EXTRA_APPS."""

import os

os.environ["KLIENTO_EXTRA_APPS"] = "tests.plugin_app"

from kliento.settings import *  # noqa: F403
