"""The demo journey: a retail customer journey in the operator's language, owned by the demo
staff. Each demo client stands where the journey's own rules put it, with a history that
matches its purchases, so the rules' first run finds (almost) nothing to do; recent prospects
and first-time buyers fill the top of the funnel."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.clients import services as client_services
from kliento.core.demo import DemoOptions
from kliento.journeys import demo_texts as texts
from kliento.journeys import services
from kliento.journeys.demo_texts import NAME, RULES_MD, STAGES, Texts, pick
from kliento.journeys.models import ClientStage, Journey, MoveRule, Stage, StageMove

# (name, condition, N, source stage indexes, unplaced?, target index)
DEMO_RULES: list[tuple[Texts, str, int, list[int], bool, int]] = [
    (
        {
            "en": "First purchase",
            "pl": "Pierwszy zakup",
            "uk": "Перша покупка",
            "ru": "Первая покупка",
        },
        MoveRule.Condition.PURCHASES_AT_LEAST,
        1,
        [0, 1],
        True,
        2,
    ),
    (
        {
            "en": "Second purchase",
            "pl": "Drugi zakup",
            "uk": "Друга покупка",
            "ru": "Вторая покупка",
        },
        MoveRule.Condition.PURCHASES_AT_LEAST,
        2,
        [2, 3],
        False,
        4,
    ),
    (
        {
            "en": "No purchase for 180 days",
            "pl": "Brak zakupu od 180 dni",
            "uk": "Без покупок 180 днів",
            "ru": "Нет покупок 180 дней",
        },
        MoveRule.Condition.NO_PURCHASE_FOR,
        180,
        [2, 3, 4, 5],
        False,
        6,
    ),
    (
        {"en": "Client left", "pl": "Klient odszedł", "uk": "Клієнт пішов", "ru": "Клиент ушёл"},
        MoveRule.Condition.STATUS_LEFT,
        1,
        [0, 1, 2, 3, 4, 5, 6],
        False,
        7,
    ),
]
# Stage indexes in STAGES.
AWARENESS, CONSIDERATION, PURCHASE, OWNERSHIP, REPEAT, ADVOCACY, AT_RISK, CHURNED = range(8)
INACTIVE_DAYS = DEMO_RULES[2][2]
# New people on top of the demo company: prospects (no purchase yet) and first-time buyers,
# since every client of the demo company has bought at least twice.
PROSPECTS = 40
NEW_BUYERS = 16
# Clients of the demo company loaded first; volume data (ids after them) is left to the rules.
MAX_CLIENTS = 5_000
BATCH = 500


def load(options: DemoOptions) -> None:
    if Journey.objects.exists():
        options.report(_("A customer journey exists already; leaving it as it is."))
        return
    options.report(_("Loading the demo customer journey…"))
    load_journey(language=options.language)


@transaction.atomic
def load_journey(*, language: str = "en", seed: int = 2026) -> Journey:
    rng = random.Random(seed)
    staff = list(clients.staff().order_by("username"))
    if not staff:
        raise RuntimeError("The demo journey needs the demo staff (load the organisation first)")
    specs = [
        services.StageSpec(
            name=pick(name, language),
            goal=pick(goal, language),
            rules=pick(RULES_MD, language),
            target_days=target,
            is_exit=is_exit,
            owner=staff[i % len(staff)],
        )
        for i, (name, goal, target, is_exit) in enumerate(STAGES)
    ]
    journey = services.create_journey(actor=None, name=pick(NAME, language), stages=specs)
    stages = list(Stage.objects.filter(journey=journey).order_by("position"))
    rules = [
        services.save_rule(
            actor=None,
            journey=journey,
            name=pick(name, language),
            condition=condition,
            threshold=n,
            from_stages=[stages[i] for i in sources],
            include_unplaced=unplaced,
            to_stage=stages[target],
            position=position,
        )
        for position, (name, condition, n, sources, unplaced, target) in enumerate(DEMO_RULES, 1)
    ]
    placer = _Placer(journey, stages, rules, rng, language)
    managers = placer.place_clients(clients.client_ids_after(0, limit=MAX_CLIENTS))
    people = list(clients.staff().filter(pk__in=managers).order_by("username")) or staff
    placer.add_newcomers(people)
    placer.save()
    return journey


@dataclass
class _Walk:
    """One client's way along the journey, oldest move first."""

    client_id: int
    moves: list[StageMove] = field(default_factory=list)

    def add(
        self,
        stage: Stage,
        at: dt.datetime,
        *,
        rule: MoveRule | None = None,
        actor_id: int | None = None,
        reason: str = "",
    ) -> None:
        previous = self.moves[-1] if self.moves else None
        if previous is not None and at <= previous.moved_at:
            # Two moves on one day (a second course bought the day of the first): keep order.
            at = previous.moved_at + dt.timedelta(minutes=5)
        self.moves.append(
            StageMove(
                client_id=self.client_id,
                journey_id=stage.journey_id,
                from_stage=previous.to_stage if previous else None,
                to_stage=stage,
                moved_at=at,
                actor_id=actor_id,
                rule=rule,
                reason=rule.name if rule is not None else reason,
                forced=False,
            )
        )


class _Placer:
    def __init__(
        self,
        journey: Journey,
        stages: list[Stage],
        rules: list[MoveRule],
        rng: random.Random,
        language: str,
    ) -> None:
        self.journey = journey
        self.stages = stages
        self.first, self.second, self.inactive, self.left = rules
        self.rng = rng
        self.language = language
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.walks: list[_Walk] = []

    def at(self, day: dt.date) -> dt.datetime:
        """During a working day; a rule's move in the hours after the purchase was recorded.
        Never in the future."""
        moment = dt.datetime.combine(
            day, dt.time(self.rng.randint(9, 18), self.rng.randint(0, 59)), tzinfo=dt.UTC
        )
        return min(moment, self.now - dt.timedelta(minutes=self.rng.randint(60, 180)))

    def reason(self, choices: list[Texts]) -> str:
        return pick(self.rng.choice(choices), self.language)

    # -- the demo company's clients -----------------------------------------------------------

    def place_clients(self, ids: list[int]) -> set[int]:
        """Place each client where the rules would; returns their account managers."""
        managers: set[int] = set()
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            facts = clients.lifecycle_facts(batch)
            bought: dict[int, list[dt.date]] = defaultdict(list)
            for client_id, day in (
                clients.purchases_between()
                .filter(client_id__in=batch)
                .values_list("client_id", "occurred_on")
            ):
                bought[client_id].append(day)
            left_on = dict(
                clients.search_clients(clients.ClientFilters(status="left", ids=tuple(batch)))
                .order_by()
                .values_list("pk", "left_on")
            )
            for client_id in batch:
                fact = facts[client_id]
                if fact.account_manager_id:
                    managers.add(fact.account_manager_id)
                if not bought[client_id]:
                    # Never bought: off the journey, as the rules leave it (the first purchase
                    # places it); only prospects the staff met are on it, added below.
                    continue
                walk = _Walk(client_id)
                self.walk_purchases(walk, fact, sorted(bought[client_id]), left_on.get(client_id))
                self.walks.append(walk)
        return managers

    def walk_purchases(
        self,
        walk: _Walk,
        fact: clients.LifecycleFacts,
        days: list[dt.date],
        left_on: dt.date | None,
    ) -> None:
        s, rng, manager = self.stages, self.rng, fact.account_manager_id
        # The rules read the card's last purchase; it is the latest of `days`.
        first, last = days[0], fact.last_purchase_on or days[-1]
        # Most met the school before buying; the others walked in and bought at once (the
        # first-purchase rule placed them straight in Purchase).
        lead = (first - timezone.localdate(fact.created_at)).days
        if lead >= 7 and rng.random() < 0.75:
            walk.add(
                s[AWARENESS],
                max(fact.created_at, self.at(timezone.localdate(fact.created_at))),
                actor_id=manager,
                reason=self.reason(texts.HEARD_OF_US),
            )
            booked = first - dt.timedelta(days=rng.randint(1, min(21, lead // 2)))
            walk.add(
                s[CONSIDERATION],
                self.at(booked),
                actor_id=manager,
                reason=self.reason(texts.BOOKED),
            )
        walk.add(s[PURCHASE], self.at(first), rule=self.first)
        # Ownership (attends, is satisfied) once the course is under way, when there was time
        # for it before the second purchase or the end.
        until = days[1] if len(days) > 1 else (left_on or self.today)
        settled = (until - first).days
        if settled >= 10:
            walk.add(
                s[OWNERSHIP],
                self.at(first + dt.timedelta(days=rng.randint(3, min(14, settled - 3)))),
                actor_id=manager,
            )
        if len(days) > 1:
            walk.add(s[REPEAT], self.at(days[1]), rule=self.second)
        end = left_on or self.today
        if (end - last).days >= INACTIVE_DAYS:
            walk.add(
                s[AT_RISK], self.at(last + dt.timedelta(days=INACTIVE_DAYS)), rule=self.inactive
            )
        elif left_on is None and len(days) >= 4 and rng.random() < 0.4:
            # A loyal client who spoke up for the school: a manual move the staff explain.
            spoke = min(rng.choice(days[2:]) + dt.timedelta(days=rng.randint(1, 20)), self.today)
            walk.add(
                s[ADVOCACY],
                self.at(spoke),
                actor_id=manager,
                reason=self.reason(texts.ADVOCATES),
            )
        if fact.status == "left":
            walk.add(s[CHURNED], self.at(left_on or self.today), rule=self.left)

    # -- prospects and first-time buyers ------------------------------------------------------

    def add_newcomers(self, managers: list[Any]) -> None:
        catalogue = self.catalogue()
        names = self.names(PROSPECTS + NEW_BUYERS)
        for n, name in enumerate(names):
            manager = managers[n % len(managers)]
            client = client_services.create_client(
                actor=None,
                name=name,
                language=self.language,
                account_manager=manager,
                contacts=[("phone", f"+48791{n:06d}")],
            )
            walk = _Walk(client.pk)
            if n < PROSPECTS:
                self.walk_prospect(walk, manager.pk, considering=n % 5 < 2)
            else:
                description, amount, currency = self.rng.choice(catalogue)
                # Half bought this month: a school takes new pupils all the time.
                ago = self.rng.randint(1, 30) if n % 2 else self.rng.randint(1, 110)
                bought = self.today - dt.timedelta(days=ago)
                client_services.record_purchase(
                    actor=manager,
                    client=client,
                    occurred_on=bought,
                    amount=amount,
                    currency=currency,
                    description=description,
                )
                self.walk_first_buyer(walk, manager.pk, bought)
            self.walks.append(walk)

    def walk_prospect(self, walk: _Walk, manager: int, *, considering: bool) -> None:
        """Met lately; some longer than the stage's target (30 days aware, 21 considering)."""
        rng, s = self.rng, self.stages
        heard = rng.randint(12, 60) if considering else rng.randint(1, 45)
        walk.add(
            s[AWARENESS],
            self.at(self.today - dt.timedelta(days=heard)),
            actor_id=manager,
            reason=self.reason(texts.HEARD_OF_US),
        )
        if considering:
            booked = rng.randint(1, min(heard - 5, 35))
            walk.add(
                s[CONSIDERATION],
                self.at(self.today - dt.timedelta(days=booked)),
                actor_id=manager,
                reason=self.reason(texts.BOOKED),
            )

    def walk_first_buyer(self, walk: _Walk, manager: int, bought: dt.date) -> None:
        rng, s = self.rng, self.stages
        walk.add(
            s[AWARENESS],
            self.at(bought - dt.timedelta(days=rng.randint(10, 40))),
            actor_id=manager,
            reason=self.reason(texts.HEARD_OF_US),
        )
        walk.add(
            s[CONSIDERATION],
            self.at(bought - dt.timedelta(days=rng.randint(2, 9))),
            actor_id=manager,
            reason=self.reason(texts.BOOKED),
        )
        walk.add(s[PURCHASE], self.at(bought), rule=self.first)
        since = (self.today - bought).days
        # Most settle into the course after a week or so; a few linger in Purchase past its two
        # weeks (nobody checked whether they started).
        if since > 7 and rng.random() < 0.85:
            walk.add(
                s[OWNERSHIP],
                self.at(bought + dt.timedelta(days=rng.randint(3, min(since - 1, 12)))),
                actor_id=manager,
            )

    def catalogue(self) -> list[tuple[str, Decimal, str]]:
        """What the school sells, as its clients of this language bought it (the demo company's
        purchases are described in each client's language)."""
        bought = (
            clients.purchases_between().order_by().values_list("description", "amount", "currency")
        )
        found = sorted(set(bought.filter(client__language=self.language)[:2000]))
        found = found or sorted(set(bought[:2000]))
        return found or [("", Decimal("400.00"), "PLN")]

    def names(self, count: int) -> list[str]:
        language = self.language if self.language in texts.FEMALE else "en"
        made: list[str] = []
        for _attempt in range(count * 10):
            female = self.rng.random() < 0.6
            first = self.rng.choice((texts.FEMALE if female else texts.MALE)[language])
            surname = self.rng.choice(texts.SURNAMES[language])[1 if female else 0]
            if f"{first} {surname}" not in made:
                made.append(f"{first} {surname}")
            if len(made) == count:
                break
        return made

    def save(self) -> None:
        places = [
            ClientStage(
                client_id=walk.client_id,
                journey=self.journey,
                stage=walk.moves[-1].to_stage,
                entered_at=walk.moves[-1].moved_at,
                joined_at=walk.moves[0].moved_at,
            )
            for walk in self.walks
        ]
        ClientStage.objects.bulk_create(places, batch_size=1000)
        services.record_moves(move for walk in self.walks for move in walk.moves)
