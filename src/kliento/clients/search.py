"""Clients in the top bar's search: by name, by phone or e-mail, or by external reference."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kliento.clients.models import Client
from kliento.clients.selectors import ClientFilters, search_clients
from kliento.core.search import SearchHit, SearchProvider, register_search_provider


def _subtitle(client: Client) -> str:
    parts = []
    if client.company is not None:  # no query when there is no company
        parts.append(client.company.name)
    elif client.kind == client.Kind.COMPANY:
        parts.append(str(client.Kind.COMPANY.label))
    if client.external_ref:
        parts.append(client.external_ref)
    return " · ".join(parts)


def _badge(client: Client) -> str:
    if client.status == client.Status.LEFT:
        return str(client.Status.LEFT.label)
    if client.is_key:
        return _("Key")
    return ""


def find_clients(user: Any, query: str, limit: int) -> list[SearchHit]:
    # The client list's own search, so both find the same clients the same way.
    clients = search_clients(ClientFilters(q=query))[:limit]
    return [
        SearchHit(
            title=client.name,
            url=client.get_absolute_url(),
            subtitle=_subtitle(client),
            badge=_badge(client),
        )
        for client in clients
    ]


def all_matches_url(query: str) -> str:
    return f"{reverse('clients:list')}?{urlencode({'q': query})}"


def register() -> None:
    register_search_provider(
        SearchProvider(
            key="clients",
            label=gettext_lazy("Clients"),
            permission="clients.view_client",
            search=find_clients,
            order=10,
            more_url=all_matches_url,
        )
    )
