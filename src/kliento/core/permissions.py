"""Who may open a page, declared on the view itself so the route tests can read it.

Every view reachable through a URL declares its access with exactly one of these decorators:

- `require(*perms)`: login, then every listed permission, else 403;
- `login_only`: any logged-in user (own-account pages such as the API tokens);
- `public`: no login (the login page, the health check).

The decorators record what they enforce as `Access` on the view (`access_of(view)` reads it),
and it survives Django's decorators such as `require_POST` or `never_cache`, which copy the
wrapped view's attributes. `tests/test_route_permissions.py` walks every URL pattern, fails on
a view that declares nothing, and checks each declaration against the roles' real grants.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render

# Any view: pages, redirects, file downloads and streamed exports alike.
View = Callable[..., HttpResponseBase]

# Methods that only read; any other method may change data and needs `writes` as well.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACCESS_ATTRIBUTE = "kliento_access"


@dataclass(frozen=True)
class Access:
    """What a view requires: a login or not, and the permissions for reading and writing."""

    login: bool
    perms: frozenset[str] = frozenset()
    # Required in addition to `perms` for a method outside SAFE_METHODS (a form's POST).
    writes: frozenset[str] = frozenset()
    # A condition beyond fixed permissions, e.g. "may import into at least one target".
    test: Callable[[Any], bool] | None = None

    def perms_for(self, method: str) -> frozenset[str]:
        return self.perms if method.upper() in SAFE_METHODS else self.perms | self.writes

    def allows(self, user: Any, method: str) -> bool:
        if not self.login:
            return True
        if user is None or not user.is_authenticated:
            return False
        return user.has_perms(self.perms_for(method)) and (self.test is None or self.test(user))

    @property
    def restricted(self) -> bool:
        """More than a login is needed (so a user without a role must be refused)."""
        return bool(self.perms or self.writes or self.test)

    def merged(self, other: Access | None) -> Access:
        """Both declarations at once: a decorator stacked on another only adds requirements."""
        if other is None:
            return self
        if self.test is not None and other.test is not None and self.test is not other.test:
            raise ValueError("A view can declare one access test, not two")
        return Access(
            login=self.login or other.login,
            perms=self.perms | other.perms,
            writes=self.writes | other.writes,
            test=self.test or other.test,
        )


def access_of(view: Callable[..., Any]) -> Access | None:
    """The access a view declares, or None when it declares none."""
    return getattr(view, ACCESS_ATTRIBUTE, None)


def _declare(view: View, access: Access, inner: Callable[..., Any]) -> View:
    setattr(view, ACCESS_ATTRIBUTE, access.merged(access_of(inner)))
    return view


def require(
    *perms: str, writes: Iterable[str] = (), denied_template: str | None = None
) -> Callable[[View], View]:
    """Login required, then every listed permission, else 403 (never a silent redirect loop).

    `writes`: permissions needed in addition for a request that may change data (POST), on a
    page that both shows something and acts on it. `denied_template`: a page of its own for the
    403, instead of the generic one.
    """
    access = Access(login=True, perms=frozenset(perms), writes=frozenset(writes))

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            needed = access.perms_for(request.method or "GET")
            if not request.user.has_perms(needed):
                if denied_template is not None:
                    return render(request, denied_template, status=403)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapped, access, view)

    return decorator


def require_that(test: Callable[[Any], bool]) -> Callable[[View], View]:
    """Login required, then `test(user)` must hold, else 403: for access that depends on what
    is registered (e.g. the import targets a user may use). The view still checks the object
    it touches."""
    access = Access(login=True, test=test)

    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _declare(wrapped, access, view)

    return decorator


def login_only(view: View) -> View:
    """Any logged-in user, whatever their role: pages about one's own account."""
    return _declare(login_required(view), Access(login=True), view)


def public(view: View) -> View:
    """No login needed; declared so that an unchecked page is never one by omission."""
    return _declare(view, Access(login=False), view)
