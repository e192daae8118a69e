"""Global search: each app registers a provider; the top bar asks every one the user may use.

A provider answers `search(user, query, limit)` with at most `limit` hits. The base layer asks
only providers whose permission the user holds, skips (and logs) one that fails so the others
still answer, and groups the hits by provider in the providers' order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.functional import Promise

from kliento.core.registry import Registry

logger = logging.getLogger(__name__)

# Shorter queries are not searched: one letter matches half the database and says nothing.
MIN_QUERY_LENGTH = 2
# Longer input is cut: nobody types more, and it keeps a pasted document out of the queries.
MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    subtitle: str = ""
    badge: str = ""


@dataclass(frozen=True)
class SearchProvider:
    key: str
    label: Promise | str
    # The permission ("app_label.codename") a user needs to be asked; None: every signed-in user.
    permission: str | None
    search: Callable[[Any, str, int], list[SearchHit]]
    order: int = 100
    # Where to see every match of a query (e.g. the filtered list), when there is such a page.
    more_url: Callable[[str], str] | None = None


search_providers: Registry[SearchProvider] = Registry("search providers")


def register_search_provider(provider: SearchProvider) -> SearchProvider:
    return search_providers.register(provider)


@dataclass(frozen=True)
class SearchGroup:
    key: str
    label: Promise | str
    hits: list[SearchHit]
    # Set when the provider returned as many hits as asked for: there may be more.
    more_url: str | None = None


@dataclass(frozen=True)
class SearchResults:
    query: str
    groups: list[SearchGroup] = field(default_factory=list)
    # Labels of providers that failed this time, so the page can say results may be missing.
    failed: list[Promise | str] = field(default_factory=list)
    searched: bool = False

    @property
    def count(self) -> int:
        return sum(len(group.hits) for group in self.groups)


def clean_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:MAX_QUERY_LENGTH]


def search(user: Any, query: str, *, limit: int) -> SearchResults:
    """Ask every provider the user may use; a query shorter than two characters asks none."""
    query = clean_query(query)
    if len(query) < MIN_QUERY_LENGTH or not getattr(user, "is_authenticated", False):
        return SearchResults(query=query)
    groups: list[SearchGroup] = []
    failed: list[Promise | str] = []
    for provider in search_providers:
        if provider.permission and not user.has_perm(provider.permission):
            continue
        try:
            # A savepoint: a provider whose query fails must not break the transaction the
            # other providers read in (PostgreSQL refuses every later query in it).
            with transaction.atomic():
                hits = list(provider.search(user, query, limit))[:limit]
        except Exception:
            # The query is left out of the log: it is often a client's phone or e-mail.
            logger.exception("Search provider %r failed", provider.key)
            failed.append(provider.label)
            continue
        if not hits:
            continue
        more = provider.more_url(query) if provider.more_url and len(hits) >= limit else None
        groups.append(SearchGroup(provider.key, provider.label, hits, more))
    return SearchResults(query=query, groups=groups, failed=failed, searched=True)
