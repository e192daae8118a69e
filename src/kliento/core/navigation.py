"""The main menu, filled by each app: a label, where it leads, who may see it, where it sits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kliento.core.registry import Registry

# Groups of the menu bar; a group with one visible item shows as that item, else as a dropdown.
GROUPS: dict[str, tuple[int, Promise]] = {
    "work": (10, _("Work")),
    "analysis": (20, _("Analysis")),
    "setup": (30, _("Setup")),
}


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Promise | str
    url_name: str
    permission: str | None = None
    # A test on the user, for entries no single permission describes; when both are given the
    # user needs the permission and must pass the test.
    visible: Callable[[Any], bool] | None = None
    group: str = "work"
    order: int = 100
    # View names (or "namespace:" prefixes) that mark the item as the current page.
    active_for: tuple[str, ...] = field(default=())


menu: Registry[MenuItem] = Registry("menu")


def register_menu_item(item: MenuItem) -> MenuItem:
    if item.group not in GROUPS:
        raise ValueError(f"Unknown menu group {item.group!r}; use one of {sorted(GROUPS)}")
    return menu.register(item)


def _is_active(item: MenuItem, request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return False
    patterns = item.active_for or (item.url_name,)
    return any(
        match.view_name.startswith(p) if p.endswith(":") else match.view_name == p for p in patterns
    )


def menu_for(request: HttpRequest) -> list[dict[str, Any]]:
    """The visible menu as groups of entries, in order; each entry knows if it is current."""
    user = request.user
    grouped: dict[str, list[dict[str, Any]]] = {}
    for item in sorted(menu, key=lambda i: (GROUPS[i.group][0], i.order)):
        if item.permission and not user.has_perm(item.permission):
            continue
        if item.visible is not None and not item.visible(user):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        grouped.setdefault(item.group, []).append(
            {"key": item.key, "label": item.label, "url": url, "active": _is_active(item, request)}
        )
    return [
        {
            "key": key,
            "label": GROUPS[key][1],
            "items": items,
            "active": any(entry["active"] for entry in items),
        }
        for key, items in grouped.items()
    ]
