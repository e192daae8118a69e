"""The client card's plug-in surface: panels other apps add to the card.

An app registers a `CardPanel` from its `AppConfig.ready()`; the card renders each panel the
viewer may see at the top of its main column, in `order`. A panel's `context` gets the request
and the client and returns its template's context, or None to show nothing on this card.

A panel that changes the client's history can send the `kliento:timeline-changed` event (an
`HX-Trigger` response header): the card's timeline reloads itself on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from kliento.clients.models import Client
from kliento.core.registry import Registry
from kliento.core.types import AuthenticatedHttpRequest

TIMELINE_CHANGED = "kliento:timeline-changed"


@dataclass(frozen=True)
class CardPanel:
    key: str
    template_name: str
    context: Callable[[AuthenticatedHttpRequest, Client], dict[str, Any] | None]
    permission: str | None = None
    order: int = 100


card_panels: Registry[CardPanel] = Registry("client card panels")


def register_card_panel(panel: CardPanel) -> CardPanel:
    return card_panels.register(panel)


# What merging does with an app's rows whose table allows one row per client (and so would
# conflict in the generic move): fn(kept_id, duplicate_ids) runs first, inside the merge's
# transaction, and leaves rows the generic move can re-point without a conflict.
MergeHandler = Callable[[int, list[int]], None]
merge_handlers: dict[str, MergeHandler] = {}


def register_merge_handler(model_label: str, handler: MergeHandler) -> MergeHandler:
    """`model_label` ("app_label.ModelName") names the model the handler reconciles."""
    if model_label in merge_handlers:
        raise ValueError(f"A merge handler for {model_label!r} is already registered")
    merge_handlers[model_label] = handler
    return handler


def render_panels(request: AuthenticatedHttpRequest, client: Client) -> list[SafeString]:
    rendered = []
    for panel in card_panels:
        if panel.permission and not request.user.has_perm(panel.permission):
            continue
        context = panel.context(request, client)
        if context is None:
            continue
        context = {"client": client, **context}
        rendered.append(SafeString(render_to_string(panel.template_name, context, request=request)))
    return rendered
