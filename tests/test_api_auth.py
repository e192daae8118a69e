"""Token authentication: no, bad, revoked or inactive-owner tokens are 401, in JSON."""

from __future__ import annotations

import pytest

from kliento.core.models import ApiToken
from kliento.core.tokens import issue_token, revoke_token
from tests.api_support import Api, api_as

pytestmark = pytest.mark.django_db


def test_no_token_is_401_json():
    response = Api(None).get("/clients")
    assert response.status_code == 401
    assert response.json() == {"detail": "Send a valid API token: Authorization: Bearer <token>."}
    assert response["WWW-Authenticate"] == "Bearer"


def test_401_speaks_the_callers_language():
    response = Api(None).http.get("/api/v1/clients", HTTP_ACCEPT_LANGUAGE="uk")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]
    assert response.json()["detail"] != "Send a valid API token: Authorization: Bearer <token>."


@pytest.mark.parametrize("token", ["nope", "kl_" + "x" * 43, " ", "Bearer"])
def test_unknown_token_is_401(manager, token):
    assert Api(token).get("/clients").status_code == 401


def test_wrong_scheme_is_401(manager):
    _token, raw = issue_token(actor=manager, user=manager, name="t")
    api = Api(raw)
    response = api.http.get("/api/v1/clients", headers={"Authorization": f"Token {raw}"})
    assert response.status_code == 401


def test_valid_token_works_and_records_last_use(manager):
    token, raw = issue_token(actor=manager, user=manager, name="t")
    assert Api(raw).get("/clients").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_revoked_token_is_401(manager):
    token, raw = issue_token(actor=manager, user=manager, name="t")
    assert Api(raw).get("/clients").status_code == 200
    revoke_token(actor=manager, token=token)
    assert Api(raw).get("/clients").status_code == 401


def test_token_of_deactivated_user_is_401(manager):
    api = api_as(manager)
    manager.is_active = False
    manager.save()
    assert api.get("/clients").status_code == 401


def test_only_the_hash_is_stored(manager):
    token, raw = issue_token(actor=manager, user=manager, name="t")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.token_hash, stored.prefix)
    assert raw.startswith(stored.prefix)


def test_docs_and_schema_are_public(db):
    api = Api(None)
    assert api.http.get("/api/v1/docs").status_code == 200
    schema = api.http.get("/api/v1/openapi.json").json()
    assert "/api/v1/clients" in schema["paths"]
    assert "TokenAuth" in schema["components"]["securitySchemes"]
