"""Text no database can store (NUL, lone surrogates) is a 422 on every endpoint of every app:
the API's parser checks it once (core/api_parser.py), so no app can turn it into a 500."""

from __future__ import annotations

import re

import pytest

from kliento.api import api
from tests.api_support import api_as, error_locs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _json_operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = operation.get("requestBody", {}).get("content", {})
            if "application/json" in body:
                found.append((method, re.sub(r"\{[^}]+\}", "1", path.removeprefix("/api/v1"))))
    return found


OPERATIONS = _json_operations()


def test_every_app_has_json_operations_under_test() -> None:
    assert len(OPERATIONS) >= 20
    prefixes = {path.split("/")[1] for _method, path in OPERATIONS}
    assert {"clients", "journeys", "touchpoints", "standards"} <= prefixes


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@pytest.mark.parametrize("bad", ["Nowak\x00", "\ud800"], ids=["nul", "surrogate"])
def test_unstorable_text_in_a_body_is_a_422_at_its_place(method: str, path: str, bad: str) -> None:
    caller = api_as(UserFactory(is_superuser=True, is_staff=True))
    escaped = bad.encode("unicode_escape").decode().replace("\\x00", "\\u0000")
    raw = '{"name": "' + escaped + '", "items": [{"note": "ok"}]}'
    response = caller._send(method, path, raw=raw)
    assert error_locs(response) == [("body", "name")]
    assert response.json()["detail"][0]["type"] == "unstorable_text"


def test_unstorable_text_in_a_query_is_a_422() -> None:
    caller = api_as(UserFactory(is_superuser=True, is_staff=True))
    response = caller.get("/clients", {"q": "Nowak\x00"})
    assert error_locs(response) == [("query", "q")]


def test_storable_text_passes_through() -> None:
    caller = api_as(UserFactory(is_superuser=True, is_staff=True))
    assert caller.get("/clients", {"q": "Łukasz ☃"}).status_code == 200
