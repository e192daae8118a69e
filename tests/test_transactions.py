"""Each service is one transaction: a change and its timeline entry are written together or not
at all."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from kliento.clients import services
from kliento.clients.models import (
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    Tag,
    TimelineEntry,
)
from kliento.clients.services import timeline
from tests.factories import ClientFactory, PortraitFactFactory, TagFactory


@pytest.mark.django_db
@pytest.mark.parametrize(
    "contacts",
    [
        [("phone", "not a phone")],
        [("email", "anna@example.com"), ("email", "anna@")],
        [("phone", "600123456"), ("phone", "600-123-456")],  # the same number twice
    ],
    ids=["bad-phone", "second-contact-bad", "duplicate"],
)
def test_create_client_with_a_bad_contact_writes_nothing(manager, contacts):
    tag = TagFactory(name="salsa")
    with pytest.raises(ValidationError):
        services.create_client(actor=manager, name="Anna", tags=[tag], contacts=contacts)
    assert not Client.objects.exists()
    assert not ContactPoint.objects.exists()
    assert not TimelineEntry.objects.exists()
    assert Tag.objects.get().clients.count() == 0


class TimelineDown(Exception):
    pass


@pytest.fixture
def broken_timeline(monkeypatch):
    """Make the timeline write fail, as a database error in the middle of a service would."""

    def fail(**kwargs):
        raise TimelineDown

    monkeypatch.setattr(timeline, "record", fail)


@pytest.mark.django_db
def test_edit_is_undone_when_its_timeline_entry_cannot_be_written(manager, broken_timeline):
    client = ClientFactory(name="Anna")
    with pytest.raises(TimelineDown):
        services.update_client(actor=manager, client=client, changes={"name": "Hanna"})
    client.refresh_from_db()
    assert client.name == "Anna"


@pytest.mark.django_db
def test_left_status_is_undone_when_its_timeline_entry_cannot_be_written(manager, broken_timeline):
    client = ClientFactory()
    with pytest.raises(TimelineDown):
        services.mark_left(actor=manager, client=client, left_on=dt.date(2025, 5, 1))
    client.refresh_from_db()
    assert (client.status, client.left_on) == (Client.Status.ACTIVE, None)


@pytest.mark.django_db
def test_fact_and_purchase_are_not_kept_without_their_timeline_entry(manager, broken_timeline):
    client = ClientFactory()
    with pytest.raises(TimelineDown):
        services.add_portrait_fact(
            actor=manager, client=client, category="family", text="Has twins", source="survey"
        )
    with pytest.raises(TimelineDown):
        services.record_purchase(
            actor=manager,
            client=client,
            occurred_on=dt.date(2025, 5, 1),
            amount=Decimal("10"),
            currency="PLN",
        )
    assert not PortraitFact.objects.exists()
    assert not Purchase.objects.exists()


@pytest.mark.django_db
def test_removed_fact_stays_when_its_timeline_entry_cannot_be_written(manager, broken_timeline):
    fact = PortraitFactFactory()
    with pytest.raises(TimelineDown):
        services.remove_portrait_fact(actor=manager, fact=fact)
    assert PortraitFact.objects.filter(pk=fact.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_record_event_outside_a_transaction_raises():
    client = ClientFactory()
    with pytest.raises(RuntimeError, match="inside the change's transaction"):
        timeline.record(client=client, kind=TimelineEntry.Kind.EDITED)
    assert not TimelineEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_record_event_inside_a_transaction_writes_the_entry():
    client = ClientFactory()
    with transaction.atomic():
        entry = timeline.record(
            client=client.pk, kind=TimelineEntry.Kind.EDITED, summary="x" * 600, data={"a": 1}
        )
    entry.refresh_from_db()
    assert entry.client_id == client.pk
    assert len(entry.summary) == 500  # trimmed to the column, not refused
    assert entry.data == {"a": 1}


@pytest.mark.django_db(transaction=True)
def test_a_failed_service_leaves_no_trace_in_autocommit_mode(manager):
    """The same as above, outside the test's wrapping transaction, as in production."""
    with pytest.raises(ValidationError):
        services.create_client(actor=manager, name="Anna", contacts=[("email", "nope")])
    assert not Client.objects.exists()
    assert not TimelineEntry.objects.exists()
