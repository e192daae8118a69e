from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from kliento.core.navigation import menu_for
from kliento.core.notifications import unread_count
from kliento.core.roles import ROLE_LABELS

# Where a request keeps its navigation context: a page renders several templates with the
# request (the client card one per panel), and each would otherwise run these queries again.
_MEMO = "_kliento_navigation"


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    memo = getattr(request, _MEMO, None)
    # Keyed by the user: a request that logs someone in or out gets the new user's menu.
    if memo is not None and memo[0] == user.pk:
        return dict(memo[1])
    names = [g.name for g in user.groups.all()]
    context = {
        "user_roles": [ROLE_LABELS[n] for n in names if n in ROLE_LABELS],
        "menu": menu_for(request),
        # The bell's count as the page loads (the bell then refreshes itself through htmx).
        # A callable, counted once and only by templates that show the bell, not by partials.
        "unread_notifications": cache(lambda: unread_count(user)),
    }
    setattr(request, _MEMO, (user.pk, context))
    return dict(context)
