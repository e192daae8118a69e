"""How a purchases export names a client that has no external reference: by what the purchase
importer finds it by again (an e-mail, else a phone, that leads to it alone), so the export
imports back, also into another Kliento after the clients' own export; "#<id>" only as the last
resort."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from kliento.clients.models import Client, Purchase
from kliento.imports.engine import ImportRequest, run_import
from kliento.imports.errors import ErrorCollector
from tests.factories import ClientFactory, ContactFactory, PurchaseFactory

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def exported_keys(http) -> dict[str, str]:
    """{client's name: the cell naming the client} of the purchases CSV export."""
    response = http.get(reverse("imports:export", args=["purchases"]), {"format": "csv"})
    lines = body(response).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("client,client_name,")
    return {line.split(",")[1]: line.split(",")[0] for line in lines[1:]}


def buy(client, day: int = 1) -> None:
    PurchaseFactory(client=client, amount=Decimal("10.00"), occurred_on=dt.date(2025, 1, day))


def test_a_client_without_a_reference_is_named_by_an_email_or_phone_only_it_has(as_manager):
    with_ref = ClientFactory(name="Ref", external_ref="R-1")
    ContactFactory(client=with_ref, kind="email", value="ref@example.com", is_primary=True)
    by_email = ClientFactory(name="Mail")
    ContactFactory(client=by_email, kind="phone", value="+48601000001", is_primary=True)
    ContactFactory(client=by_email, kind="email", value="old@example.com")
    ContactFactory(client=by_email, kind="email", value="mail@example.com", is_primary=True)
    # Both have this e-mail: the importer could not tell them apart, so the phone is used.
    shared_a, shared_b = ClientFactory(name="SharedA"), ClientFactory(name="SharedB")
    for client, phone in ((shared_a, "+48601000002"), (shared_b, "+48601000003")):
        ContactFactory(client=client, kind="email", value="family@example.com", is_primary=True)
        ContactFactory(client=client, kind="phone", value=phone, is_primary=True)
    # Its e-mail is another client's external reference, which the importer looks at first.
    shadowed = ClientFactory(name="Shadowed")
    ContactFactory(client=shadowed, kind="email", value="x@example.com", is_primary=True)
    ClientFactory(name="Owner", external_ref="x@example.com")
    bare = ClientFactory(name="Bare")
    for n, client in enumerate([with_ref, by_email, shared_a, shared_b, shadowed, bare], 1):
        buy(client, n)

    assert exported_keys(as_manager) == {
        "Ref": "R-1",
        "Mail": "mail@example.com",
        "SharedA": "+48601000002",
        "SharedB": "+48601000003",
        "Shadowed": f"#{shadowed.pk}",
        "Bare": f"#{bare.pk}",
    }


def test_many_purchases_of_many_clients_keep_their_keys(as_manager):
    clients = [ClientFactory(name=f"C{n}") for n in range(30)]
    for n, client in enumerate(clients):
        ContactFactory(client=client, kind="email", value=f"c{n}@example.com", is_primary=True)
        for day in (1, 2, 3):
            buy(client, day)
    response = as_manager.get(reverse("imports:export", args=["purchases"]), {"format": "csv"})
    rows = [line.split(",") for line in body(response).decode("utf-8-sig").splitlines()[1:]]
    assert len(rows) == 90
    assert all(row[0] == f"c{row[1][1:]}@example.com" for row in rows)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_clients_and_purchases_move_to_another_kliento(as_manager, tmp_path, file_format):
    """Exported clients and purchases, imported into an empty Kliento (new ids), come back
    with every purchase on its client, though none of them had an external reference."""
    anna = ClientFactory(name="Anna")
    ContactFactory(client=anna, kind="email", value="anna@example.com", is_primary=True)
    bob = ClientFactory(name="Bob")
    ContactFactory(client=bob, kind="phone", value="+48601000009", is_primary=True)
    buy(anna, 1)
    buy(anna, 2)
    buy(bob, 3)
    files = {
        target: body(
            as_manager.get(reverse("imports:export", args=[target]), {"format": file_format})
        )
        for target in ("clients", "purchases")
    }
    before = sorted(Purchase.objects.values_list("client__name", "occurred_on", "amount"))
    old_ids = set(Client.objects.values_list("pk", flat=True))
    Client.objects.all().delete()

    for target in ("clients", "purchases"):
        path = tmp_path / f"{target}.{file_format}"
        path.write_bytes(files[target])
        errors = ErrorCollector()
        run_import(ImportRequest(path, path.name, target), actor=None, errors=errors)
        assert errors.count == 0, target

    assert not old_ids & set(Client.objects.values_list("pk", flat=True))
    after = sorted(Purchase.objects.values_list("client__name", "occurred_on", "amount"))
    assert after == before
