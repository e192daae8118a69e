"""Kliento's settings plus a throw-away app that plugs into every registry (tests/plugin_app),
installed the way a company installs its own app: through KLIENTO_EXTRA_APPS."""

import os

os.environ["KLIENTO_EXTRA_APPS"] = "tests.plugin_app"
try:
    from kliento.settings import *  # noqa: F403
finally:
    # Not inherited by the `kliento` processes that tests start (they cannot import tests).
    del os.environ["KLIENTO_EXTRA_APPS"]
