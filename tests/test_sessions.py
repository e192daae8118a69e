"""Session expiry: an idle timeout and an absolute maximum age, written at most once a minute."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest
from django.test import Client as HttpClient

from kliento.core import roles, sessions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "time", SimpleNamespace(time=clock.time))
    return clock


@pytest.fixture
def limits(settings):
    settings.KLIENTO_SESSION_IDLE_SECONDS = 30 * 60
    settings.KLIENTO_SESSION_MAX_AGE_SECONDS = 8 * 3600


def _logged_in() -> HttpClient:
    UserFactory(username="olena", role=roles.AGENT)
    http = HttpClient()
    response = http.post("/login/", {"username": "olena", "password": "secret-pass-123"})
    assert response.status_code == 302
    return http


def test_an_idle_session_is_logged_out(clock, limits):
    http = _logged_in()
    clock.advance(29 * 60)
    assert http.get("/").status_code == 200

    clock.advance(31 * 60)
    response = http.get("/clients/")

    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/clients/"
    assert "_auth_user_id" not in http.session
    page = http.get(response["Location"])
    assert "logged out after a period of inactivity" in page.text


def test_activity_keeps_the_session_until_the_absolute_limit(clock, limits):
    http = _logged_in()
    for _ in range(16):  # 7 h 44 min of work, a request every 29 minutes
        clock.advance(29 * 60)
        assert http.get("/").status_code == 200, clock.now
    clock.advance(29 * 60)  # 8 h 13 min since the login
    response = http.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "Your session has ended" in http.get("/login/").text


def test_a_new_login_restarts_the_clocks(clock, limits):
    http = _logged_in()
    clock.advance(7 * 3600)
    http.get("/")
    # Logging in again as the same person keeps the session's data: the clocks must restart.
    http.post("/login/", {"username": "olena", "password": "secret-pass-123"})
    for _ in range(4):  # to 8 h 20 min after the first login
        clock.advance(20 * 60)
        assert http.get("/").status_code == 200


def test_the_last_seen_time_is_written_at_most_once_a_minute(clock, limits):
    http = _logged_in()
    seen = http.session[sessions.SEEN_AT]
    clock.advance(20)
    http.get("/")
    assert http.session[sessions.SEEN_AT] == seen
    clock.advance(45)
    http.get("/")
    assert http.session[sessions.SEEN_AT] == int(clock.now)


def _settings_with(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KLIENTO_")}
    env.update(KLIENTO_DATA_DIR=str(tmp_path), **variables)
    code = (
        "from kliento import settings as s; "
        "print(s.KLIENTO_SESSION_IDLE_SECONDS, s.KLIENTO_SESSION_MAX_AGE_SECONDS, "
        "s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, int(s.AXES_COOLOFF_TIME.total_seconds()), "
        "s.AXES_LOCKOUT_PARAMETERS)"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


def test_the_limits_come_from_the_environment(tmp_path):
    result = _settings_with(
        tmp_path,
        KLIENTO_SESSION_IDLE_MINUTES="15",
        KLIENTO_SESSION_MAX_HOURS="10",
        KLIENTO_LOGIN_FAILURE_LIMIT="7",
        KLIENTO_LOGIN_COOLOFF_MINUTES="30",
        KLIENTO_LOGIN_LOCKOUT_BY="username_ip",
    )
    assert result.stdout.split(maxsplit=5) == [
        "900",
        "36000",
        "36000",
        "7",
        "1800",
        "[['username', 'ip_address']]\n",
    ], result.stderr


def test_defaults(tmp_path):
    result = _settings_with(tmp_path)
    assert result.stdout.strip() == "3600 43200 43200 5 900 ['username']", result.stderr


def test_a_malformed_lockout_setting_is_refused(tmp_path):
    result = _settings_with(tmp_path, KLIENTO_LOGIN_LOCKOUT_BY="ip")
    assert "KLIENTO_LOGIN_LOCKOUT_BY must be username or username_ip" in result.stderr
