"""selectors.card: one card for the page and the API, holding only what the user may see."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kliento.clients import selectors, services
from kliento.clients.models import ChannelConsent, Client, TimelineEntry
from tests.api_support import api_as
from tests.factories import (
    ClientFactory,
    ContactFactory,
    PortraitFactFactory,
    PurchaseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HIDDEN_WITHOUT_PURCHASES = {TimelineEntry.Kind.PURCHASE, TimelineEntry.Kind.PURCHASE_REMOVED}
HIDDEN_WITHOUT_FACTS = {
    TimelineEntry.Kind.FACT_ADDED,
    TimelineEntry.Kind.FACT_VERIFIED,
    TimelineEntry.Kind.FACT_REMOVED,
}


def user_with(*codenames: str):
    """A user who holds exactly these permissions of the clients app (no role)."""
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="clients", codename__in=codenames)
    )
    return type(user).objects.get(pk=user.pk)  # fresh, without a stale permission cache


@pytest.fixture
def full_card(manager):
    """A company with a contact person, contacts, a consent, facts (one stale), purchases, and
    timeline entries of every visibility."""
    company = ClientFactory(kind=Client.Kind.COMPANY, name="Vistula Tech")
    ClientFactory(name="Jan Mazur", company=company)
    ContactFactory(client=company, value="office@vistula.example")
    services.set_consent(actor=manager, client=company, channel="email", granted=True)
    services.add_portrait_fact(
        actor=manager, client=company, category="values", text="Pays on time", source="survey"
    )
    PortraitFactFactory(
        client=company, text="Old news", verified_at=timezone.now() - dt.timedelta(days=3650)
    )
    for day in range(1, 13):
        services.record_purchase(
            actor=manager,
            client=company,
            occurred_on=dt.date(2026, 1, day),
            amount=Decimal(day),
            currency="PLN",
        )
    services.update_client(actor=manager, client=company, changes={"notes": "Call mornings"})
    return company


def kinds(page) -> set[str]:
    return {entry.kind for entry in page.entries}


def test_a_user_who_sees_everything_gets_the_whole_card(agent, full_card):
    card = selectors.card(full_card.pk, agent, timeline_size=100)

    assert card.client == full_card
    assert [c.value for c in card.contacts] == ["office@vistula.example"]
    assert [(c.channel, c.granted) for c in card.consents] == [("email", True)]
    rows = {row.channel: row.consent for row in card.consent_rows}
    assert list(rows) == list(ChannelConsent.Channel.values)
    assert rows["email"] is not None and rows["sms"] is None
    assert [p.name for p in card.contact_persons] == ["Jan Mazur"]
    assert sorted(f.text for f in card.facts) == ["Old news", "Pays on time"]
    assert [f.text for f in card.stale_facts] == ["Old news"]
    assert card.purchase_stats.count == 12
    assert [p.occurred_on.day for p in card.recent_purchases] == list(range(12, 2, -1))
    assert {TimelineEntry.Kind.PURCHASE, TimelineEntry.Kind.FACT_ADDED} <= kinds(card.timeline)


def test_without_the_portrait_and_purchase_permissions_those_parts_are_left_out(full_card):
    viewer = user_with("view_client")
    card = selectors.card(full_card.pk, viewer, timeline_size=100)

    assert card.facts is None
    assert card.stale_facts == []
    assert card.purchase_stats is None
    assert card.recent_purchases is None
    assert not kinds(card.timeline) & (HIDDEN_WITHOUT_PURCHASES | HIDDEN_WITHOUT_FACTS)
    assert TimelineEntry.Kind.EDITED in kinds(card.timeline)
    # What the card itself shows stays: contacts, consents, contact persons.
    assert len(card.contacts) == 1 and len(card.consents) == 1
    assert len(card.contact_persons) == 1


def test_each_permission_opens_only_its_own_part(full_card):
    buyer_viewer = user_with("view_client", "view_purchase")
    card = selectors.card(full_card.pk, buyer_viewer, timeline_size=100)
    assert card.purchase_stats is not None and card.facts is None
    assert TimelineEntry.Kind.PURCHASE in kinds(card.timeline)
    assert not kinds(card.timeline) & HIDDEN_WITHOUT_FACTS

    portrait_viewer = user_with("view_client", "view_portraitfact")
    card = selectors.card(full_card.pk, portrait_viewer, timeline_size=100)
    assert card.facts is not None and card.purchase_stats is None
    assert not kinds(card.timeline) & HIDDEN_WITHOUT_PURCHASES


@pytest.mark.parametrize("who", ["no role", "only purchases", "anonymous"])
def test_who_may_not_see_clients_gets_no_card(full_card, who):
    user = {
        "no role": lambda: UserFactory(username="nobody"),
        "only purchases": lambda: user_with("view_purchase", "view_portraitfact"),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        selectors.card(full_card.pk, user)


def test_an_unknown_client_has_no_card(agent):
    with pytest.raises(Client.DoesNotExist):
        selectors.card(999_999, agent)


def test_the_page_shows_only_what_the_selector_gives(full_card):
    http = HttpClient()
    http.force_login(user_with("view_client"))
    html = http.get(reverse("clients:detail", args=[full_card.pk])).content.decode()
    assert "office@vistula.example" in html
    assert 'id="purchases"' not in html
    assert 'id="portrait"' not in html
    assert "Pays on time" not in html


def test_the_api_card_shows_only_what_the_selector_gives(full_card):
    body = api_as(user_with("view_client")).get(f"/clients/{full_card.pk}").json()
    assert body["facts"] is None
    assert body["purchase_stats"] is None
    assert body["recent_purchases"] is None
    assert [c["value"] for c in body["contacts"]] == ["office@vistula.example"]
    assert {item["kind"] for item in body["timeline"]["items"]} == {
        TimelineEntry.Kind.EDITED,
        TimelineEntry.Kind.CONSENT_CHANGED,
    }


def test_the_page_and_the_api_show_the_same_card(agent, full_card):
    body = api_as(agent).get(f"/clients/{full_card.pk}").json()
    http = HttpClient()
    http.force_login(agent)
    context = http.get(reverse("clients:detail", args=[full_card.pk])).context
    card = context["card"]

    assert [c["id"] for c in body["contacts"]] == [c.pk for c in card.contacts]
    assert sorted(f["id"] for f in body["facts"]) == sorted(f.pk for f in card.facts)
    assert [p["id"] for p in body["recent_purchases"]] == [p.pk for p in card.recent_purchases]
    assert body["purchase_stats"]["count"] == card.purchase_stats.count
    assert [e["id"] for e in body["timeline"]["items"]] == [e.pk for e in card.timeline.entries]
    assert [p["name"] for p in body["contact_persons"]] == ["Jan Mazur"]
    stale = [f["text"] for f in body["facts"] if f["is_stale"]]
    assert stale == [f.text for f in card.stale_facts]


def test_the_cards_timeline_cursor_pages_on_in_the_api(agent, full_card):
    card = selectors.card(full_card.pk, agent, timeline_size=5)
    assert card.timeline.next_cursor is not None
    page = api_as(agent).get(
        f"/clients/{full_card.pk}/timeline", {"cursor": card.timeline.next_cursor, "limit": 100}
    )
    shown = [e.pk for e in card.timeline.entries]
    rest = [item["id"] for item in page.json()["items"]]
    everything = list(selectors.timeline_before(full_card, user=agent).values_list("pk", flat=True))
    assert shown + rest == everything


def test_a_person_has_no_contact_persons_query(agent, django_assert_num_queries):
    person = ClientFactory()
    PurchaseFactory(client=person)
    selectors.card(person.pk, agent)  # warm the permission cache
    # client, tags, facts, purchase figures, recent purchases, monthly revenue, contacts,
    # consents, timeline
    with django_assert_num_queries(9):
        assert selectors.card(person.pk, agent).contact_persons == []
