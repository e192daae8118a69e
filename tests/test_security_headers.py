"""A deployment passes Django's deployment check from environment variables alone, and every page
carries a Content-Security-Policy that the pages themselves keep (no inline script)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.test_startup import clean_environ

SRC = Path(__file__).resolve().parent.parent / "src" / "kliento"

PRODUCTION = {
    "SECRET_KEY": "k3y-" + "abcdefghij" * 5,
    "ALLOWED_HOSTS": "kliento.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://kliento.example.com",
    "BEHIND_HTTPS_PROXY": "true",
    "SECURE_COOKIES": "true",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "EMAIL_HOST": "smtp.example.com",
}


def _check_deploy(tmp_path, **variables: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kliento.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=clean_environ(KLIENTO_DATA_DIR=str(tmp_path), **variables),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_documented_production_variables_pass_the_deployment_check(tmp_path):
    result = _check_deploy(tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("left_out", "check"),
    [
        ("SECURE_HSTS_SECONDS", "security.W004"),
        ("SECURE_SSL_REDIRECT", "security.W008"),
        ("SECURE_COOKIES", "security.W012"),
        ("EMAIL_HOST", "mail.E001"),
    ],
)
def test_each_variable_matters(tmp_path, left_out, check):
    variables = {k: v for k, v in PRODUCTION.items() if k != left_out}
    result = _check_deploy(tmp_path, **variables)
    assert result.returncode != 0
    assert check in result.stderr


@pytest.mark.parametrize("key", ["k" * 49, "ab" * 40])
def test_a_secret_key_django_would_call_weak_is_refused(tmp_path, key):
    result = _check_deploy(tmp_path, **{**PRODUCTION, "SECRET_KEY": key})
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(as_manager, client_card):
    for url in (reverse("login"), reverse("clients:detail", args=[client_card.pk])):
        policy = as_manager.get(url)["Content-Security-Policy"]
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        assert directives["script-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in directives["style-src"]


@pytest.mark.django_db
def test_the_api_docs_load_from_kliento_itself(manager, client):
    client.force_login(manager)
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


@pytest.mark.parametrize("template", sorted(SRC.rglob("templates/**/*.html")), ids=lambda p: p.name)
def test_templates_have_no_inline_script(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script into a static .js file"
    assert not HANDLER.search(text), "use a data attribute read by static/kliento.js"
    assert "javascript:" not in text
    assert "hx-on" not in text  # htmx's inline handlers need eval, which the policy refuses
