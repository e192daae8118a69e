"""Calling the JSON API in tests as a given user, through a real bearer token."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client as HttpClient

from kliento.core.tokens import issue_token

BASE = "/api/v1"


class Api:
    """A test HTTP client that sends a bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.http = HttpClient()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def get(self, path: str, params: dict[str, Any] | None = None):
        return self.http.get(BASE + path, params or {}, headers=self._headers())

    def _send(self, method: str, path: str, body: Any = None, raw: str | bytes | None = None):
        data = raw if raw is not None else ("" if body is None else json.dumps(body))
        return getattr(self.http, method)(
            BASE + path, data=data, content_type="application/json", headers=self._headers()
        )

    def post(self, path: str, body: Any = None, **kw):
        return self._send("post", path, body, **kw)

    def patch(self, path: str, body: Any = None, **kw):
        return self._send("patch", path, body, **kw)

    def put(self, path: str, body: Any = None, **kw):
        return self._send("put", path, body, **kw)

    def delete(self, path: str):
        return self.http.delete(BASE + path, headers=self._headers())


def api_as(user) -> Api:
    _token, raw = issue_token(actor=user, user=user, name="tests")
    return Api(raw)


def error_locs(response) -> list[tuple]:
    """The locations of a 422's field errors, as tuples, for compact assertions."""
    assert response.status_code == 422, response.content
    return [tuple(item["loc"]) for item in response.json()["detail"]]
