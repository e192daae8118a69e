"""Clients through the API: the card, create, partial update, leave/return, delete, the list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission

from kliento.clients.models import Client, ContactPoint, TimelineEntry
from kliento.core.models import AuditEntry
from tests.api_support import api_as, error_locs
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PurchaseFactory,
    SegmentFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_create_client_with_contacts_writes_the_timeline(manager):
    segment = SegmentFactory(name="Regulars")
    tag = TagFactory(name="vip")
    response = api_as(manager).post(
        "/clients",
        {
            "name": "  Anna Nowak ",
            "language": "pl",
            "segment_id": segment.pk,
            "tag_ids": [tag.pk],
            "account_manager_id": manager.pk,
            "external_ref": "CRM-1",
            "contacts": [
                {"kind": "phone", "value": "601 234 567"},
                {"kind": "email", "value": "Anna@Example.COM"},
            ],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "Anna Nowak"
    assert body["segment"] == {"id": segment.pk, "name": "Regulars"}
    assert body["tags"] == [{"id": tag.pk, "name": "vip"}]
    assert body["account_manager"]["id"] == manager.pk
    assert sorted(c["value"] for c in body["contacts"]) == ["+48601234567", "anna@example.com"]
    client = Client.objects.get(pk=body["id"])
    entry = client.timeline.get()
    assert (entry.kind, entry.actor) == (TimelineEntry.Kind.CREATED, manager)


def test_card_has_contacts_consents_and_purchase_stats(manager):
    client = ClientFactory(name="Olga")
    ContactFactory(client=client, value="olga@example.com")
    PurchaseFactory(client=client, amount=Decimal("100.00"), occurred_on=dt.date(2026, 1, 1))
    PurchaseFactory(client=client, amount=Decimal("50.00"), occurred_on=dt.date(2026, 2, 1))
    PurchaseFactory(client=client, amount=Decimal("10.00"), currency="EUR")
    api = api_as(manager)
    api.put(f"/clients/{client.pk}/consents/email", {"granted": True})

    body = api.get(f"/clients/{client.pk}").json()

    assert [c["value"] for c in body["contacts"]] == ["olga@example.com"]
    assert [(c["channel"], c["granted"]) for c in body["consents"]] == [("email", True)]
    stats = body["purchase_stats"]
    assert stats["count"] == 3
    assert stats["first"] == "2026-01-01"
    pln = next(t for t in stats["totals"] if t["currency"] == "PLN")
    assert (pln["revenue"], pln["count"], pln["average"]) == ("150.00", 2, "75.00")


def test_card_leaves_out_purchase_figures_for_a_role_without_view_purchase(db):
    """As the UI card does: the figures are purchase data, guarded by their own permission."""
    client = ClientFactory(name="Olga")
    PurchaseFactory(client=client, amount=Decimal("100.00"))
    reception = Group.objects.create(name="reception")
    reception.permissions.add(Permission.objects.get(codename="view_client"))
    user = UserFactory(username="receptionist")
    user.groups.add(reception)

    response = api_as(user).get(f"/clients/{client.pk}")

    assert response.status_code == 200
    assert response.json()["name"] == "Olga"
    assert response.json()["purchase_stats"] is None
    assert b"100.00" not in response.content


def test_patch_changes_only_the_fields_sent_and_records_them(manager):
    client = ClientFactory(name="Old", job_title="Clerk", segment=SegmentFactory())
    tag = TagFactory()
    response = api_as(manager).patch(
        f"/clients/{client.pk}", {"name": "New", "segment_id": None, "tag_ids": [tag.pk]}
    )
    assert response.status_code == 200, response.content
    client.refresh_from_db()
    assert (client.name, client.job_title, client.segment) == ("New", "Clerk", None)
    assert list(client.tags.all()) == [tag]
    entry = client.timeline.get(kind=TimelineEntry.Kind.EDITED)
    assert set(entry.data["changes"]) == {"name", "segment", "tags"}


def test_patch_with_nothing_changed_writes_no_timeline(manager):
    client = ClientFactory(name="Same")
    assert api_as(manager).patch(f"/clients/{client.pk}", {"name": "Same"}).status_code == 200
    assert not client.timeline.exists()


def test_patch_null_for_a_required_field_is_422(manager):
    client = ClientFactory(name="Keep")
    response = api_as(manager).patch(f"/clients/{client.pk}", {"name": None})
    assert error_locs(response) == [("body", "payload", "name")]
    client.refresh_from_db()
    assert client.name == "Keep"


def test_person_can_be_attached_to_a_company_only(manager):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Acme")
    person = ClientFactory(name="Ivan")
    api = api_as(manager)
    assert api.patch(f"/clients/{person.pk}", {"company_id": company.pk}).status_code == 200
    assert api.get(f"/clients/{person.pk}").json()["company"] == {"id": company.pk, "name": "Acme"}
    other_person = ClientFactory()
    response = api.patch(f"/clients/{person.pk}", {"company_id": other_person.pk})
    assert error_locs(response) == [("body", "payload", "company_id")]


def test_left_and_return(manager):
    client = ClientFactory()
    api = api_as(manager)
    response = api.post(f"/clients/{client.pk}/left", {"left_on": "2026-01-31", "reason": "moved"})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["left_on"]) == ("left", "2026-01-31")
    again = api.post(f"/clients/{client.pk}/left", {"left_on": "2026-01-31"})
    assert again.status_code == 422
    assert again.json()["detail"][0]["loc"] == ["body", "payload"]
    assert api.post(f"/clients/{client.pk}/return").json()["status"] == "active"
    kinds = set(client.timeline.values_list("kind", flat=True))
    assert kinds == {TimelineEntry.Kind.LEFT, TimelineEntry.Kind.RETURNED}


def test_delete_client_removes_the_card_and_audits_it(manager):
    client = ClientFactory(name="Gone")
    ContactFactory(client=client)
    response = api_as(manager).delete(f"/clients/{client.pk}")
    assert response.status_code == 204
    assert not Client.objects.filter(pk=client.pk).exists()
    assert not ContactPoint.objects.filter(client_id=client.pk).exists()
    audit = AuditEntry.objects.get(action="client.deleted")
    assert (audit.actor, audit.target_id, audit.target_repr) == (manager, str(client.pk), "Gone")


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_unknown_client_is_404(manager, method):
    api = api_as(manager)
    response = (
        api.get("/clients/999999")
        if method == "get"
        else getattr(api, method)(
            "/clients/999999", *([{"name": "x"}] if method == "patch" else [])
        )
    )
    assert response.status_code == 404
    assert "detail" in response.json()


# ----------------------------------------------------------------------------- the list


@pytest.fixture
def listed(db, manager):
    vip = TagFactory(name="vip")
    regulars = SegmentFactory(name="Regulars")
    anna = ClientFactory(name="Anna Nowak", segment=regulars, account_manager=manager)
    anna.tags.add(vip)
    ContactFactory(client=anna, kind="phone", value="+48601234567")
    bob = ClientFactory(name="Bob Kowalski", is_key=True)
    cecilia = ClientFactory(name="Cecilia Nowak", status="left", left_on=dt.date(2026, 1, 1))
    return {"anna": anna, "bob": bob, "cecilia": cecilia, "vip": vip, "regulars": regulars}


def _names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Anna Nowak", "Bob Kowalski", "Cecilia Nowak"]),
        ({"q": "nowak"}, ["Anna Nowak", "Cecilia Nowak"]),
        ({"q": "601 234 567"}, ["Anna Nowak"]),
        ({"status": "left"}, ["Cecilia Nowak"]),
        ({"key_only": "true"}, ["Bob Kowalski"]),
        ({"sort": "-name"}, ["Cecilia Nowak", "Bob Kowalski", "Anna Nowak"]),
    ],
)
def test_list_filters_and_sort(manager, listed, params, expected):
    assert _names(api_as(manager).get("/clients", params)) == expected


def test_list_filters_by_segment_tag_and_manager(manager, listed):
    api = api_as(manager)
    assert _names(api.get("/clients", {"segment": listed["regulars"].pk})) == ["Anna Nowak"]
    assert _names(api.get("/clients", {"tag": listed["vip"].pk})) == ["Anna Nowak"]
    assert _names(api.get("/clients", {"manager": manager.pk})) == ["Anna Nowak"]


def test_list_paginates(manager, listed):
    api = api_as(manager)
    first = api.get("/clients", {"page_size": 2}).json()
    second = api.get("/clients", {"page_size": 2, "page": 2}).json()
    assert (first["count"], first["page"], first["page_size"]) == (3, 1, 2)
    assert [c["name"] for c in first["items"] + second["items"]] == [
        "Anna Nowak",
        "Bob Kowalski",
        "Cecilia Nowak",
    ]
    assert api.get("/clients", {"page": 9}).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "loc"),
    [
        ({"page_size": 101}, ("query", "page_size")),
        ({"page": 0}, ("query", "page")),
        ({"status": "gone"}, ("query", "status")),
        ({"sort": "password"}, ("query", "sort")),
        ({"segment": "x"}, ("query", "segment")),
        ({"segment": str(10**30)}, ("query", "segment")),
        ({"q": "an\x00na"}, ("query", "q")),
    ],
)
def test_list_rejects_bad_parameters(manager, params, loc):
    assert loc in error_locs(api_as(manager).get("/clients", params))


def test_list_and_card_queries_do_not_grow_with_the_data(
    manager, listed, django_assert_max_num_queries
):
    api = api_as(manager)
    for n in range(20):
        client = ClientFactory(name=f"Extra {n}", segment=listed["regulars"])
        client.tags.add(listed["vip"])
        ContactFactory(client=client)
        PurchaseFactory(client=client)
    # token + last use + permissions + count + page + tags: independent of the page's size.
    with django_assert_max_num_queries(9):
        assert len(api.get("/clients", {"page_size": 20}).json()["items"]) == 20
    # token + last use + permissions + the client + one query per part of the card (tags,
    # contacts, consents, facts, purchase figures, recent purchases, timeline).
    with django_assert_max_num_queries(12):
        assert api.get(f"/clients/{listed['anna'].pk}").status_code == 200
