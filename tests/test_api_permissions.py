"""Every endpoint checks the same permissions as the UI, before it looks at the input.

The operations are walked from the API's URL patterns as Django serves them (so the router
tree is built, nested routers included); each declares its permissions with `needs(...)`
(kliento.clients.api.common), which is read here and checked against the roles' real grants.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.test import Client as HttpClient
from django.urls import URLResolver
from ninja.openapi.views import default_home, openapi_json, openapi_view
from ninja.operation import Operation, PathView

from kliento.api import api as root_api
from kliento.clients.models import Client, PortraitFact, Purchase
from kliento.core.api_auth import TokenAuth
from kliento.core.tokens import issue_token
from tests.api_support import api_as
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    UserFactory,
)
from tests.route_walk import NO_ROLE, PERSONAS, Objects, Route, parameter_values, persona_user, walk

pytestmark = pytest.mark.django_db

# The number of operations when this was written (23), less a little room for endpoints that
# move or merge. An empty or broken walk must fail, not pass with nothing checked.
OPERATION_FLOOR = 20

# Ninja's own pages next to the operations: public by design (see test_api_auth), and what an
# anonymous caller gets. The root exists only so Ninja can reverse its URLs: always a 404.
NINJA_PAGES: dict[Callable[..., Any], int] = {
    openapi_json: 200,
    openapi_view: 200,
    default_home: 404,
}


def _not_admin(include: URLResolver) -> bool:
    return include.app_name != "admin"


# Wherever the API is mounted; walking the served URLconf also builds Ninja's router tree.
API_ROUTES: list[Route] = [
    r for r in walk(_not_admin) if r.namespace.split(":")[-1] == root_api.urls_namespace
]


def _path_view(route: Route) -> PathView | None:
    """The operations behind a served API URL (Ninja's view closes over its PathView)."""
    if not inspect.isfunction(route.callback):
        return None
    found = inspect.getclosurevars(route.callback).nonlocals.get("self")
    return found if isinstance(found, PathView) else None


def _operations() -> list[tuple[Route, Operation]]:
    found = []
    seen: set[int] = set()
    for route in API_ROUTES:
        path_view = _path_view(route)
        # Ninja serves each operation under its own URL name, all with the same PathView.
        if path_view is None or id(path_view) in seen:
            continue
        seen.add(id(path_view))
        found.extend((route, operation) for operation in path_view.operations)
    return found


OPERATIONS = _operations()


def _label(item: tuple[Route, Operation]) -> str:
    route, operation = item
    return f"{'/'.join(operation.methods)} {route}"


def _declared(operation: Operation) -> frozenset[str]:
    """The permissions an operation declares, from its single TokenAuth."""
    auths = operation.auth_callbacks
    name = operation.view_func.__name__
    assert len(auths) == 1 and isinstance(auths[0], TokenAuth), (
        f"{name}: authenticate with **needs(...) only"
    )
    return frozenset(auths[0].perms)


def test_the_walk_sees_every_operation():
    assert len(OPERATIONS) >= OPERATION_FLOOR, [_label(o) for o in OPERATIONS]
    assert len({_label(o) for o in OPERATIONS}) == len(OPERATIONS), "an operation walked twice"


def test_every_api_url_is_an_operation_or_a_ninja_page():
    for route in API_ROUTES:
        if _path_view(route) is None:
            view = route.callback
            assert isinstance(view, partial) and view.func in NINJA_PAGES, (
                f"{route}: not a Ninja operation; declare its access"
            )


def test_every_operation_requires_a_permission():
    """A new endpoint without `needs(...)` would be open to every token holder."""
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    for route, operation in OPERATIONS:
        perms = _declared(operation)
        assert perms, f"{_label((route, operation))}: declares no permission"
        # A misspelt permission is held by nobody: the walk would see only 403s and pass.
        assert perms <= existing, f"{_label((route, operation))}: {sorted(perms - existing)}"
        # The OpenAPI document tells clients the same.
        documented = (operation.openapi_extra or {}).get("x-permissions")
        assert set(documented or ()) == perms, _label((route, operation))


def test_ninja_pages_are_public():
    http = HttpClient()
    for route in API_ROUTES:
        if _path_view(route) is None:
            response = http.get(route.url({}))
            assert response.status_code == NINJA_PAGES[route.callback.func], route


@pytest.fixture(scope="module")
def http() -> HttpClient:
    """One test client for the module: each new one loads the middleware again."""
    return HttpClient()


def _send(http: HttpClient, method: str, url: str, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    body = "" if method in ("GET", "DELETE") else json.dumps({})
    return http.generic(method, url, body, content_type="application/json", headers=headers)


@pytest.mark.parametrize("item", OPERATIONS, ids=_label)
def test_operation_lets_in_exactly_who_holds_its_permissions(item, http):
    route, operation = item
    perms = _declared(operation)
    allowed = set()
    for persona in PERSONAS:
        user = persona_user(persona)
        # Fresh objects for each persona: an allowed DELETE removes what it is given.
        url = route.url(parameter_values(route, Objects(user)))
        token = issue_token(actor=user, user=user, name="walk")[1] if user else None
        for method in operation.methods:
            response = _send(http, method, url, token)
            status = response.status_code
            where = f"{method} {route} as {persona}: {status} {response.content[:200]!r}"
            if user is None:
                assert status == 401, where
                assert response["WWW-Authenticate"] == "Bearer", where
            elif user.has_perms(perms):
                # Past the permission check; the empty body may still be a 422.
                assert status not in (401, 403, 404, 405) and status < 500, where
                allowed.add(persona)
            else:
                assert status == 403, where
                assert "permission" in response.json()["detail"], where
    # Someone must get in, or the walk checked only refusals.
    assert allowed and NO_ROLE not in allowed, (_label(item), sorted(allowed))


# Behaviour beyond the status codes: what the refused and the allowed calls do to the data.


@pytest.fixture
def card(db):
    client = ClientFactory(name="Anna")
    return {
        "client": client,
        "contact": ContactFactory(client=client),
        # An author is set: verifying an authorless (imported) fact is fixed on another branch.
        "fact": PortraitFactFactory(client=client, recorded_by=UserFactory(username="author")),
        "purchase": PurchaseFactory(client=client),
    }


def _writes(c) -> list[tuple[str, str, dict | None]]:
    pk = c["client"].pk
    return [
        ("post", "/clients", {"name": "New"}),
        ("patch", f"/clients/{pk}", {"notes": "x"}),
        ("post", f"/clients/{pk}/left", {"left_on": "2026-01-01"}),
        ("post", f"/clients/{pk}/contacts", {"kind": "email", "value": "new@example.com"}),
        ("delete", f"/clients/{pk}/contacts/{c['contact'].pk}", None),
        ("put", f"/clients/{pk}/consents/email", {"granted": True}),
        ("post", f"/clients/{pk}/facts", {"category": "family", "text": "x", "source": "survey"}),
        ("post", f"/clients/{pk}/facts/{c['fact'].pk}/verify", {}),
        ("delete", f"/clients/{pk}/facts/{c['fact'].pk}", None),
        (
            "post",
            f"/clients/{pk}/purchases",
            {"occurred_on": "2026-01-01", "amount": "1", "currency": "PLN"},
        ),
        ("delete", f"/clients/{pk}/purchases/{c['purchase'].pk}", None),
        ("delete", f"/clients/{pk}", None),
    ]


def _call(api, method, path, body=None):
    if method in ("get", "delete"):
        return getattr(api, method)(path)
    return getattr(api, method)(path, body)


def test_permission_is_checked_before_the_input(outsider, card):
    response = api_as(outsider).post("/clients", raw="{not json")
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["auditor", "outsider"])
def test_refused_writes_with_valid_input_change_nothing(persona, card, request):
    api = api_as(request.getfixturevalue(persona))
    verified_at = card["fact"].verified_at
    for method, path, body in _writes(card):
        assert _call(api, method, path, body).status_code == 403, (method, path)
    client = Client.objects.get()
    assert client.notes == "" and client.status == "active"
    assert not client.timeline.exists()
    assert client.contacts.count() == 1
    assert PortraitFact.objects.get().verified_at == verified_at
    assert Purchase.objects.count() == 1


@pytest.mark.parametrize(
    ("path_of", "model"),
    [
        (lambda c: f"/clients/{c['client'].pk}", Client),
        (lambda c: f"/clients/{c['client'].pk}/purchases/{c['purchase'].pk}", Purchase),
        (lambda c: f"/clients/{c['client'].pk}/facts/{c['fact'].pk}", PortraitFact),
    ],
)
def test_agent_cannot_delete(agent, card, path_of, model):
    response = api_as(agent).delete(path_of(card))
    assert response.status_code == 403
    assert model.objects.count() == 1


def test_agent_does_the_daily_work(agent, card):
    api = api_as(agent)
    pk = card["client"].pk
    assert api.post("/clients", {"name": "Walk-in"}).status_code == 201
    assert api.patch(f"/clients/{pk}", {"job_title": "Teacher"}).status_code == 200
    fact = {"category": "family", "text": "Two kids", "source": "conversation"}
    assert api.post(f"/clients/{pk}/facts", fact).status_code == 201
    purchase = {"occurred_on": "2026-01-02", "amount": "5", "currency": "PLN"}
    assert api.post(f"/clients/{pk}/purchases", purchase).status_code == 201


def test_manager_can_do_everything(manager, card):
    api = api_as(manager)
    for method, path, body in _writes(card):
        response = _call(api, method, path, body)
        assert response.status_code in (200, 201, 204), (method, path, response.content)
    assert not Client.objects.filter(pk=card["client"].pk).exists()
