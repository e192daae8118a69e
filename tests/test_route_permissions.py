"""Every page, walked from the real URLconf, lets in exactly who the roles' grants allow.

Each view declares its access with `require`, `login_only` or `public` (kliento.core.permissions);
an undeclared view fails here, so a new page cannot go unchecked. Who holds a permission is
read from the roles as migrated into the database (`user.has_perms`), not from a list kept here.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.signals import request_finished
from django.db import close_old_connections
from django.http import HttpResponseBase
from django.shortcuts import resolve_url
from django.test import Client as HttpClient
from django.urls import URLResolver

from kliento.api import api
from kliento.core.permissions import Access, access_of
from tests.route_walk import (
    NO_ROLE,
    PERSONAS,
    Objects,
    Route,
    parameter_values,
    persona_user,
    walk,
)

pytestmark = pytest.mark.django_db

# The number of routes the walk found when this was written (32), less a little room for pages
# that move or merge. An empty or broken walk must fail, not pass with nothing checked.
ROUTE_FLOOR = 28


def _descend(include: URLResolver) -> bool:
    """Not the admin (its own staff checks), the language switch (Django's, public), nor the
    JSON API (token auth, see test_api_permissions)."""
    return not (
        include.app_name == "admin"
        or getattr(include.urlconf_name, "__name__", None) == "django.conf.urls.i18n"
        or include.namespace == api.urls_namespace
    )


ROUTES: list[Route] = list(walk(_descend))


def test_the_walk_sees_every_page():
    assert len(ROUTES) >= ROUTE_FLOOR, [str(r) for r in ROUTES]
    assert len({r.route for r in ROUTES}) == len(ROUTES), "a route is walked twice"


def test_every_view_declares_who_may_open_it():
    undeclared = [
        f"{r} ({r.callback.__module__}.{r.callback.__qualname__})"
        for r in ROUTES
        if access_of(r.callback) is None
    ]
    assert not undeclared, (
        "Decorate these views with require(...), login_only or public "
        f"(kliento.core.permissions): {undeclared}"
    )


def test_every_declared_permission_exists():
    """A misspelt permission is held by nobody: the walk would see only 403s and pass."""
    existing = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.select_related("content_type")
    }
    for route in ROUTES:
        access = access_of(route.callback)
        unknown = (access.perms | access.writes) - existing if access else set()
        assert not unknown, f"{route}: {sorted(unknown)}"


def _send(http: HttpClient, url: str, method: str) -> HttpResponseBase:
    response = http.generic(method, url)
    # File downloads hold their file open. Closing a response also says "request finished",
    # whose handler would close the database connection that the test's transaction runs on
    # (PostgreSQL); the test client unhooks it for its own close, and so must this one.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    return response


def _methods(http: HttpClient, url: str, access: Access) -> list[tuple[str, HttpResponseBase]]:
    """GET, or POST where only POST is accepted; POST as well where writing needs more."""
    response = _send(http, url, "GET")
    if response.status_code == 405 and "POST" in response.get("Allow", ""):
        return [("POST", _send(http, url, "POST"))]
    sent = [("GET", response)]
    if access.writes:
        sent.append(("POST", _send(http, url, "POST")))
    return sent


def _is_login_redirect(response: HttpResponseBase) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response["Location"].startswith(f"{login}?next=")


def _reached(response: HttpResponseBase) -> bool:
    """The view ran: neither refused nor broken, and the fixtures named real objects."""
    return response.status_code not in (401, 403, 404, 405) and response.status_code < 500


def _check(route: Route, persona: str, user: Any | None, method: str, response) -> None:
    access = access_of(route.callback)
    assert access is not None
    status = response.status_code
    where = f"{method} {route} as {persona}: {status}"
    if not access.login:
        assert _reached(response), where
        assert not _is_login_redirect(response), where
    elif user is None:
        not_html = not response.get("Content-Type", "").startswith("text/html")
        assert _is_login_redirect(response) or (status in (401, 403) and not_html), where
    elif access.allows(user, method):
        assert _reached(response), where
    else:
        assert status == 403, where


@pytest.fixture(scope="module")
def http() -> HttpClient:
    """One test client for the module: each new one loads the middleware again (WhiteNoise
    scans the static files), which would be most of this module's time."""
    return HttpClient()


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_route_lets_in_exactly_who_holds_its_permissions(route, http, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    access = access_of(route.callback)
    assert access is not None, f"{route} declares no access"
    allowed: dict[str, set[str]] = {}
    for persona in PERSONAS:
        # Fresh objects for each persona: an allowed POST may remove what it is given.
        user = persona_user(persona)
        url = route.url(parameter_values(route, Objects(user)))
        http.logout()
        if user is not None:
            http.force_login(user)
        for method, response in _methods(http, url, access):
            _check(route, persona, user, method, response)
            who = allowed.setdefault(method, set())
            if user is not None and access.allows(user, method):
                who.add(persona)
    # Someone must get in, or the walk checked only refusals; the user without a role must not.
    for method, who in allowed.items():
        assert who, f"{method} {route}: no role may use it"
        assert NO_ROLE not in who or not access.restricted, f"{method} {route}"
