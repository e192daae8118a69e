"""Concurrent writes to the same client: row locks keep the timeline exact.

Each test widens the race window on purpose (the service pauses right after taking its row
lock), so without the lock both threads would read the same old state and the counts below
would be wrong.
"""

from __future__ import annotations

import threading
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connections
from django.utils import timezone

from kliento.clients import services
from kliento.clients.models import Client, PortraitFact, TimelineEntry
from kliento.clients.services import clients as service_clients
from kliento.clients.services import contacts as service_contacts
from kliento.clients.services import portrait as service_portrait
from kliento.clients.services import purchases as service_purchases
from kliento.clients.services import timeline
from tests.factories import ClientFactory, ContactFactory, PortraitFactFactory, PurchaseFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="SQLite has no row locks and its in-memory test database is shared by one "
        "connection, so two writers cannot race; the race is tested on PostgreSQL",
    ),
]

PAUSE = 0.3


@pytest.fixture
def slow_services(monkeypatch):
    """Pause inside each service where it reads the clock, i.e. after it locked its row."""

    def now():
        time.sleep(PAUSE)
        return timezone.now()

    clock = SimpleNamespace(now=now, localdate=timezone.localdate)
    for module in (service_clients, service_contacts, service_portrait, service_purchases):
        monkeypatch.setattr(module, "timezone", clock)


def run_together(*calls) -> list[BaseException]:
    """Run each call in its own thread (own connection), started at the same moment."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []

    def target(call):
        try:
            barrier.wait(timeout=10)
            call()
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a writer is stuck"
    return errors


def test_two_managers_flag_the_same_client_once(manager, slow_services):
    client = ClientFactory()
    other = ClientFactory()
    results: list[int] = []

    def flag(ids):
        return lambda: results.append(
            services.set_key_flag(actor=manager, client_ids=ids, is_key=True)
        )

    errors = run_together(flag([client.pk, other.pk]), flag([client.pk]))

    assert errors == []
    assert sorted(results) in ([0, 2], [1, 1])
    assert Client.objects.filter(is_key=True).count() == 2
    assert TimelineEntry.objects.filter(client=client).count() == 1
    assert TimelineEntry.objects.filter(client=other).count() == 1


def test_two_agents_confirm_the_same_fact_one_after_the_other(manager, agent, slow_services):
    fact = PortraitFactFactory(text="Plays tennis")

    errors = run_together(
        lambda: services.verify_portrait_fact(actor=manager, fact=fact, text="Plays padel"),
        lambda: services.verify_portrait_fact(actor=agent, fact=fact, text="Plays squash"),
    )

    assert errors == []
    entries = list(TimelineEntry.objects.filter(kind=TimelineEntry.Kind.FACT_VERIFIED))
    assert len(entries) == 2
    # Serialised: the later confirmation saw the earlier one's wording, not the original.
    first, second = sorted(entries, key=lambda e: e.pk)
    assert first.data["previous_text"] == "Plays tennis"
    assert second.data["previous_text"] == first.summary
    assert PortraitFact.objects.get().text == second.summary


def test_two_agents_record_the_same_consent_once(manager, agent):
    client = ClientFactory()

    errors = run_together(
        lambda: services.set_consent(actor=manager, client=client, channel="sms", granted=True),
        lambda: services.set_consent(actor=agent, client=client, channel="sms", granted=True),
    )

    assert errors == []
    assert client.consents.count() == 1
    assert TimelineEntry.objects.filter(kind=TimelineEntry.Kind.CONSENT_CHANGED).count() == 1


@pytest.fixture
def slow_timeline(monkeypatch):
    """Pause inside each service just before it writes its timeline entry."""
    real = timeline.record

    def record_event(**kwargs):
        time.sleep(PAUSE)
        return real(**kwargs)

    monkeypatch.setattr(timeline, "record", record_event)


def test_a_double_click_on_remove_records_one_removal(manager, slow_timeline):
    fact = PortraitFactFactory()
    purchase = PurchaseFactory(client=fact.client)
    contact = ContactFactory(client=fact.client)

    errors = run_together(
        lambda: services.remove_portrait_fact(actor=manager, fact=fact),
        lambda: services.remove_portrait_fact(actor=manager, fact=fact),
        lambda: services.remove_purchase(actor=manager, purchase=purchase),
        lambda: services.remove_purchase(actor=manager, purchase=purchase),
        lambda: services.remove_contact(actor=manager, contact=contact),
        lambda: services.remove_contact(actor=manager, contact=contact),
    )

    assert errors == []
    kinds = sorted(TimelineEntry.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            TimelineEntry.Kind.FACT_REMOVED,
            TimelineEntry.Kind.PURCHASE_REMOVED,
            TimelineEntry.Kind.CONTACT_REMOVED,
        ]
    )


@pytest.fixture
def slow_contact_checks(monkeypatch):
    """Pause while add_contact checks the value, before it looks for a primary contact."""
    real = service_contacts.normalize_contact

    def normalize_contact(kind, value, **options):
        time.sleep(PAUSE)
        return real(kind, value, **options)

    monkeypatch.setattr(service_contacts, "normalize_contact", normalize_contact)


def test_two_first_emails_added_at_once_make_one_primary(manager, agent, slow_contact_checks):
    client = ClientFactory()

    errors = run_together(
        lambda: services.add_contact(
            actor=manager, client=client, kind="email", value="a@example.com"
        ),
        lambda: services.add_contact(
            actor=agent, client=client, kind="email", value="b@example.com"
        ),
    )

    assert errors == []
    assert client.contacts.count() == 2
    assert client.contacts.filter(is_primary=True).count() == 1


def test_two_contacts_made_primary_at_once_leave_one_primary(manager, agent, slow_contact_checks):
    client = ClientFactory()
    ContactFactory(client=client, kind="email", value="old@example.com", is_primary=True)

    errors = run_together(
        lambda: services.add_contact(
            actor=manager, client=client, kind="email", value="a@example.com", is_primary=True
        ),
        lambda: services.add_contact(
            actor=agent, client=client, kind="email", value="b@example.com", is_primary=True
        ),
    )

    assert errors == []
    assert client.contacts.filter(is_primary=True).count() == 1
