"""A coherent demo company: a dance school with a shop, its staff in teams, and its clients.

Everything is generated from a seeded random generator, so two runs produce the same data.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import rules
from kliento.clients.demo import texts
from kliento.clients.demo.texts import FACTS, PRODUCTS, pick
from kliento.clients.models import (
    ChannelConsent,
    Client,
    ContactPoint,
    PortraitFact,
    Purchase,
    Segment,
    Tag,
    TimelineEntry,
)
from kliento.clients.services import activity, timeline

# (first name, surname) pools per gender: Polish surnames agree with the person's gender.
FEMALE_NAMES = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Olena",
    "Iryna",
    "Natalia",
    "Zofia",
    "Julia",
    "Marta",
]
MALE_NAMES = [
    "Piotr",
    "Andrii",
    "Tomasz",
    "Jakub",
    "Oleksandr",
    "Michał",
    "Dmytro",
    "Paweł",
    "Adam",
]
SURNAMES = [
    ("Nowak", "Nowak"),
    ("Kowalski", "Kowalska"),
    ("Wiśniewski", "Wiśniewska"),
    ("Shevchenko", "Shevchenko"),
    ("Kovalenko", "Kovalenko"),
    ("Lewandowski", "Lewandowska"),
    ("Zieliński", "Zielińska"),
    ("Bondarenko", "Bondarenko"),
    ("Wójcik", "Wójcik"),
    ("Kamiński", "Kamińska"),
    ("Tkachenko", "Tkachenko"),
    ("Mazur", "Mazur"),
    ("Krawczyk", "Krawczyk"),
    ("Melnyk", "Melnyk"),
    ("Dąbrowski", "Dąbrowska"),
]
COMPANIES = [
    "Baltic Events",
    "Wisła Corporate Wellness",
    "Kyiv Film Studio",
    "Sunrise Hotels",
    "Vistula Tech",
    "Green Park School",
    "Polonia Weddings",
    "Dnipro Logistics",
]


def ascii_slug(name: str) -> str:
    """'Michał Zieliński' -> 'michal.zielinski', for plausible demo email addresses."""
    decomposed = unicodedata.normalize("NFKD", name.lower().replace("ł", "l"))
    return decomposed.encode("ascii", "ignore").decode().replace(" ", ".")


def demo_clients_exist() -> bool:
    names = [name[language] for name, _description in texts.SEGMENTS for language in name]
    return Segment.objects.filter(name__in=names).exists() or Client.objects.exists()


def demo_segments() -> list[Segment]:
    """The demo's four segments in their order, in whichever language they were loaded; an
    empty list if the demo company is not loaded."""
    found = []
    for name, _description in texts.SEGMENTS:
        segment = Segment.objects.filter(name__in=list(name.values())).first()
        if segment is None:
            return []
        found.append(segment)
    return found


@transaction.atomic
def load_demo_clients(*, clients: int = 300, seed: int = 2026, language: str = "en") -> None:
    """Segments, tags and clients with portraits and two years of purchases, managed by the
    staff who hold a client-facing role (the organisation's demo loader creates them).

    Segments and tags are named in `language` (the operator's); each client's portrait facts
    and purchase descriptions are in the client's own language."""
    rng = random.Random(seed)
    user_model = get_user_model()
    from kliento.clients.demo.scale import account_managers as manager_ids

    account_managers = list(user_model.objects.filter(pk__in=manager_ids()).order_by("username"))
    segments = [
        Segment.objects.create(name=pick(name, language), description=pick(desc, language))
        for name, desc in texts.SEGMENTS
    ]
    tags = [Tag.objects.create(name=pick(tag, language)) for tag in texts.TAGS]
    generate_clients(
        count=clients,
        rng=rng,
        managers=account_managers,
        segments=segments,
        tags=tags,
        with_details=True,
        language=language,
    )


def generate_clients(
    *,
    count: int,
    rng: random.Random,
    managers: list,
    segments: list[Segment],
    tags: list[Tag],
    with_details: bool,
    language: str = "en",
) -> None:
    today = timezone.localdate()
    now = timezone.now()
    companies = []
    for name in COMPANIES:
        companies.append(
            Client.objects.create(
                kind=Client.Kind.COMPANY,
                name=name,
                segment=segments[-1],
                account_manager=rng.choice(managers),
                created_at=now - dt.timedelta(days=rng.randint(400, 800)),
            )
        )
    people = []
    for i in range(count):
        female = rng.random() < 0.6
        first = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
        last = rng.choice(SURNAMES)[1 if female else 0]
        company = rng.choice(companies) if rng.random() < 0.08 else None
        created = now - dt.timedelta(days=rng.randint(0, 760))
        left = rng.random() < 0.12
        people.append(
            Client(
                kind=Client.Kind.PERSON,
                name=f"{first} {last}",
                company=company,
                job_title=pick(texts.HR_MANAGER, language) if company else "",
                language=rng.choice(["pl", "pl", "uk", "ru", "en"]),
                account_manager=rng.choice(managers),
                segment=company.segment if company else rng.choice(segments[:3]),
                status=Client.Status.LEFT if left else Client.Status.ACTIVE,
                left_on=today - dt.timedelta(days=rng.randint(1, 200)) if left else None,
                external_ref=f"R-{i + 1:06d}",
                created_at=created,
            )
        )
    Client.objects.bulk_create(people, batch_size=2000)
    people = list(Client.objects.filter(kind=Client.Kind.PERSON).order_by("id"))
    everyone = people + companies

    contacts, consents, facts, purchases, events = [], [], [], [], []
    for n, client in enumerate(everyone):
        events.append(
            timeline.NewEntry(
                client_id=client.pk,
                kind=TimelineEntry.Kind.CREATED,
                occurred_at=client.created_at,
                summary=client.name,
            )
        )
        contacts.append(
            ContactPoint(
                client=client,
                kind=ContactPoint.Kind.PHONE,
                value=f"+4860{n:07d}",
                is_primary=True,
            )
        )
        slug = ascii_slug(client.name)
        contacts.append(
            ContactPoint(
                client=client,
                kind=ContactPoint.Kind.EMAIL,
                value=f"{slug}.{n}@example.com",
                is_primary=True,
            )
        )
        consents.append(
            ChannelConsent(
                client=client, channel=ChannelConsent.Channel.EMAIL, granted=rng.random() < 0.8
            )
        )
        if with_details:
            for category in rng.sample(list(FACTS), k=rng.randint(0, 4)):
                verified = now - dt.timedelta(days=rng.randint(0, 400))
                facts.append(
                    PortraitFact(
                        client=client,
                        category=category,
                        text=pick(rng.choice(FACTS[category]), client.language or language),
                        source=rng.choice(PortraitFact.Source.values),
                        recorded_by=client.account_manager,
                        recorded_at=verified,
                        verified_at=verified,
                        verified_by=client.account_manager,
                    )
                )
        # A few big spenders and many small ones, so the Pareto split is realistic.
        weight = rng.paretovariate(1.3)
        n_purchases = min(40, int(weight * 2))
        start = max(client.created_at.date(), today - dt.timedelta(days=730))
        end = client.left_on or today
        days = max(1, (end - start).days)
        for _ in range(n_purchases):
            product_texts, price = rng.choice(PRODUCTS)
            product = pick(product_texts, client.language or language)
            when = start + dt.timedelta(days=rng.randint(0, days))
            amount = price * (2 if client.kind == Client.Kind.COMPANY else 1)
            channel = rng.choice(Purchase.SalesChannel.values)
            purchases.append(
                Purchase(
                    client=client,
                    occurred_on=when,
                    amount=amount,
                    currency="PLN",
                    description=product,
                    channel=channel,
                    # Partners' sales come without a cost, so margin figures have gaps to show;
                    # no random draw, so the rest of the demo stays as it was.
                    cost=None if channel == "partner" else _demo_cost(amount),
                )
            )
    ContactPoint.objects.bulk_create(contacts, batch_size=2000)
    ChannelConsent.objects.bulk_create(consents, batch_size=2000)
    PortraitFact.objects.bulk_create(facts, batch_size=2000)
    Purchase.objects.bulk_create(purchases, batch_size=2000)
    activity.refresh_purchase_totals(client_ids={p.client_id for p in purchases})
    rules.settle_client_since()  # the clients without purchases too
    for p in purchases:
        events.append(
            timeline.NewEntry(
                client_id=p.client_id,
                kind=TimelineEntry.Kind.PURCHASE,
                occurred_at=dt.datetime.combine(p.occurred_on, dt.time(12), tzinfo=dt.UTC),
                summary=f"{p.amount} {p.currency} {p.description}",
                data={
                    "amount": str(p.amount),
                    "currency": p.currency,
                    "occurred_on": p.occurred_on.isoformat(),
                },
            )
        )
    for f in facts:
        events.append(
            timeline.NewEntry(
                client_id=f.client_id,
                kind=TimelineEntry.Kind.FACT_ADDED,
                occurred_at=f.recorded_at,
                actor_id=f.recorded_by_id,
                summary=f.text,
                data={"category": f.category, "source": f.source},
            )
        )
    timeline.record_many(events)
    for client in rng.sample(people, k=min(len(people), count // 5)):
        client.tags.add(rng.choice(tags))


def _demo_cost(amount: Decimal | int) -> Decimal:
    """A 55% cost of sale, to the cent."""
    return (Decimal(amount) * Decimal("0.55")).quantize(Decimal("0.01"))
