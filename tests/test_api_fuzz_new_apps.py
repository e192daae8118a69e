"""A bounded, seeded property-based pass over the JSON API of journeys, touchpoints, processes,
standards, policy, surveys, metrics and the service desk: whatever a client sends, the answer is
never a 5xx, every error body is JSON and documented bodies match the OpenAPI document.

Schemathesis generates the requests from the OpenAPI document ninja builds, so a new operation
is covered without editing this file. Hypothesis is derandomized (the same examples every run)
and capped at a few examples per operation to stay well under a minute.
"""

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

from kliento.api import api
from kliento.wsgi import application
from tests.api_support import api_as
from tests.desk_support import new_case
from tests.journeys_helpers import make_journey
from tests.policy_support import published_policy
from tests.standards_support import published

NEW_APPS = (
    r"^/api/v1/(journeys|touchpoints|processes|standards|policy|surveys|metrics|motivation"
    # The service desk, but not its webhooks: a generated URL would be resolved in DNS.
    r"|cases|calls|inbound-messages|team|quality"
    # Mentions, but not their feeds: a generated feed URL would be resolved in DNS too.
    r"|mentions(?!/feeds))"
)

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application).include(
    path_regex=NEW_APPS
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    # Schemathesis calls the WSGI app directly, so Django's request signals would close the
    # test's database connection (inside its transaction) after every request; Django's own
    # test client disconnects the same handler.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(manager) -> dict[str, str]:
    # Something to list, so the list operations' bodies are checked against the document too.
    published(by=manager)
    make_journey()
    published_policy(manager)
    new_case()
    return {"Authorization": f"Bearer {api_as(manager).token}"}


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=5,
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


def _strip(node: Any) -> Any:
    """A JSON schema without the prose (titles, descriptions, examples)."""
    if isinstance(node, dict):
        prose = {"title", "description", "examples"}
        return {k: _strip(v) for k, v in node.items() if k not in prose}
    if isinstance(node, list):
        return [_strip(v) for v in node]
    return node


def test_no_two_api_schemas_share_a_component_name() -> None:
    # OpenAPI keys components by class name: two different schemas of the same name (policy's
    # and standards' VersionOut once) silently document one operation with the other's shape.
    seen: dict[str, Any] = {}
    for router_prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                models = [*operation.models, *operation.response_models.values()]
                for model in models:
                    if not hasattr(model, "model_json_schema"):
                        continue
                    # Ninja wraps parameters and responses in models of its own; the named
                    # schemas are their definitions.
                    found = model.model_json_schema(ref_template="{model}").get("$defs", {})
                    for name, body in found.items():
                        body = _strip(body)
                        assert seen.setdefault(name, body) == body, (
                            f"two API schemas are called {name} ({router_prefix})"
                        )
