"""Settings come from the environment and stop the process on a malformed value."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from kliento import settings as kliento_settings

ENV_VARS = [
    "DATABASE_URL",
    "SECRET_KEY",
    "EMAIL_HOST",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_PORT",
    "KLIENTO_PAGE_SIZE",
    "KLIENTO_DEFAULT_REGION",
    "KLIENTO_DEFAULT_CURRENCY",
    "TEST_DATABASE_NAME",
]


@pytest.fixture
def env(monkeypatch, tmp_path):
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(kliento_settings, "DATA_DIR", tmp_path)
    return monkeypatch


@pytest.mark.parametrize("raw", ["1", "true", "TRUE", "yes", "on", " On "])
def test_env_bool_true(env, raw):
    env.setenv("FLAG", raw)
    assert kliento_settings.env_bool("FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", "OFF"])
def test_env_bool_false(env, raw):
    env.setenv("FLAG", raw)
    assert kliento_settings.env_bool("FLAG", True) is False


def test_env_bool_unset_or_empty_is_the_default(env):
    assert kliento_settings.env_bool("FLAG", True) is True
    env.setenv("FLAG", "")
    assert kliento_settings.env_bool("FLAG", False) is False


def test_env_bool_refuses_anything_else(env):
    env.setenv("EMAIL_USE_TLS", "maybe")
    with pytest.raises(
        ImproperlyConfigured, match="EMAIL_USE_TLS must be true or false, got 'maybe'"
    ):
        kliento_settings.env_bool("EMAIL_USE_TLS", False)


def test_env_int(env):
    env.setenv("KLIENTO_PAGE_SIZE", "50")
    assert kliento_settings.env_int("KLIENTO_PAGE_SIZE", 25, minimum=1) == 50
    env.setenv("KLIENTO_PAGE_SIZE", "abc")
    with pytest.raises(
        ImproperlyConfigured, match="KLIENTO_PAGE_SIZE must be an integer, got 'abc'"
    ):
        kliento_settings.env_int("KLIENTO_PAGE_SIZE", 25, minimum=1)
    env.setenv("KLIENTO_PAGE_SIZE", "0")
    with pytest.raises(ImproperlyConfigured, match="KLIENTO_PAGE_SIZE must be at least 1, got 0"):
        kliento_settings.env_int("KLIENTO_PAGE_SIZE", 25, minimum=1)


def test_env_list(env):
    env.setenv("ALLOWED_HOSTS", " kliento.example.com, ,10.0.0.5 ")
    assert kliento_settings.env_list("ALLOWED_HOSTS", []) == ["kliento.example.com", "10.0.0.5"]
    env.setenv("ALLOWED_HOSTS", "  ")
    assert kliento_settings.env_list("ALLOWED_HOSTS", ["localhost"]) == ["localhost"]


def test_database_defaults_to_sqlite_in_the_data_folder(env, tmp_path):
    config = kliento_settings._database()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "kliento.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_postgresql_url(env):
    env.setenv("DATABASE_URL", "postgres://kliento:s3cret@db.internal:5433/kliento")
    env.setenv("TEST_DATABASE_NAME", "kliento_ci")
    config = kliento_settings._database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "kliento")
    assert config["TEST"]["NAME"] == "kliento_ci"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:p@localhost/kliento", "DATABASE_URL must point to PostgreSQL or SQLite"),
        ("oracle://u:p@localhost/kliento", "DATABASE_URL must point to PostgreSQL or SQLite"),
        ("foo://localhost/kliento", "DATABASE_URL is not a valid database URL"),
    ],
)
def test_database_url_with_an_unsupported_scheme_is_refused(env, url, message):
    env.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured, match=message):
        kliento_settings._database()


def test_secret_key_too_short_is_refused(env):
    env.setenv("SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be at least 50 characters"):
        kliento_settings._secret_key()


def test_secret_key_from_the_environment(env):
    key = "kliento-" + "0123456789" * 5
    env.setenv("SECRET_KEY", key)
    assert kliento_settings._secret_key() == key


def test_secret_key_from_the_data_folder(env, tmp_path):
    (tmp_path / "secret_key").write_text("k" * 40 + "\n")
    assert kliento_settings._secret_key() == "k" * 40


@pytest.mark.parametrize("content", [None, "", "\n"], ids=["no-file", "empty", "blank"])
def test_without_a_key_signing_says_what_to_do(env, tmp_path, content):
    from django.utils.crypto import salted_hmac

    if content is not None:
        (tmp_path / "secret_key").write_text(content)
    key = kliento_settings._secret_key()  # reading the settings is not an error yet
    with pytest.raises(ImproperlyConfigured, match=r"run a kliento command .* or set SECRET_KEY"):
        salted_hmac("salt", "value", secret=key, algorithm="sha256")
    with pytest.raises(ImproperlyConfigured, match="run a kliento command"):
        key.encode()


def test_mail_goes_to_the_console_without_a_host(env):
    assert kliento_settings._mailers()["default"]["BACKEND"].endswith("console.EmailBackend")


def test_smtp_mail_settings(env):
    env.setenv("EMAIL_HOST", "smtp.example.com")
    env.setenv("EMAIL_PORT", "587")
    env.setenv("EMAIL_USE_TLS", "true")
    options = kliento_settings._mailers()["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"], options["use_ssl"]) == (
        "smtp.example.com",
        587,
        True,
        False,
    )


@pytest.mark.parametrize("host", ["smtp.example.com", ""], ids=["with-host", "without-host"])
@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EMAIL_USE_TLS": "maybe"}, "EMAIL_USE_TLS must be true or false"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT must be an integer"),
        ({"EMAIL_USE_TLS": "1", "EMAIL_USE_SSL": "1"}, "cannot both be true"),
    ],
)
def test_bad_mail_settings_are_refused_even_before_mail_is_set_up(env, host, variables, message):
    env.setenv("EMAIL_HOST", host)
    for name, value in variables.items():
        env.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message):
        kliento_settings._mailers()


def test_region_and_currency(env):
    env.setenv("KLIENTO_DEFAULT_REGION", "ua")
    env.setenv("KLIENTO_DEFAULT_CURRENCY", "uah")
    assert kliento_settings.env_region("KLIENTO_DEFAULT_REGION", "PL") == "UA"
    assert kliento_settings.env_currency("KLIENTO_DEFAULT_CURRENCY", "PLN") == "UAH"


@pytest.mark.parametrize("raw", ["Poland", "XX", "P"])
def test_unknown_region_is_refused(env, raw):
    env.setenv("KLIENTO_DEFAULT_REGION", raw)
    with pytest.raises(ImproperlyConfigured, match="KLIENTO_DEFAULT_REGION must be a two-letter"):
        kliento_settings.env_region("KLIENTO_DEFAULT_REGION", "PL")


@pytest.mark.parametrize("raw", ["EURO", "ZZZ", "zł"])
def test_unknown_currency_is_refused(env, raw):
    env.setenv("KLIENTO_DEFAULT_CURRENCY", raw)
    with pytest.raises(ImproperlyConfigured, match="KLIENTO_DEFAULT_CURRENCY must be an ISO 4217"):
        kliento_settings.env_currency("KLIENTO_DEFAULT_CURRENCY", "PLN")


def run_kliento(tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ENV_VARS}
    env.update(KLIENTO_DATA_DIR=str(tmp_path), **variables)
    return subprocess.run(
        [sys.executable, "-c", "from kliento.cli import main; main(['kliento', 'check'])"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"KLIENTO_PAGE_SIZE": "abc"}, "KLIENTO_PAGE_SIZE must be an integer, got 'abc'"),
        ({"DATABASE_URL": "mysql://u@h/db"}, "DATABASE_URL must point to PostgreSQL or SQLite"),
    ],
)
def test_kliento_stops_with_the_variable_named(tmp_path, variables, message):
    result = run_kliento(tmp_path, **variables)
    assert result.returncode == 2
    assert f"kliento: configuration error: {message}" in result.stderr


def test_kliento_starts_with_the_defaults(tmp_path):
    result = run_kliento(tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "secret_key").exists()
