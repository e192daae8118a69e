"""Duplicate clients: the warning on create (form and API), the groups, and the merge."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kliento.clients import selectors, services
from kliento.clients.models import (
    ChannelConsent,
    Client,
    ClientMergeRecord,
    ContactPoint,
    PortraitFact,
    Purchase,
    TimelineEntry,
)
from kliento.core import roles
from kliento.core.models import AuditEntry
from tests.api_support import api_as
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    SegmentFactory,
    TagFactory,
    UserFactory,
)
from tests.plugin_app.models import Visit

pytestmark = pytest.mark.django_db


def _phone(client: Client, value: str = "+48601234567") -> ContactPoint:
    return ContactFactory(client=client, kind=ContactPoint.Kind.PHONE, value=value, is_primary=True)


# --------------------------------------------------------------------------- the rule


def test_possible_duplicates_compares_normalised_phones_and_emails():
    anna = ClientFactory(name="Anna Nowak")
    _phone(anna)
    ContactFactory(client=anna, kind="email", value="anna@example.com")
    other = ClientFactory(name="Piotr Mazur")
    ContactFactory(client=other, kind="email", value="piotr@example.com")

    found = selectors.possible_duplicates(phones=["601 234 567"], emails=["ANNA@Example.com "])
    assert [(m.client_id, m.matched_on) for m in found] == [(anna.pk, ["email", "phone"])]
    assert selectors.possible_duplicates(phones=["601 234 568"], emails=["not an email"]) == []
    assert selectors.possible_duplicates(phones=["601234567"], exclude=[anna.pk]) == []


def test_a_shared_reference_is_a_possible_duplicate():
    anna = ClientFactory(name="Anna Nowak", external_ref="CRM-1")
    [match] = selectors.possible_duplicates(external_ref=" CRM-1 ")
    assert (match.client_id, match.matched_on) == (anna.pk, ["external_ref"])


# --------------------------------------------------------------------------- create: the form


def test_the_form_warns_and_creates_only_after_an_explicit_confirm(as_agent):
    anna = ClientFactory(name="Anna Nowak")
    _phone(anna)
    data = {"kind": "person", "name": "Anna N.", "phone": "601-234-567"}

    response = as_agent.post(reverse("clients:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="duplicate-warning"' in page
    assert "Anna Nowak has this phone" in page
    assert reverse("clients:detail", args=[anna.pk]) in page
    assert 'id="create-anyway"' in page
    assert Client.objects.count() == 1

    response = as_agent.post(reverse("clients:create"), {**data, "allow_duplicate": "1"})
    assert response.status_code == 302
    assert Client.objects.filter(name="Anna N.").exists()


def test_the_form_without_a_match_creates_at_once(as_agent):
    response = as_agent.post(reverse("clients:create"), {"kind": "person", "name": "New One"})
    assert response.status_code == 302


def test_a_taken_reference_shows_its_holder_and_cannot_be_confirmed(as_agent):
    holder = ClientFactory(name="Anna Nowak", external_ref="CRM-1")
    data = {"kind": "person", "name": "X", "external_ref": "CRM-1", "allow_duplicate": "1"}
    response = as_agent.post(reverse("clients:create"), data)
    assert response.status_code == 200
    assert "external_ref" in response.context["form"].errors
    page = response.content.decode()
    assert reverse("clients:detail", args=[holder.pk]) in page
    assert 'id="create-anyway"' not in page
    assert Client.objects.count() == 1


# --------------------------------------------------------------------------- create: the API


def test_the_api_answers_409_with_the_matching_ids_unless_allowed(manager):
    anna = ClientFactory(name="Anna Nowak")
    ContactFactory(client=anna, kind="email", value="anna@example.com")
    body = {"name": "Anna", "contacts": [{"kind": "email", "value": "Anna@Example.com"}]}
    api = api_as(manager)

    response = api.post("/clients", body)
    assert response.status_code == 409, response.content
    answer = response.json()
    assert answer["duplicates"] == [
        {"id": anna.pk, "name": "Anna Nowak", "external_ref": None, "matched_on": ["email"]}
    ]
    assert answer["detail"][0]["type"] == "possible_duplicate"
    assert Client.objects.count() == 1

    response = api.post("/clients", {**body, "allow_duplicate": True})
    assert response.status_code == 201
    assert Client.objects.count() == 2


def test_the_api_still_refuses_a_taken_reference_with_422(manager):
    ClientFactory(external_ref="CRM-1")
    response = api_as(manager).post(
        "/clients", {"name": "X", "external_ref": "CRM-1", "allow_duplicate": True}
    )
    assert response.status_code == 422


# --------------------------------------------------------------------------- the groups


def test_groups_join_clients_sharing_a_phone_or_an_email_and_names_in_a_company():
    a, b, c = (ClientFactory(name=n) for n in ("Anna Nowak", "A. Nowak", "Ania"))
    _phone(a)
    _phone(b)
    ContactFactory(client=b, kind="email", value="ania@example.com")
    ContactFactory(client=c, kind="email", value="ania@example.com")
    acme = ClientFactory(name="Acme", kind=Client.Kind.COMPANY)
    p1 = ClientFactory(name="Jan Kowalski", company=acme)
    p2 = ClientFactory(name="JAN KOWALSKI", company=acme)
    ClientFactory(name="Jan Kowalski")  # no company: not even a hint
    ClientFactory(name="Lonely")

    groups = selectors.duplicate_groups()
    assert [g.client_ids for g in groups] == [sorted([a.pk, b.pk, c.pk]), [p1.pk, p2.pk]]
    assert groups[0].strong and not groups[1].strong
    assert [g.client_ids for g in selectors.duplicate_groups(strong_only=True)] == [
        sorted([a.pk, b.pk, c.pk])
    ]


def test_the_duplicates_page_lists_groups_with_a_compare_link(as_manager):
    a, b = ClientFactory(name="Anna Nowak"), ClientFactory(name="Anna N.")
    _phone(a)
    _phone(b)
    page = as_manager.get(reverse("clients:duplicates")).content.decode()
    assert "Anna Nowak" in page and "Anna N." in page
    assert f"ids={a.pk}&amp;ids={b.pk}" in page


def test_the_card_shows_possible_duplicates_and_the_merge_link_to_those_who_may_merge(
    as_manager, as_agent
):
    a, b = ClientFactory(name="Anna Nowak"), ClientFactory(name="Anna N.")
    _phone(a)
    _phone(b)
    url = reverse("clients:detail", args=[a.pk])
    for http, may_merge in ((as_manager, True), (as_agent, False)):
        page = http.get(url).content.decode()
        assert 'id="possible-duplicates"' in page
        assert "Anna N." in page
        assert (reverse("clients:merge") in page) is may_merge
    lonely = ClientFactory(name="Lonely")
    page = as_manager.get(reverse("clients:detail", args=[lonely.pk])).content.decode()
    assert 'id="possible-duplicates"' not in page


def test_the_client_list_links_the_duplicates_page_for_those_who_may_merge(as_manager, as_agent):
    assert 'id="duplicates-link"' in as_manager.get(reverse("clients:list")).content.decode()
    assert 'id="duplicates-link"' not in as_agent.get(reverse("clients:list")).content.decode()


def test_the_import_reports_clients_sharing_a_phone_or_email(manager):
    from kliento.clients.importing.client_rows import ClientRow
    from kliento.clients.importing.client_writing import write_clients

    existing = ClientFactory(name="Anna Nowak")
    _phone(existing)
    rows = [
        ClientRow(2, {"name": "Anna (import)", "phone": "+48601234567"}),
        ClientRow(3, {"name": "Someone else", "email": "else@example.com"}),
    ]
    outcome = write_clients(rows, actor=manager, filename="f.csv", data={}, progress=lambda *a: 0)
    assert any("1 client of this file shares a phone" in note for note in outcome.notes)


# --------------------------------------------------------------------------- merging


def test_merge_moves_everything_to_the_survivor(manager):
    vip, regular = TagFactory(name="vip"), TagFactory(name="regular")
    kept = ClientFactory(name="Anna Nowak", external_ref="CRM-1")
    kept.tags.set([vip])
    _phone(kept)
    dup = ClientFactory(name="Anna Nowak-Kowalska", kind=Client.Kind.COMPANY)
    dup.tags.set([vip, regular])
    _phone(dup)  # identical: kept once
    ContactFactory(client=dup, kind="email", value="anna@example.com", is_primary=True)
    ContactFactory(client=dup, kind="phone", value="+48601234568", is_primary=True)
    fact = PortraitFactFactory(client=dup)
    purchase = PurchaseFactory(client=dup)
    person = ClientFactory(name="Jan", company=dup)
    visit = Visit.objects.create(client=dup, room="garden")
    services.set_consent(actor=manager, client=dup, channel="sms", granted=True)
    old_entries = set(TimelineEntry.objects.filter(client=dup).values_list("pk", flat=True))

    survivor = services.merge_clients(
        actor=manager,
        survivor=kept,
        duplicates=[dup],
        field_choices={"kind": dup, "name": kept},
    )

    assert not Client.objects.filter(pk=dup.pk).exists()
    assert survivor.kind == Client.Kind.COMPANY
    assert survivor.external_ref == "CRM-1"
    contacts = ContactPoint.objects.filter(client=kept)
    assert sorted(contacts.values_list("value", flat=True)) == [
        "+48601234567",
        "+48601234568",
        "anna@example.com",
    ]
    # One primary per kind, the survivor's own phone staying primary.
    assert set(contacts.filter(is_primary=True).values_list("value", flat=True)) == {
        "+48601234567",
        "anna@example.com",
    }
    assert PortraitFact.objects.get(pk=fact.pk).client_id == kept.pk
    assert Purchase.objects.get(pk=purchase.pk).client_id == kept.pk
    assert Client.objects.get(pk=person.pk).company_id == kept.pk
    assert Visit.objects.get(pk=visit.pk).client_id == kept.pk  # a plug-in app's hidden FK
    assert ChannelConsent.objects.get(client=kept, channel="sms").granted is True
    assert sorted(kept.tags.values_list("name", flat=True)) == ["regular", "vip"]
    moved = set(TimelineEntry.objects.filter(client=kept).values_list("pk", flat=True))
    assert old_entries <= moved
    entry = TimelineEntry.objects.get(client=kept, kind=TimelineEntry.Kind.MERGED)
    assert entry.actor == manager
    assert entry.lines()[0] == f"Merged from Anna Nowak-Kowalska (#{dup.pk})"
    assert "Kind: Person → Company" in entry.lines()
    audit = AuditEntry.objects.get(action="client.merged")
    assert (audit.target_id, audit.target_repr) == (str(dup.pk), "Anna Nowak-Kowalska")
    assert audit.changes["survivor_id"] == kept.pk
    assert selectors.merged_into(dup.pk) == kept.pk


def test_every_foreign_key_to_a_client_is_found_including_hidden_ones():
    models = {relation.related_model for relation in services.client_relations()}
    assert Visit in models  # related_name="+", which Client._meta.related_objects leaves out
    assert Client.tags.through in models
    assert {ContactPoint, ChannelConsent, PortraitFact, Purchase, TimelineEntry} <= models


def test_consents_keep_the_most_recent_decision_per_channel(manager):
    kept, dup = ClientFactory(), ClientFactory()
    now = timezone.now()
    ChannelConsent.objects.create(
        client=kept, channel="email", granted=True, recorded_at=now - dt.timedelta(days=30)
    )
    ChannelConsent.objects.create(client=dup, channel="email", granted=False, recorded_at=now)
    ChannelConsent.objects.create(client=kept, channel="sms", granted=True, recorded_at=now)
    ChannelConsent.objects.create(
        client=dup, channel="sms", granted=False, recorded_at=now - dt.timedelta(days=1)
    )
    ChannelConsent.objects.create(client=dup, channel="post", granted=True, recorded_at=now)

    services.merge_clients(actor=manager, survivor=kept, duplicates=[dup])

    assert dict(ChannelConsent.objects.filter(client=kept).values_list("channel", "granted")) == {
        "email": False,  # withdrawn last on the duplicate: withdrawn
        "sms": True,
        "post": True,
    }


def test_field_choices_take_values_from_a_duplicate_including_its_reference(manager):
    segment = SegmentFactory(name="Gold")
    kept = ClientFactory(name="A. Nowak", external_ref="OLD-1")
    dup = ClientFactory(name="Anna Nowak", external_ref="CRM-7", segment=segment)
    services.merge_clients(
        actor=manager,
        survivor=kept,
        duplicates=[dup],
        field_choices={"name": dup.pk, "external_ref": dup.pk, "segment": dup.pk},
    )
    kept.refresh_from_db()
    assert (kept.name, kept.external_ref, kept.segment) == ("Anna Nowak", "CRM-7", segment)
    record = ClientMergeRecord.objects.get(old_id=dup.pk)
    assert (record.old_name, record.old_external_ref, record.merged_by) == (
        "Anna Nowak",
        "CRM-7",
        manager,
    )


def test_a_survivor_merged_later_takes_the_old_ids_along(manager):
    a, b, c = ClientFactory(), ClientFactory(), ClientFactory()
    services.merge_clients(actor=manager, survivor=b, duplicates=[a])
    services.merge_clients(actor=manager, survivor=c, duplicates=[b])
    assert selectors.merged_into(a.pk) == c.pk
    assert selectors.merged_into(b.pk) == c.pk


def test_several_duplicates_at_once_with_the_same_contact_keep_it_once(manager):
    kept, d1, d2 = ClientFactory(), ClientFactory(), ClientFactory()
    for dup in (d1, d2):
        ContactFactory(client=dup, kind="email", value="same@example.com")
    services.merge_clients(actor=manager, survivor=kept, duplicates=[d1, d2])
    assert list(ContactPoint.objects.values_list("client_id", "value", "is_primary")) == [
        (kept.pk, "same@example.com", True)
    ]
    assert AuditEntry.objects.filter(action="client.merged").count() == 2


def test_merging_a_company_with_persons_into_a_person_is_refused(manager):
    kept = ClientFactory(kind=Client.Kind.PERSON)
    company = ClientFactory(kind=Client.Kind.COMPANY)
    ClientFactory(company=company)
    with pytest.raises(ValidationError) as raised:
        services.merge_clients(actor=manager, survivor=kept, duplicates=[company])
    assert "kind" in raised.value.message_dict
    assert Client.objects.filter(pk=company.pk).exists()  # nothing merged


def test_a_survivor_working_for_a_merged_company_loses_that_company(manager):
    company = ClientFactory(kind=Client.Kind.COMPANY)
    person = ClientFactory(company=company)
    # Odd, but possible: the merged card would otherwise be its own company.
    services.merge_clients(
        actor=manager, survivor=company, duplicates=[person], field_choices={"company": person}
    )
    company.refresh_from_db()
    assert company.company_id is None


@pytest.mark.parametrize(
    ("survivor", "duplicates", "choices", "code"),
    [
        ("a", [], {}, "nothing"),
        ("a", ["a"], {}, "survivor_in_duplicates"),
        ("a", ["b"], {"name": "stranger"}, "bad_source"),
        ("a", ["b"], {"tags": "b"}, "bad_field"),
        ("a", ["missing"], {}, "gone"),
    ],
)
def test_a_wrong_merge_is_refused_and_changes_nothing(manager, survivor, duplicates, choices, code):
    objects = {
        "a": ClientFactory(),
        "b": ClientFactory(),
        "stranger": ClientFactory(),
        "missing": 10**9,
    }
    with pytest.raises(ValidationError) as raised:
        services.merge_clients(
            actor=manager,
            survivor=objects[survivor],
            duplicates=[objects[d] for d in duplicates],
            field_choices={f: objects[c] for f, c in choices.items()},
        )
    error = raised.value
    lists = error.error_dict.values() if hasattr(error, "error_dict") else [error.error_list]
    assert code in {e.code for errors in lists for e in errors}
    assert Client.objects.count() == 3
    assert not ClientMergeRecord.objects.exists()


# --------------------------------------------------------------------------- pages, links, API


def test_the_merge_pages_compare_confirm_and_merge(as_manager):
    kept = ClientFactory(name="Anna Nowak")
    dup = ClientFactory(name="Anna Nowak-Kowalska")
    PurchaseFactory(client=dup)
    url = reverse("clients:merge")

    page = as_manager.get(url, {"ids": f"{kept.pk},{dup.pk}"}).content.decode()
    assert "Anna Nowak-Kowalska" in page and 'name="take_name"' in page

    data = {"ids": [kept.pk, dup.pk], "survivor": kept.pk, "take_name": dup.pk}
    confirm = as_manager.post(url, data)
    assert confirm.status_code == 200
    assert 'id="merge-confirm"' in confirm.content.decode()
    assert Client.objects.count() == 2  # the confirm step writes nothing

    done = as_manager.post(url, {**data, "confirm": "1"})
    assert done.status_code == 302 and done["Location"] == kept.get_absolute_url()
    assert list(Client.objects.values_list("name", flat=True)) == ["Anna Nowak-Kowalska"]


def test_the_merge_page_with_fewer_than_two_clients_goes_back_to_the_list(as_manager):
    one = ClientFactory()
    for query in ({}, {"ids": str(one.pk)}, {"ids": "x,99999999999999999999"}):
        response = as_manager.get(reverse("clients:merge"), query)
        assert response.status_code == 302
        assert response["Location"] == reverse("clients:duplicates")


def test_a_merge_that_lost_a_race_says_so_without_an_error_page(as_manager, manager):
    a, b, c = ClientFactory(), ClientFactory(), ClientFactory()
    services.merge_clients(actor=manager, survivor=a, duplicates=[b])
    response = as_manager.post(
        reverse("clients:merge"), {"ids": [b.pk, c.pk], "survivor": c.pk, "confirm": "1"}
    )
    # b is gone: fewer than two clients left to compare; back to the list, nothing merged.
    assert response.status_code == 302
    assert Client.objects.filter(pk=c.pk).exists()


def test_a_merged_client_url_leads_to_the_survivor(as_agent, manager):
    kept, dup = ClientFactory(), ClientFactory()
    services.merge_clients(actor=manager, survivor=kept, duplicates=[dup])
    response = as_agent.get(reverse("clients:detail", args=[dup.pk]))
    assert response.status_code == 302
    assert response["Location"] == kept.get_absolute_url()
    assert as_agent.get(reverse("clients:detail", args=[10**9])).status_code == 404


def test_the_api_answers_301_with_the_survivor_for_a_merged_id(manager, agent):
    kept, dup = ClientFactory(), ClientFactory()
    services.merge_clients(actor=manager, survivor=kept, duplicates=[dup])
    response = api_as(agent).get(f"/clients/{dup.pk}")
    assert response.status_code == 301
    assert response.json()["merged_into"] == kept.pk
    assert response["Location"] == f"/api/v1/clients/{kept.pk}"
    assert api_as(agent).get(f"/clients/{10**9}").status_code == 404


# --------------------------------------------------------------------------- permissions


def test_only_administrators_and_managers_may_merge():
    granted = roles.role_permissions()
    who = {role for role, perms in granted.items() if "clients.merge_client" in perms}
    assert who == {roles.ADMINISTRATOR, roles.MANAGER}


@pytest.mark.parametrize("role", [roles.AGENT, roles.AUDITOR, roles.STAGE_OWNER, None])
def test_others_are_refused_the_duplicates_and_merge_pages(client, role):
    a, b = ClientFactory(), ClientFactory()
    client.force_login(UserFactory(username="someone", role=role))
    assert client.get(reverse("clients:duplicates")).status_code == 403
    merge = reverse("clients:merge")
    assert client.get(merge, {"ids": f"{a.pk},{b.pk}"}).status_code == 403
    data = {"ids": [a.pk, b.pk], "survivor": a.pk, "confirm": "1"}
    assert client.post(merge, data).status_code == 403
    assert Client.objects.count() == 2


def test_an_administrator_may_merge(client):
    a, b = ClientFactory(), ClientFactory()
    client.force_login(UserFactory(username="admin", role=roles.ADMINISTRATOR))
    data = {"ids": [a.pk, b.pk], "survivor": a.pk, "confirm": "1"}
    assert client.post(reverse("clients:merge"), data).status_code == 302
    assert list(Client.objects.values_list("pk", flat=True)) == [a.pk]


def test_the_survivor_totals_include_the_merged_purchases(manager):
    from decimal import Decimal

    kept, dup = ClientFactory(name="Anna Nowak"), ClientFactory(name="Anna Nowak (2)")
    for client, day, amount in [
        (kept, dt.date(2026, 3, 1), "100.00"),
        (dup, dt.date(2025, 6, 1), "40.00"),
        (dup, dt.date(2026, 5, 1), "60.00"),
    ]:
        services.record_purchase(
            actor=manager, client=client, occurred_on=day, amount=Decimal(amount), currency="PLN"
        )
    survivor = services.merge_clients(actor=manager, survivor=kept, duplicates=[dup])
    assert survivor.revenue == Decimal("200.00")
    assert survivor.last_purchase_on == dt.date(2026, 5, 1)
    survivor.refresh_from_db()
    assert (survivor.revenue, survivor.last_purchase_on) == (Decimal("200.00"), dt.date(2026, 5, 1))
    assert survivor.client_since == dt.date(2025, 6, 1)  # the earliest purchase, now its own
