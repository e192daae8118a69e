"""A bounded, seeded property-based pass over the SLA setup API (/calendars, /sla-policies):
whatever a client sends, the answer is never a 5xx, every error body is JSON with `detail`,
and documented bodies match the OpenAPI document (same approach as test_api_fuzz_new_apps)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from kliento.wsgi import application
from tests.api_support import api_as
from tests.desk_sla_support import office, policy

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=r"^/api/v1/(calendars|sla-policies)"
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(manager) -> dict[str, str]:
    policy(office())  # something to list and to address by id
    return {"Authorization": f"Bearer {api_as(manager).token}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=8,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_documented_answers(case: Any, bearer: dict[str, str]) -> None:
    response = case.call(headers=bearer)
    case.validate_response(
        response,
        checks=(not_a_server_error, response_schema_conformance, content_type_conformance),
    )
    if response.status_code >= 400:
        assert "detail" in json.loads(response.content), response.content[:300]
