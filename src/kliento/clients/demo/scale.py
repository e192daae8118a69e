"""Deterministic large-scale data: a million clients and ten million purchases for benchmarks.

`kliento demo --scale 1` and the benchmarks load this. Scale 1 is 1,000,000 clients (each with a
phone and an email contact, a segment and an account manager, and a "created" timeline entry) and
10,000,000 purchases; `--scale 0.01` is 10,000 / 100,000.

The rows are produced by pure generators (`client_rows`, `purchase_rows`, `phone_for`) from a
seed and an anchor date, so the same seed and anchor give the same names, contacts, dates and
amounts on every machine. Only the database ids depend on what the database already holds.

Writes bypass the ORM on purpose: at this volume model instances and `bulk_create` cost more
than the database itself. PostgreSQL gets COPY (psycopg 3 `cursor.copy()`) followed by ANALYZE;
SQLite gets `executemany` in one transaction. Timeline entries for purchases, portrait facts and
consents are not generated here: the benchmarks that need a rich card build one client
themselves, and ten million extra timeline rows would double the load time for no measurement.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from kliento.clients.demo.bulk_writers import Progress, writer_for_connection
from kliento.clients.demo.company import ascii_slug, demo_segments
from kliento.clients.models import Client, ContactPoint, Purchase, Segment, TimelineEntry
from kliento.clients.services import activity
from kliento.core import roles
from kliento.core.folding import fold
from kliento.core.timeline import ensure_registered

CLIENTS_AT_SCALE_1 = 1_000_000
PURCHASES_AT_SCALE_1 = 10_000_000
DEFAULT_SEED = 1
# Clients loaded here carry external_ref "S-<seed>-<number>" so a second run can recognise them.
REF_PREFIX = "S-"

FIRST_NAMES = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Olena",
    "Iryna",
    "Natalia",
    "Zofia",
    "Julia",
    "Marta",
    "Ewa",
    "Agnieszka",
    "Barbara",
    "Magdalena",
    "Joanna",
    "Aleksandra",
    "Monika",
    "Oksana",
    "Tetiana",
    "Svitlana",
    "Yulia",
    "Daria",
    "Alicja",
    "Karolina",
    "Weronika",
    "Hanna",
    "Piotr",
    "Andrii",
    "Tomasz",
    "Jakub",
    "Oleksandr",
    "Michał",
    "Dmytro",
    "Paweł",
    "Adam",
    "Ivan",
    "Krzysztof",
    "Marcin",
    "Łukasz",
    "Mateusz",
    "Bartosz",
    "Serhii",
    "Mykola",
    "Volodymyr",
    "Yurii",
    "Bohdan",
    "Kamil",
    "Wojciech",
    "Maciej",
    "Grzegorz",
    "Artem",
]
LAST_NAMES = [
    "Nowak",
    "Kowalska",
    "Wiśniewska",
    "Shevchenko",
    "Kovalenko",
    "Lewandowski",
    "Zielińska",
    "Bondarenko",
    "Wójcik",
    "Kamińska",
    "Tkachenko",
    "Mazur",
    "Krawczyk",
    "Melnyk",
    "Dąbrowski",
    "Kozłowska",
    "Jankowski",
    "Woźniak",
    "Kwiatkowska",
    "Kaczmarek",
    "Piotrowski",
    "Grabowska",
    "Pawłowski",
    "Michalska",
    "Zając",
    "Król",
    "Wieczorek",
    "Jabłońska",
    "Wróbel",
    "Majewski",
    "Olszewska",
    "Stępień",
    "Malinowski",
    "Jaworska",
    "Adamczyk",
    "Dudek",
    "Nowicka",
    "Boyko",
    "Kravchenko",
    "Kovalchuk",
    "Oliinyk",
    "Shevchuk",
    "Polishchuk",
    "Lysenko",
    "Marchenko",
    "Rudenko",
    "Savchenko",
    "Petrenko",
    "Moroz",
    "Pavlenko",
    "Kuzmenko",
    "Ponomarenko",
    "Kharchenko",
    "Vasylenko",
    "Sydorenko",
    "Klymenko",
    "Hrytsenko",
    "Tkachuk",
]
SEGMENTS = ["Adults", "Kids", "Weddings", "Corporate"]
LANGUAGES = ["pl", "pl", "pl", "uk", "uk", "ru", "en"]
PRODUCTS = [
    ("Salsa beginners, monthly pass", 26000),
    ("Bachata group, 8 classes", 22000),
    ("Private lesson", 15000),
    ("Wedding dance package", 90000),
    ("Kids ballet, monthly pass", 24000),
    ("Dance shoes", 32000),
    ("Summer intensive", 68000),
    ("Corporate team-building class", 180000),
    ("Drop-in class", 4500),
    ("Gift card", 10000),
]
CHANNELS = ["store", "store", "online", "online", "phone", "partner"]
# Polish mobile numbers +48 69x xxx xxx: ten million distinct valid numbers, and a prefix the
# small demo company (+48 60…) does not use, so a phone search finds exactly one scaled client.
PHONE_PREFIX = "+4869"
PHONE_SPACE = 10_000_000


@dataclass(frozen=True)
class ScaleSpec:
    clients: int
    purchases: int
    seed: int = DEFAULT_SEED
    # Dates are counted back from this day, so that the same seed gives the same rows.
    until: dt.date = dt.date(2026, 1, 1)

    @classmethod
    def from_scale(
        cls, scale: float, *, seed: int = DEFAULT_SEED, until: dt.date | None = None
    ) -> ScaleSpec:
        if not math.isfinite(scale) or scale <= 0:
            raise ValueError(f"scale must be a positive number, got {scale}")
        clients = max(1, round(CLIENTS_AT_SCALE_1 * scale))
        purchases = round(PURCHASES_AT_SCALE_1 * scale)
        return cls(clients, purchases, seed, until or dt.date(2026, 1, 1))


@dataclass(frozen=True)
class LoadResult:
    clients: int
    contacts: int
    purchases: int
    timeline: int
    seconds: float


def client_ref(seed: int, number: int) -> str:
    return f"{REF_PREFIX}{seed}-{number:07d}"


def phone_for(number: int) -> str:
    """A distinct E.164 number per client; multiplying by a unit modulo 10^7 scrambles the
    digits so that numbers do not simply count up with the client number."""
    return f"{PHONE_PREFIX}{(number * 7_919_993 + 1_234_567) % PHONE_SPACE:07d}"


def email_for(name: str, number: int) -> str:
    return f"{ascii_slug(name)}.{number}@example.com"


def _stamp(moment: dt.datetime) -> str:
    # Naive UTC text: Django stores SQLite datetimes this way, and sets PostgreSQL sessions to UTC.
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class ClientRow:
    number: int
    name: str
    language: str
    segment: int  # index into SEGMENTS
    # Picks the account manager (modulo the number of staff), drawn independently of the staff
    # count so that names and dates do not change when the database has more or fewer staff.
    manager_slot: int
    status: str
    left_on: str | None
    created_at: str


def client_rows(spec: ScaleSpec) -> Iterator[ClientRow]:
    rng = random.Random(f"kliento-scale-clients-{spec.seed}")
    until = dt.datetime.combine(spec.until, dt.time(), tzinfo=dt.UTC)
    for number in range(1, spec.clients + 1):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        created = until - dt.timedelta(seconds=rng.randrange(4 * 365 * 86400))
        left = rng.random() < 0.1
        yield ClientRow(
            number=number,
            name=name,
            language=rng.choice(LANGUAGES),
            segment=rng.randrange(len(SEGMENTS)),
            manager_slot=rng.getrandbits(32),
            status="left" if left else "active",
            left_on=(spec.until - dt.timedelta(days=rng.randrange(1, 365))).isoformat()
            if left
            else None,
            created_at=_stamp(created),
        )


def _multiplier(n: int) -> int:
    """A step coprime with n, so that (k * step) % n visits every client exactly once."""
    step = 7_919 if n > 7_919 else 1
    while math.gcd(step, n) != 1:
        step += 1
    return step


@dataclass(frozen=True)
class PurchaseRow:
    client_number: int
    occurred_on: str
    amount: str
    description: str
    channel: str
    created_at: str


def purchase_rows(spec: ScaleSpec) -> Iterator[PurchaseRow]:
    """Purchases skewed towards a minority of clients, so the Pareto view shows a real split.

    u**3 for uniform u puts ~58% of purchases on the first 20% of ranks, and the scrambling step
    spreads those ranks over the whole client list instead of the oldest clients.
    """
    rng = random.Random(f"kliento-scale-purchases-{spec.seed}")
    n = spec.clients
    step = _multiplier(n)
    for _ in range(spec.purchases):
        rank = int(n * rng.random() ** 3)
        client_number = (rank * step) % n + 1
        description, cents = PRODUCTS[rng.randrange(len(PRODUCTS))]
        cents *= rng.choice((1, 1, 1, 2, 3))
        day = spec.until - dt.timedelta(days=rng.randrange(730))
        yield PurchaseRow(
            client_number=client_number,
            occurred_on=day.isoformat(),
            amount=f"{cents // 100}.{cents % 100:02d}",
            description=description,
            channel=CHANNELS[rng.randrange(len(CHANNELS))],
            created_at=f"{day.isoformat()} 12:00:00",
        )


def account_managers() -> list[int]:
    """Ids of the staff who can own clients, in a stable order; a small team is created when the
    database has none (a bare benchmark database), so that every client has a manager."""
    user_model = get_user_model()
    groups = [roles.MANAGER, roles.STAGE_OWNER, roles.AGENT]
    ids = list(
        user_model.objects.filter(groups__name__in=groups, is_active=True)
        .order_by("username")
        .values_list("pk", flat=True)
        .distinct()
    )
    if ids:
        return ids
    agent = Group.objects.get(name=roles.AGENT)
    for i in range(1, 11):
        user, _created = user_model.objects.get_or_create(
            username=f"scale-agent-{i:02d}",
            defaults={"first_name": "Agent", "last_name": f"{i:02d}", "is_active": True},
        )
        user.groups.add(agent)
    return account_managers()


def segment_ids() -> list[int]:
    """The demo company's segments in whatever language it was loaded; English ones on a bare
    database."""
    demo = demo_segments()
    if demo:
        return [segment.pk for segment in demo]
    return [Segment.objects.get_or_create(name=name)[0].pk for name in SEGMENTS]


def scaled_clients_loaded(seed: int = DEFAULT_SEED) -> int:
    """How many clients of this seed are already in the database (0 when none)."""
    return Client.objects.filter(external_ref__startswith=f"{REF_PREFIX}{seed}-").count()


def load_scale(spec: ScaleSpec, *, progress: Progress | None = None) -> LoadResult:
    """Insert the scaled data set in one transaction; nothing is written if it fails."""
    started = time.perf_counter()
    report = progress or (lambda table, done, total: None)
    with transaction.atomic():
        managers = account_managers()
        segments = segment_ids()
        writer = writer_for_connection()
        writer.lock()
        first_id = writer.next_client_id()
        clients = list(client_rows(spec))
        folded = functools.cache(fold)  # a few thousand distinct names for a million rows

        def client_tuples() -> Iterator[tuple]:
            for c in clients:
                yield (
                    first_id + c.number - 1,
                    "person",
                    c.name,
                    folded(c.name),
                    "",
                    c.language,
                    managers[c.manager_slot % len(managers)],
                    segments[c.segment],
                    c.status,
                    c.left_on,
                    False,
                    client_ref(spec.seed, c.number),
                    "",
                    c.created_at,
                    c.created_at,
                )

        def contact_tuples() -> Iterator[tuple]:
            for c in clients:
                client_id = first_id + c.number - 1
                yield (client_id, "phone", "", phone_for(c.number), "", True)
                yield (client_id, "email", "", email_for(c.name, c.number), "", True)

        def timeline_tuples() -> Iterator[tuple]:
            # Volume data goes straight to the tables by COPY, the timeline's rows with the
            # rest (record_many would hold a million entries in memory); the kind is still one
            # that is registered, as record_many would insist.
            kind = TimelineEntry.Kind.CREATED.value
            ensure_registered(kind)
            for c in clients:
                yield (first_id + c.number - 1, c.created_at, kind, None, c.name, "{}")

        def purchase_tuples() -> Iterator[tuple]:
            for p in purchase_rows(spec):
                yield (
                    first_id + p.client_number - 1,
                    p.occurred_on,
                    p.amount,
                    "PLN",
                    p.description,
                    "[]",
                    p.channel,
                    None,
                    p.created_at,
                )

        writer.write(Client, CLIENT_COLUMNS, client_tuples(), spec.clients, report, "clients")
        writer.write(
            ContactPoint, CONTACT_COLUMNS, contact_tuples(), 2 * spec.clients, report, "contacts"
        )
        writer.write(
            TimelineEntry, TIMELINE_COLUMNS, timeline_tuples(), spec.clients, report, "timeline"
        )
        clients.clear()  # a million row objects; free them before the purchases
        writer.write(
            Purchase, PURCHASE_COLUMNS, purchase_tuples(), spec.purchases, report, "purchases"
        )
        # The list's revenue and last purchase of the new clients, in one statement, before
        # the secondary indexes come back (an UPDATE would otherwise maintain all of them).
        activity.refresh_purchase_totals(from_id=first_id)
        writer.finish(report)
    writer.analyze()
    return LoadResult(
        clients=spec.clients,
        contacts=2 * spec.clients,
        purchases=spec.purchases,
        timeline=spec.clients,
        seconds=time.perf_counter() - started,
    )


CLIENT_COLUMNS = (
    "id",
    "kind",
    "name",
    "search_name",
    "job_title",
    "language",
    "account_manager_id",
    "segment_id",
    "status",
    "left_on",
    "is_key",
    "external_ref",
    "notes",
    "created_at",
    "updated_at",
)
CONTACT_COLUMNS = ("client_id", "kind", "messenger", "value", "label", "is_primary")
TIMELINE_COLUMNS = ("client_id", "occurred_at", "kind", "actor_id", "summary", "data")
PURCHASE_COLUMNS = (
    "client_id",
    "occurred_on",
    "amount",
    "currency",
    "description",
    "items",
    "channel",
    "external_ref",
    "created_at",
)
