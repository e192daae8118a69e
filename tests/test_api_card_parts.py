"""Contacts, consents, portrait facts and the timeline through the API."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.utils import timezone

from kliento.clients.models import ChannelConsent, ContactPoint, PortraitFact, TimelineEntry
from tests.api_support import api_as, error_locs
from tests.factories import ContactFactory, PortraitFactFactory

pytestmark = pytest.mark.django_db


def _kinds(client) -> list[str]:
    return list(client.timeline.order_by("occurred_at", "id").values_list("kind", flat=True))


def test_add_list_and_remove_contacts(manager, client_card):
    api = api_as(manager)
    added = api.post(
        f"/clients/{client_card.pk}/contacts",
        {"kind": "messenger", "value": "@anna", "messenger": "telegram", "label": "personal"},
    )
    assert added.status_code == 201, added.content
    assert added.json()["messenger"] == "telegram"
    assert added.json()["is_primary"] is True
    listed = api.get(f"/clients/{client_card.pk}/contacts").json()
    assert [c["value"] for c in listed] == ["@anna"]

    removed = api.delete(f"/clients/{client_card.pk}/contacts/{added.json()['id']}")
    assert removed.status_code == 204
    assert not ContactPoint.objects.filter(client=client_card).exists()
    assert _kinds(client_card) == [
        TimelineEntry.Kind.CONTACT_ADDED,
        TimelineEntry.Kind.CONTACT_REMOVED,
    ]


def test_duplicate_contact_is_422_on_value(manager, client_card):
    ContactFactory(client=client_card, kind="email", value="anna@example.com")
    response = api_as(manager).post(
        f"/clients/{client_card.pk}/contacts", {"kind": "email", "value": "ANNA@example.com"}
    )
    assert error_locs(response) == [("body", "payload", "value")]
    assert client_card.contacts.count() == 1


def test_contact_of_another_client_is_404(manager, client_card):
    other = ContactFactory()
    response = api_as(manager).delete(f"/clients/{client_card.pk}/contacts/{other.pk}")
    assert response.status_code == 404
    assert ContactPoint.objects.filter(pk=other.pk).exists()


def test_set_consent_records_a_change_once(manager, client_card):
    api = api_as(manager)
    url = f"/clients/{client_card.pk}/consents/sms"
    assert api.put(url, {"granted": True}).json()["granted"] is True
    assert api.put(url, {"granted": True}).status_code == 200
    assert api.put(url, {"granted": False}).json()["granted"] is False
    assert ChannelConsent.objects.get(client=client_card, channel="sms").granted is False
    # The first answer and the change are recorded; repeating an answer is not news.
    assert _kinds(client_card) == [TimelineEntry.Kind.CONSENT_CHANGED] * 2
    listed = api.get(f"/clients/{client_card.pk}/consents").json()
    assert [(c["channel"], c["granted"]) for c in listed] == [("sms", False)]


def test_unknown_consent_channel_is_422(manager, client_card):
    response = api_as(manager).put(f"/clients/{client_card.pk}/consents/pigeon", {"granted": True})
    assert error_locs(response) == [("path", "channel")]


def test_portrait_fact_add_verify_remove(manager, client_card):
    api = api_as(manager)
    added = api.post(
        f"/clients/{client_card.pk}/facts",
        {"category": "lifestyle", "text": "Plays tennis", "source": "conversation"},
    )
    assert added.status_code == 201, added.content
    fact = added.json()
    assert fact["recorded_by"]["username"] == "manager"
    assert fact["is_stale"] is False

    verified = api.post(
        f"/clients/{client_card.pk}/facts/{fact['id']}/verify", {"text": "Plays padel"}
    )
    assert verified.json()["text"] == "Plays padel"
    entry = client_card.timeline.get(kind=TimelineEntry.Kind.FACT_VERIFIED)
    assert entry.data["previous_text"] == "Plays tennis"

    assert api.delete(f"/clients/{client_card.pk}/facts/{fact['id']}").status_code == 204
    assert not PortraitFact.objects.filter(pk=fact["id"]).exists()
    assert _kinds(client_card) == [
        TimelineEntry.Kind.FACT_ADDED,
        TimelineEntry.Kind.FACT_VERIFIED,
        TimelineEntry.Kind.FACT_REMOVED,
    ]


def test_verify_without_body_just_confirms(manager, client_card):
    old = timezone.now() - dt.timedelta(days=400)
    fact = PortraitFactFactory(client=client_card, verified_at=old, recorded_by=manager)
    api = api_as(manager)
    assert api.get(f"/clients/{client_card.pk}/facts").json()[0]["is_stale"] is True
    response = api.post(f"/clients/{client_card.pk}/facts/{fact.pk}/verify")
    assert response.status_code == 200, response.content
    assert response.json()["is_stale"] is False
    assert response.json()["text"] == fact.text


@pytest.mark.parametrize(
    ("payload", "loc"),
    [
        ({"category": "gossip", "text": "x", "source": "survey"}, "category"),
        ({"category": "family", "text": "   ", "source": "survey"}, "text"),
        ({"category": "family", "text": "x" * 2001, "source": "survey"}, "text"),
        ({"category": "family", "text": "x", "source": "rumour"}, "source"),
    ],
)
def test_bad_fact_is_422(manager, client_card, payload, loc):
    response = api_as(manager).post(f"/clients/{client_card.pk}/facts", payload)
    assert error_locs(response) == [("body", "payload", loc)]
    assert not client_card.portrait_facts.exists()


def test_fact_of_another_client_is_404(manager, client_card):
    other = PortraitFactFactory()
    api = api_as(manager)
    assert api.post(f"/clients/{client_card.pk}/facts/{other.pk}/verify").status_code == 404
    assert api.delete(f"/clients/{client_card.pk}/facts/{other.pk}").status_code == 404


def test_timeline_pages_with_a_cursor_without_gaps_or_repeats(manager, client_card):
    api = api_as(manager)
    for n in range(7):
        api.post(
            f"/clients/{client_card.pk}/facts",
            {"category": "values", "text": f"fact {n}", "source": "survey"},
        )
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = api.get(f"/clients/{client_card.pk}/timeline", params).json()
        seen.extend(item["id"] for item in page["items"])
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    expected = list(
        client_card.timeline.order_by("-occurred_at", "-id").values_list("id", flat=True)
    )
    assert seen == expected
    assert len(seen) == 7
    assert pages == 3


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "bm9waXBl",
        "MjAyNi0wMS0wMXwx",
        # Moments whose UTC value falls outside the years 1-9999.
        base64.urlsafe_b64encode(b"0001-01-01T00:00:00+01:00|5").decode(),
        base64.urlsafe_b64encode(b"9999-12-31T23:59:59-05:00|5").decode(),
    ],
)
def test_timeline_rejects_a_bad_cursor(manager, client_card, cursor):
    response = api_as(manager).get(f"/clients/{client_card.pk}/timeline", {"cursor": cursor})
    assert error_locs(response) == [("query", "cursor")]
