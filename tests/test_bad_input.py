"""Whatever a form sends, the answer is a page or a message, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kliento.clients.models import Client, ContactPoint, PortraitFact, Purchase, TimelineEntry
from tests.factories import ClientFactory, ContactFactory, PortraitFactFactory, PurchaseFactory

pytestmark = pytest.mark.django_db

FIELDS = [
    "kind",
    "name",
    "company",
    "job_title",
    "language",
    "account_manager",
    "segment",
    "tags",
    "external_ref",
    "notes",
    "phone",
    "email",
    "value",
    "messenger",
    "label",
    "is_primary",
    "channel",
    "granted",
    "category",
    "text",
    "source",
    "occurred_on",
    "amount",
    "currency",
    "description",
    "left_on",
    "reason",
]

PAYLOADS = {
    "empty": {},
    "null-bytes": dict.fromkeys(FIELDS, "bad\x00value"),
    "huge": dict.fromkeys(FIELDS, "9" * 20_000),
    "negative-ids": dict.fromkeys(FIELDS, "-1"),
    "unicode": dict.fromkeys(FIELDS, "😀 Ωmega ﬁ"),
}

ENDPOINTS = [
    ("clients:create", ()),
    ("clients:edit", ("client",)),
    ("clients:status", ("client",)),
    ("clients:contact_add", ("client",)),
    ("clients:consent_set", ("client",)),
    ("clients:fact_add", ("client",)),
    ("clients:fact_verify", ("client", "fact")),
    ("clients:purchase_add", ("client",)),
]


def state() -> tuple:
    return (
        list(Client.objects.values_list("name", "kind", "status")),
        ContactPoint.objects.count(),
        list(PortraitFact.objects.values_list("text", flat=True)),
        Purchase.objects.count(),
        TimelineEntry.objects.count(),
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
@pytest.mark.parametrize(("url", "args"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_garbage_is_refused_without_a_server_error(as_manager, url, args, payload):
    client = ClientFactory(name="Anna")
    objects = {"client": client, "fact": PortraitFactFactory(client=client, text="Has a dog")}
    ContactFactory(client=client)
    PurchaseFactory(client=client)
    before = state()

    response = as_manager.post(reverse(url, args=[objects[a].pk for a in args]), PAYLOADS[payload])

    assert response.status_code in (200, 302)
    if url == "clients:fact_verify" and payload in ("empty", "negative-ids", "unicode"):
        # Confirming a fact, with or without new wording, is a valid request.
        return
    assert state() == before


@pytest.mark.parametrize("payload", PAYLOADS, ids=str)
def test_list_and_key_clients_survive_garbage_queries(as_manager, payload):
    ClientFactory(name="Anna")
    for url in (reverse("clients:list"), reverse("metrics:key_clients")):
        data = {**PAYLOADS[payload], "q": PAYLOADS[payload].get("name", ""), "page": "x"}
        data.update({k: PAYLOADS[payload].get("name", "") for k in ("start", "end", "sort")})
        assert as_manager.get(url, data).status_code == 200
