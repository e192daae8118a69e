"""How other apps reach clients in bulk: name, language, primary e-mail and consents.

For sending (surveys, later campaigns): one query per kind of data for a whole batch, never one
query per client.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kliento.clients.importing.resolving import AMBIGUOUS, ClientResolver
from kliento.clients.models import ChannelConsent, Client, ContactPoint

__all__ = ["AMBIGUOUS", "Reach", "find_clients", "reach"]


@dataclass(frozen=True)
class Reach:
    client_id: int
    name: str
    language: str
    status: str
    account_manager_id: int | None
    email: str  # the primary e-mail, else the first; "" when none
    # channel → granted (True) or refused (False); a channel never asked is absent.
    consents: dict[str, bool] = field(default_factory=dict)


def reach(client_ids: Iterable[int]) -> dict[int, Reach]:
    ids = list(set(client_ids))
    emails: dict[int, str] = {}
    for client_id, value in (
        ContactPoint.objects.filter(client_id__in=ids, kind=ContactPoint.Kind.EMAIL)
        .order_by("client_id", "-is_primary", "id")
        .values_list("client_id", "value")
    ):
        emails.setdefault(client_id, value)
    consents: dict[int, dict[str, bool]] = {}
    for client_id, channel, granted in ChannelConsent.objects.filter(client_id__in=ids).values_list(
        "client_id", "channel", "granted"
    ):
        consents.setdefault(client_id, {})[channel] = granted
    return {
        pk: Reach(pk, name, language, status, manager_id, emails.get(pk, ""), consents.get(pk, {}))
        for pk, name, language, status, manager_id in Client.objects.filter(pk__in=ids).values_list(
            "pk", "name", "language", "status", "account_manager_id"
        )
    }


def find_clients(keys: Iterable[str]) -> dict[str, int | None]:
    """Each key (external reference, e-mail, phone or "#<id>") → the client id, None when no
    client matches, AMBIGUOUS when several do (as the client import reads them)."""
    resolver = ClientResolver()
    wanted = list(keys)
    resolver.load(wanted)
    return {key: resolver.get(key) for key in wanted}
