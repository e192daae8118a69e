"""Types every app's services and views share.

Kliento uses Django's own user model (`auth.User`, AUTH_USER_MODEL is not changed); if that ever
changes, these aliases are the one place to follow it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django_htmx.middleware import HtmxDetails

# Who makes a change, as every service's keyword-only `actor` takes it: a signed-in user, or
# None for the system (a command-line import, `kliento issue_token`, the demo loader).
type Actor = User | None


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind `login_required` or `core.permissions.require`: never anonymous.

    For annotations only; Django passes a plain HttpRequest. The API's token authentication
    sets `request.user` to the token's owner as well.
    """

    user: User


class HtmxHttpRequest(AuthenticatedHttpRequest):
    """A request behind a login, with django-htmx's `request.htmx` (set by its middleware).

    For annotations only, like AuthenticatedHttpRequest: every page that answers htmx with a
    fragment is behind a login.
    """

    htmx: HtmxDetails
