"""Client services: creating, editing, leaving and returning, company/contact-person rules."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kliento.clients import services
from kliento.clients.models import Client, ContactPoint, TimelineEntry
from tests.factories import ClientFactory, SegmentFactory, TagFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds(client: Client) -> list[str]:
    return list(client.timeline.order_by("id").values_list("kind", flat=True))


def test_create_client_writes_client_and_created_entry(manager):
    segment = SegmentFactory(name="Adults")
    tag = TagFactory(name="salsa")

    client = services.create_client(
        actor=manager,
        name="  Zofia Wójcik ",
        segment=segment,
        tags=[tag],
        external_ref="CRM-1",
        contacts=[("phone", "600 123 456"), ("email", "Zofia@Example.com")],
    )

    client.refresh_from_db()
    assert client.name == "Zofia Wójcik"
    assert client.status == Client.Status.ACTIVE
    assert client.segment == segment
    assert list(client.tags.all()) == [tag]
    assert sorted(client.contacts.values_list("value", flat=True)) == [
        "+48600123456",
        "zofia@example.com",
    ]
    # Contacts given at creation are part of the "created" event, not events of their own.
    entry = client.timeline.get()
    assert entry.kind == TimelineEntry.Kind.CREATED
    assert entry.actor == manager
    assert entry.summary == "Zofia Wójcik"


def test_create_client_refuses_blank_name_and_writes_nothing(manager):
    with pytest.raises(ValidationError) as exc:
        services.create_client(actor=manager, name="   ")
    assert "name" in exc.value.message_dict
    assert Client.objects.count() == 0
    assert TimelineEntry.objects.count() == 0


def test_create_client_refuses_duplicate_external_ref(manager):
    services.create_client(actor=manager, name="First", external_ref="X-1")
    with pytest.raises(ValidationError) as exc:
        services.create_client(actor=manager, name="Second", external_ref="X-1")
    assert "external_ref" in exc.value.message_dict
    assert list(Client.objects.values_list("name", flat=True)) == ["First"]


def test_empty_external_ref_is_stored_as_null_so_many_clients_can_lack_one(manager):
    a = services.create_client(actor=manager, name="A", external_ref="")
    b = services.create_client(actor=manager, name="B", external_ref="")
    assert a.external_ref is None
    assert b.external_ref is None


def test_contact_person_of_a_company(manager):
    company = services.create_client(actor=manager, name="Vistula Tech", kind="company")
    person = services.create_client(
        actor=manager, name="Jan Mazur", company=company, job_title="HR lead"
    )
    assert list(company.contact_persons.all()) == [person]


def test_company_cannot_have_a_company(manager):
    company = ClientFactory(kind=Client.Kind.COMPANY)
    with pytest.raises(ValidationError) as exc:
        services.create_client(actor=manager, name="Sub Ltd", kind="company", company=company)
    assert exc.value.message_dict["company"] == ["Only a person can be a contact of a company."]
    assert Client.objects.count() == 1


def test_person_cannot_work_for_a_person(manager):
    person = ClientFactory(kind=Client.Kind.PERSON)
    with pytest.raises(ValidationError) as exc:
        services.create_client(actor=manager, name="Jan", company=person)
    assert exc.value.message_dict["company"] == ["The chosen client is not a company."]


def test_company_with_contact_persons_cannot_become_a_person(manager):
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Baltic Events")
    ClientFactory(kind=Client.Kind.PERSON, company=company)

    with pytest.raises(ValidationError) as exc:
        services.update_client(actor=manager, client=company, changes={"kind": "person"})

    assert "kind" in exc.value.message_dict
    company.refresh_from_db()
    assert company.kind == Client.Kind.COMPANY
    assert company.timeline.count() == 0


def test_update_client_records_each_changed_field_old_and_new(manager):
    old_segment = SegmentFactory(name="Kids")
    new_segment = SegmentFactory(name="Adults")
    account_manager = UserFactory(username="marta")
    client = ClientFactory(name="Anna Nowak", job_title="", segment=old_segment)

    services.update_client(
        actor=manager,
        client=client,
        changes={
            "name": "Anna Nowak-Kowalska",
            "job_title": "Teacher",
            "segment": new_segment,
            "account_manager": account_manager,
            "notes": "",  # unchanged: must not appear
        },
    )

    client.refresh_from_db()
    assert client.name == "Anna Nowak-Kowalska"
    entry = client.timeline.get()
    assert entry.kind == TimelineEntry.Kind.EDITED
    assert entry.actor == manager
    assert entry.data["changes"] == {
        "name": ["Anna Nowak", "Anna Nowak-Kowalska"],
        "job_title": ["", "Teacher"],
        "segment": ["Kids", "Adults"],
        "account_manager": [None, "marta"],
    }
    assert entry.summary == "account_manager, job_title, name, segment"


def test_update_client_records_tag_changes(manager):
    client = ClientFactory()
    client.tags.set([TagFactory(name="tango")])
    services.update_client(
        actor=manager,
        client=client,
        changes={},
        tags=[TagFactory(name="salsa"), TagFactory(name="bachata")],
    )
    assert sorted(client.tags.values_list("name", flat=True)) == ["bachata", "salsa"]
    assert client.timeline.get().data["changes"] == {"tags": [["tango"], ["bachata", "salsa"]]}


def test_update_client_with_nothing_changed_records_nothing(manager):
    tag = TagFactory(name="tango")
    client = ClientFactory(name="Anna", job_title="Teacher")
    client.tags.set([tag])
    before = Client.objects.get(pk=client.pk).updated_at

    services.update_client(
        actor=manager,
        client=client,
        changes={"name": "Anna", "job_title": "Teacher", "external_ref": ""},
        tags=[tag],
    )

    assert client.timeline.count() == 0
    assert Client.objects.get(pk=client.pk).updated_at == before


def test_update_client_refuses_fields_that_are_not_editable(manager):
    client = ClientFactory()
    with pytest.raises(ValueError, match="status"):
        services.update_client(actor=manager, client=client, changes={"status": "left"})
    assert client.timeline.count() == 0


def test_update_client_refuses_invalid_value_and_keeps_old_data(manager):
    client = ClientFactory(name="Anna")
    with pytest.raises(ValidationError) as exc:
        services.update_client(actor=manager, client=client, changes={"name": ""})
    assert "name" in exc.value.message_dict
    client.refresh_from_db()
    assert client.name == "Anna"
    assert client.timeline.count() == 0


def test_mark_left_and_returned(manager):
    client = ClientFactory()
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    services.mark_left(actor=manager, client=client, left_on=yesterday, reason="Moved to Kraków")
    client.refresh_from_db()
    assert (client.status, client.left_on) == (Client.Status.LEFT, yesterday)

    services.mark_returned(actor=manager, client=client)
    client.refresh_from_db()
    assert (client.status, client.left_on) == (Client.Status.ACTIVE, None)

    left, returned = client.timeline.order_by("id")
    assert left.kind == TimelineEntry.Kind.LEFT
    assert left.summary == "Moved to Kraków"
    assert left.data == {"left_on": yesterday.isoformat()}
    assert returned.kind == TimelineEntry.Kind.RETURNED


def test_mark_left_refuses_a_future_date(manager):
    client = ClientFactory()
    with pytest.raises(ValidationError) as exc:
        services.mark_left(
            actor=manager, client=client, left_on=timezone.localdate() + dt.timedelta(days=1)
        )
    assert exc.value.message_dict == {
        "left_on": ["The date a client left cannot be in the future."]
    }
    client.refresh_from_db()
    assert client.status == Client.Status.ACTIVE
    assert client.timeline.count() == 0


def test_mark_left_twice_is_refused(manager):
    client = ClientFactory()
    services.mark_left(actor=manager, client=client, left_on=timezone.localdate())
    with pytest.raises(ValidationError, match="already marked as left"):
        services.mark_left(actor=manager, client=client, left_on=timezone.localdate())
    assert kinds(client) == [TimelineEntry.Kind.LEFT]


def test_returning_an_active_client_is_refused(manager):
    client = ClientFactory()
    with pytest.raises(ValidationError, match="already active"):
        services.mark_returned(actor=manager, client=client)
    assert client.timeline.count() == 0


def test_database_refuses_left_on_for_an_active_client():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClientFactory(status=Client.Status.ACTIVE, left_on=dt.date(2025, 1, 1))


def test_set_key_flag_changes_only_clients_that_differ(manager):
    a, b, c = ClientFactory(), ClientFactory(), ClientFactory(is_key=True)

    changed = services.set_key_flag(actor=manager, client_ids=[a.pk, b.pk, c.pk], is_key=True)

    assert changed == 2
    assert set(Client.objects.filter(is_key=True).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
        c.pk,
    }
    assert kinds(a) == [TimelineEntry.Kind.KEY_FLAGGED]
    assert kinds(c) == []
    assert a.timeline.get().actor == manager

    # Flagging again changes nothing and writes nothing.
    assert services.set_key_flag(actor=manager, client_ids=[a.pk], is_key=True) == 0
    assert kinds(a) == [TimelineEntry.Kind.KEY_FLAGGED]

    assert services.set_key_flag(actor=manager, client_ids=[a.pk], is_key=False) == 1
    assert kinds(a) == [TimelineEntry.Kind.KEY_FLAGGED, TimelineEntry.Kind.KEY_UNFLAGGED]


def test_set_key_flag_with_no_clients_is_a_no_op(manager):
    assert services.set_key_flag(actor=manager, client_ids=[], is_key=True) == 0
    assert TimelineEntry.objects.count() == 0


def test_contact_added_after_creation_is_on_the_timeline(manager):
    client = ClientFactory()
    services.add_contact(actor=manager, client=client, kind="email", value="a@b.pl")
    entry = client.timeline.get()
    assert (entry.kind, entry.summary, entry.data) == (
        TimelineEntry.Kind.CONTACT_ADDED,
        "a@b.pl",
        {"kind": "email"},
    )
    contact = ContactPoint.objects.get()
    services.remove_contact(actor=manager, contact=contact)
    assert not ContactPoint.objects.exists()
    assert kinds(client) == [TimelineEntry.Kind.CONTACT_ADDED, TimelineEntry.Kind.CONTACT_REMOVED]


@pytest.mark.django_db
def test_deleting_a_company_leaves_a_trace_on_its_contact_persons(manager):
    company = ClientFactory(name="ACME", kind=Client.Kind.COMPANY)
    person = ClientFactory(name="Anna", company=company)

    services.delete_client(actor=manager, client=company)

    person.refresh_from_db()
    assert person.company is None
    entry = person.timeline.get(kind=TimelineEntry.Kind.EDITED)
    assert entry.data["changes"]["company"] == ["ACME", None]
    assert entry.actor == manager
