"""The client card: everything the card shows, assembled once for the page and the API.

What a user sees follows their permissions here, not in each screen: without
`clients.view_portraitfact` there are no facts, without `clients.view_purchase` no purchase
figures, and the timeline leaves out entries of kinds the user may not see.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch

from kliento.clients.models import ChannelConsent, Client, ContactPoint, PortraitFact, Purchase, Tag
from kliento.clients.selectors.purchases import (
    MonthlyRevenue,
    PurchaseStats,
    monthly_revenue,
    purchase_stats,
    recent_purchases,
)
from kliento.clients.selectors.timeline import TIMELINE_PAGE, TimelinePage, timeline_page

RECENT_PURCHASES = 10
CONTACT_PERSONS_SHOWN = 50

VIEW_CLIENT = "clients.view_client"
VIEW_FACTS = "clients.view_portraitfact"
VIEW_PURCHASES = "clients.view_purchase"


@dataclass(frozen=True)
class ConsentRow:
    channel: str
    label: str
    consent: ChannelConsent | None  # None: never asked


@dataclass(frozen=True)
class Card:
    client: Client  # with its company, segment, account manager and tags
    contacts: list[ContactPoint]
    consents: list[ChannelConsent]  # as recorded, by channel
    contact_persons: list[Client]  # of a company; the first CONTACT_PERSONS_SHOWN by name
    timeline: TimelinePage
    # None where the user may not see that part of the card.
    facts: list[PortraitFact] | None = None
    purchase_stats: PurchaseStats | None = None
    recent_purchases: list[Purchase] | None = None
    # Revenue per month and currency over the last two years, for the chart.
    purchase_months: MonthlyRevenue | None = None

    @property
    def stale_facts(self) -> list[PortraitFact]:
        """Facts not confirmed for too long: to be confirmed at the next contact."""
        return [fact for fact in self.facts or [] if fact.is_stale]

    @property
    def consent_rows(self) -> list[ConsentRow]:
        """Every channel a client can consent to, with the recorded answer if there is one."""
        by_channel = {consent.channel: consent for consent in self.consents}
        return [
            ConsentRow(code, str(label), by_channel.get(code))
            for code, label in ChannelConsent.Channel.choices
        ]


def contacts(client: Client | int) -> list[ContactPoint]:
    return list(ContactPoint.objects.filter(client=client))


def consents(client: Client | int) -> list[ChannelConsent]:
    """The consents recorded for a client, by channel."""
    return list(ChannelConsent.objects.filter(client=client).order_by("channel"))


def facts(client: Client | int) -> list[PortraitFact]:
    """A client's portrait; the caller checks `clients.view_portraitfact`."""
    return list(
        PortraitFact.objects.filter(client=client).select_related("recorded_by", "verified_by")
    )


def card(
    client_id: int, user: Any, *, timeline_size: int = TIMELINE_PAGE, cursor: str | None = None
) -> Card:
    """The card of a client as `user` may see it.

    Raises Client.DoesNotExist for an unknown id, PermissionDenied if the user may not see
    client cards at all, and InvalidCursor for a damaged timeline cursor.
    """
    if not user.has_perm(VIEW_CLIENT):
        raise PermissionDenied
    client = (
        Client.objects.select_related("segment", "account_manager", "company")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .get(pk=client_id)
    )
    contact_persons: list[Client] = []
    if client.kind == Client.Kind.COMPANY:
        persons = client.contact_persons.order_by("name", "id")
        contact_persons = list(persons[:CONTACT_PERSONS_SHOWN])
    portrait = facts(client) if user.has_perm(VIEW_FACTS) else None
    stats = recent = months = None
    if user.has_perm(VIEW_PURCHASES):
        stats = purchase_stats(client)
        recent = recent_purchases(client, limit=RECENT_PURCHASES)
        months = monthly_revenue(client) if stats.count else None
    return Card(
        client=client,
        contacts=contacts(client),
        consents=consents(client),
        contact_persons=contact_persons,
        timeline=timeline_page(client, user=user, cursor=cursor, limit=timeline_size),
        facts=portrait,
        purchase_stats=stats,
        recent_purchases=recent,
        purchase_months=months,
    )
