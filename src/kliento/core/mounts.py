"""Where each app's pages and API live: apps register their URLconf and API router here, and the
project's root URLconf and API mount whatever is registered. Adding an app edits neither."""

from __future__ import annotations

from dataclasses import dataclass

from kliento.core.registry import Registry


@dataclass(frozen=True)
class UrlMount:
    """`prefix` like "clients/"; `urlconf` a dotted module path with `app_name` and patterns."""

    key: str
    prefix: str
    urlconf: str
    order: int = 100


@dataclass(frozen=True)
class ApiMount:
    """`router` a dotted path to a django-ninja Router, mounted at /api/v1/<prefix>."""

    key: str
    router: str
    prefix: str = ""
    order: int = 100


url_mounts: Registry[UrlMount] = Registry("URL mounts")
api_mounts: Registry[ApiMount] = Registry("API mounts")


def mount_urls(key: str, prefix: str, urlconf: str, *, order: int = 100) -> UrlMount:
    return url_mounts.register(UrlMount(key, prefix, urlconf, order))


def mount_api(key: str, router: str, *, prefix: str = "", order: int = 100) -> ApiMount:
    return api_mounts.register(ApiMount(key, router, prefix, order))
