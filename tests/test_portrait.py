"""Portrait facts: adding, confirming, removing, and the "confirm at next contact" reminder."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from kliento.clients import services
from kliento.clients.models import PortraitFact, TimelineEntry
from tests.factories import ClientFactory, PortraitFactFactory

pytestmark = pytest.mark.django_db


def test_add_fact_records_who_when_and_a_timeline_entry(agent, client_card):
    fact = services.add_portrait_fact(
        actor=agent,
        client=client_card,
        category="family",
        text="  Two daughters, both dance ballet ",
        source="conversation",
    )
    fact.refresh_from_db()
    assert fact.text == "Two daughters, both dance ballet"
    assert fact.recorded_by == agent
    assert fact.verified_by == agent
    assert fact.verified_at == fact.recorded_at
    assert not fact.is_stale
    entry = client_card.timeline.get()
    assert entry.kind == TimelineEntry.Kind.FACT_ADDED
    assert entry.actor == agent
    assert entry.summary == "Two daughters, both dance ballet"
    assert entry.data == {"category": "family", "source": "conversation", "fact_id": fact.pk}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "horoscope"}, "category"),
        ({"source": "rumour"}, "source"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 2001}, "text"),
    ],
)
def test_bad_fact_is_refused_and_nothing_written(agent, client_card, changes, field):
    values = {"category": "family", "text": "Has a dog", "source": "survey", **changes}
    with pytest.raises(ValidationError) as exc:
        services.add_portrait_fact(actor=agent, client=client_card, **values)
    assert field in exc.value.message_dict
    assert not PortraitFact.objects.exists()
    assert not TimelineEntry.objects.exists()


def test_verify_updates_verified_at_and_by_and_writes_timeline(manager, agent):
    old = timezone.now() - dt.timedelta(days=400)
    fact = PortraitFactFactory(recorded_at=old, verified_at=old, verified_by=manager)
    assert fact.is_stale

    before = timezone.now()
    services.verify_portrait_fact(actor=agent, fact=fact)

    fact.refresh_from_db()
    assert fact.verified_at >= before
    assert fact.verified_by == agent
    assert fact.recorded_at == old
    assert not fact.is_stale
    entry = fact.client.timeline.get()
    assert entry.kind == TimelineEntry.Kind.FACT_VERIFIED
    assert entry.actor == agent
    assert entry.data == {"category": fact.category, "fact_id": fact.pk}


def test_verify_with_corrected_wording_keeps_the_previous_text(agent):
    fact = PortraitFactFactory(text="Plays tennis on Sundays")
    services.verify_portrait_fact(actor=agent, fact=fact, text=" Plays padel on Sundays ")
    fact.refresh_from_db()
    assert fact.text == "Plays padel on Sundays"
    entry = fact.client.timeline.get()
    assert entry.summary == "Plays padel on Sundays"
    assert entry.data["previous_text"] == "Plays tennis on Sundays"


def test_verify_with_blank_or_same_text_keeps_the_wording(agent):
    fact = PortraitFactFactory(text="Plays tennis")
    services.verify_portrait_fact(actor=agent, fact=fact, text="  ")
    services.verify_portrait_fact(actor=agent, fact=fact, text="Plays tennis")
    fact.refresh_from_db()
    assert fact.text == "Plays tennis"
    assert [e.data.get("previous_text") for e in fact.client.timeline.all()] == [None, None]


def test_verify_with_too_long_text_is_refused_and_nothing_written(agent):
    fact = PortraitFactFactory(text="Plays tennis")
    with pytest.raises(ValidationError):
        services.verify_portrait_fact(actor=agent, fact=fact, text="x" * 2001)
    fact.refresh_from_db()
    assert fact.text == "Plays tennis"
    assert not TimelineEntry.objects.exists()


def test_remove_fact_leaves_its_text_on_the_timeline(manager):
    fact = PortraitFactFactory(text="Afraid of heights", category="emotions")
    client = fact.client
    services.remove_portrait_fact(actor=manager, fact=fact)
    assert not PortraitFact.objects.exists()
    entry = client.timeline.get()
    assert (entry.kind, entry.summary, entry.data["category"]) == (
        TimelineEntry.Kind.FACT_REMOVED,
        "Afraid of heights",
        "emotions",
    )
    # All of the fact is kept, so the removal can be undone.
    assert entry.data["source"] == fact.source
    assert entry.data["verified_at"] == fact.verified_at.isoformat()


@pytest.mark.parametrize(("age_days", "stale"), [(29, False), (31, True)])
def test_fact_is_stale_after_the_configured_age(settings, age_days, stale):
    settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS = 30
    fact = PortraitFactFactory(verified_at=timezone.now() - dt.timedelta(days=age_days))
    assert fact.is_stale is stale


def test_card_asks_to_confirm_stale_facts_at_next_contact(as_agent, settings):
    settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS = 90
    client = ClientFactory()
    PortraitFactFactory(
        client=client, text="Loves jazz", verified_at=timezone.now() - dt.timedelta(days=91)
    )
    PortraitFactFactory(
        client=client, text="Has a dog", verified_at=timezone.now() - dt.timedelta(days=10)
    )

    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()

    assert 'id="stale-facts"' in html
    assert "1 portrait fact has not been verified for a long time." in html
    assert html.count("confirm at next contact") == 1
    # The badge belongs to the stale fact, not the fresh one.
    jazz = html.index("Loves jazz")
    badge = html.index("confirm at next contact")
    dog = html.index("Has a dog")
    assert jazz < badge < dog or dog < jazz < badge


def test_card_has_no_reminder_when_every_fact_is_fresh(as_agent, settings):
    settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS = 90
    client = ClientFactory()
    PortraitFactFactory(client=client, verified_at=timezone.now() - dt.timedelta(days=89))
    html = as_agent.get(reverse("clients:detail", args=[client.pk])).content.decode()
    assert 'id="stale-facts"' not in html
    assert "confirm at next contact" not in html


def test_confirming_a_stale_fact_removes_the_reminder(as_agent, settings):
    settings.KLIENTO_PORTRAIT_MAX_AGE_DAYS = 90
    fact = PortraitFactFactory(verified_at=timezone.now() - dt.timedelta(days=200))
    url = reverse("clients:detail", args=[fact.client_id])
    assert "confirm at next contact" in as_agent.get(url).content.decode()

    as_agent.post(reverse("clients:fact_verify", args=[fact.client_id, fact.pk]))

    assert "confirm at next contact" not in as_agent.get(url).content.decode()
