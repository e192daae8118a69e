"""Failed-login lockout (django-axes): the page a locked-out person sees, the audit rows of a
lockout and of an unlock, and the unlock itself.

Axes counts wrong passwords per username (settings: KLIENTO_LOGIN_FAILURE_LIMIT,
KLIENTO_LOGIN_COOLOFF_MINUTES, KLIENTO_LOGIN_LOCKOUT_BY). It guards `authenticate()`, i.e. the
login page and the admin's; API tokens are separate credentials and are not counted.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kliento.core import audit
from kliento.core.types import Actor

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page shown instead of the login form while the username is locked out (429)."""
    cool_off = get_cool_off(request)
    minutes = int(cool_off.total_seconds() // 60) if cool_off else None
    return render(request, "core/locked_out.html", {"minutes": minutes}, status=429)


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: behind the proxy (BEHIND_HTTPS_PROXY) the last X-Forwarded-For
    entry, which the proxy appended; the entries before it are whatever the client sent."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.KLIENTO_BEHIND_PROXY and forwarded.strip():
        return str(forwarded.split(",")[-1].strip())
    remote = request.META.get("REMOTE_ADDR")
    return str(remote) if remote else None


def _user_named(username: str) -> User | None:
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()


def record_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    """Axes' `user_locked_out`: one audit row when the limit is reached.

    Axes sends the signal again for every attempt during the lockout; only the attempt that
    reached the limit counted a failure (`axes_failures_since_start`), so only it is recorded.
    """
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None or not username:
        return
    with transaction.atomic():
        target: models.Model | None = _user_named(username)
        if target is None:
            # Someone is guessing at a name that has no account: worth a row all the same.
            target = AccessAttempt.objects.filter(username=username).order_by("-pk").first()
        if target is None:
            logger.warning("Lockout of %r has no account and no attempt row", username)
            return
        audit.record(
            actor=None,
            action="account.locked_out",
            target=target,
            target_repr=username,
            data={
                "username": username,
                "ip_address": getattr(request, "axes_ip_address", None),
                "failures": failures,
            },
        )


@transaction.atomic
def unlock(*, actor: Actor, user: User) -> int:
    """Forget the user's failed logins, ending a lockout at once; returns the rows removed."""
    removed = AxesProxyHandler.reset_attempts(username=user.get_username())
    audit.record(
        actor=actor,
        action="account.unlocked",
        target=user,
        target_repr=user.get_username(),
        data={"attempts_removed": removed},
    )
    return removed
