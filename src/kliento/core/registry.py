"""A registry: the one way a capability app plugs into the base layer.

The base layer (menu, home page, roles, timeline, audit, search, notifications, demo data) knows
no capability. Each app registers what it brings from its `AppConfig.ready()`, so adding an app
edits no other app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Protocol, TypeGuard

from django.core.exceptions import ImproperlyConfigured


class _Ordered(Protocol):
    @property
    def order(self) -> int: ...


def _all_ordered(items: list[Any]) -> TypeGuard[list[_Ordered]]:
    return all(hasattr(item, "order") for item in items)


class Registry[T]:
    """Items keyed by a unique string, kept in registration order (or by `order` when set)."""

    def __init__(self, name: str, *, key: Callable[[T], str] | None = None) -> None:
        self.name = name
        self._key: Callable[[T], Any] = key or (lambda item: item.key)
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = self._key(item)
        existing = self._items.get(key)
        # Equal items may be registered twice (a ready() run again by a test); a different item
        # under a taken key is two apps claiming one name, which would silently hide one of them.
        if existing is not None and existing != item:
            raise ImproperlyConfigured(f"{self.name}: {key!r} is already registered")
        self._items[key] = item
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    def get(self, key: str) -> T | None:
        return self._items.get(key)

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            raise LookupError(f"{self.name}: nothing is registered as {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[T]:
        items = list(self._items.values())
        if items and _all_ordered(items):
            items.sort(key=lambda item: item.order)
        return iter(items)

    def __len__(self) -> int:
        return len(self._items)

    def keys(self) -> list[str]:
        return list(self._items)
