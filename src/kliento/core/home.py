"""The "my work" home page, built from widgets that apps register.

A widget renders its own template with the context its `context` callable returns for the
request; returning None hides it (nothing to show this person today).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.safestring import SafeString

from kliento.core.registry import Registry
from kliento.core.types import AuthenticatedHttpRequest


@dataclass(frozen=True)
class HomeWidget:
    key: str
    label: Promise | str
    template_name: str
    context: Callable[[AuthenticatedHttpRequest], dict[str, Any] | None]
    permission: str | None = None
    order: int = 100
    # Bootstrap columns out of 12 on a wide screen; every widget takes the full width on a phone.
    width: int = 6


home_widgets: Registry[HomeWidget] = Registry("home widgets")


def register_home_widget(widget: HomeWidget) -> HomeWidget:
    return home_widgets.register(widget)


@dataclass(frozen=True)
class RenderedWidget:
    key: str
    label: Promise | str
    width: int
    html: SafeString


def widgets_for(request: AuthenticatedHttpRequest) -> list[RenderedWidget]:
    rendered = []
    for widget in home_widgets:
        if widget.permission and not request.user.has_perm(widget.permission):
            continue
        context = widget.context(request)
        if context is None:
            continue
        html = render_to_string(widget.template_name, context, request=request)
        rendered.append(RenderedWidget(widget.key, widget.label, widget.width, SafeString(html)))
    return rendered
