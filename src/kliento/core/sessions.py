"""Session expiry: an idle timeout and an absolute maximum age after the login.

The session remembers when its user logged in and when it was last seen; the last-seen time is
written at most once a minute, so an ordinary page view does not save the session. A session
past either limit is logged out before the view runs, which then asks for a login as usual.
Changing one's password ends one's other sessions on its own (Django keeps a hash of the
password in each session).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _

LOGIN_AT = "kliento_login_at"
SEEN_AT = "kliento_seen_at"
# How stale the last-seen time may get before it is written again.
TOUCH_EVERY_SECONDS = 60


@receiver(user_logged_in, dispatch_uid="kliento.core.sessions.stamp_login")
def stamp_login(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Django keeps the session's data when the same user logs in again: restart both clocks.
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionExpiryMiddleware:
    """Logs out a session idle longer than KLIENTO_SESSION_IDLE_MINUTES or older than
    KLIENTO_SESSION_MAX_HOURS. Runs after the authentication middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        login_at, seen_at = session.get(LOGIN_AT), session.get(SEEN_AT)
        if not isinstance(login_at, int) or not isinstance(seen_at, int):
            # A session from before these limits: its clocks start now.
            session[LOGIN_AT] = session[SEEN_AT] = now
            return
        if now - login_at > settings.KLIENTO_SESSION_MAX_AGE_SECONDS:
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
        elif now - seen_at > settings.KLIENTO_SESSION_IDLE_SECONDS:
            logout(request)
            messages.info(
                request, _("You were logged out after a period of inactivity. Please log in again.")
            )
        elif now - seen_at >= TOUCH_EVERY_SECONDS:
            session[SEEN_AT] = now
