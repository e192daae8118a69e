"""The touchpoints' demo loader: the dance school's registry (owners from the demo staff, linked
to whatever demo stages the journeys app made) and clients' impressions over half a year."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions
from kliento.touchpoints import demo_texts, selectors, services
from kliento.touchpoints.demo_texts import pick
from kliento.touchpoints.models import QualityParameter, Touchpoint

SEED = 2026
DAYS = 180
CLIENTS_WITH_IMPRESSIONS = 300
PHASES = 6  # awareness, consideration, purchase, ownership, repeat, advocacy


def demo_touchpoints_exist() -> bool:
    names = [name for tp in demo_texts.TOUCHPOINTS for name in tp.name.values()]
    return Touchpoint.objects.filter(name__in=names).exists()


def _main_stages() -> list[Any]:
    """The first journey's stages on its main path, in order; none when no journey exists."""
    found = [s for s in selectors.stages() if not getattr(s, "is_exit", False)]
    if not found:
        return []
    first = found[0].journey_id
    return [s for s in found if s.journey_id == first]


def _stage_for(phase: int, stages: list[Any]) -> Any | None:
    if not stages:
        return None
    return stages[min(round(phase * (len(stages) - 1) / (PHASES - 1)), len(stages) - 1)]


def load(options: DemoOptions) -> None:
    if demo_touchpoints_exist():
        options.report(_("The demo touchpoints are already loaded; reusing them."))
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    missing = {tp.owner for tp in demo_texts.TOUCHPOINTS} - set(users)
    if missing:
        options.report(
            _("The demo staff are missing (%(names)s); no demo touchpoints loaded.")
            % {"names": ", ".join(sorted(missing))}
        )
        return
    options.report(_("Loading the demo touchpoints…"))
    load_demo_touchpoints(language=options.language, users=users)


@transaction.atomic
def load_demo_touchpoints(*, language: str, users: dict[str, Any], seed: int = SEED) -> None:
    rng = random.Random(seed)
    stages = _main_stages()
    made: list[tuple[Touchpoint, demo_texts.DemoTouchpoint]] = []
    for spec in demo_texts.TOUCHPOINTS:
        touchpoint = Touchpoint.objects.create(
            name=pick(spec.name, language),
            kind=spec.kind,
            category=spec.category,
            channel=spec.channel,
            owner=users[spec.owner],
            occurs_when=pick(spec.occurs_when, language),
            participants=pick(spec.participants, language),
            kpi=pick(spec.kpi, language),
            regulation=pick(spec.regulation, language),
        )
        stage = _stage_for(spec.phase, stages)
        if stage is not None:
            touchpoint.stages.add(stage)
        QualityParameter.objects.bulk_create(
            QualityParameter(
                touchpoint=touchpoint,
                name=pick(p.name, language),
                measurement=pick(p.measurement, language),
                target=pick(p.target, language),
            )
            for p in spec.parameters
        )
        made.append((touchpoint, spec))
    _impressions(rng, made, users)


def _impressions(
    rng: random.Random,
    made: list[tuple[Touchpoint, demo_texts.DemoTouchpoint]],
    users: dict[str, Any],
) -> None:
    people = [users[name] for name in ("olena", "jakub", "iryna", "piotr") if name in users]
    chosen = list(
        clients.search_clients(clients.ClientFilters())
        .order_by("pk")
        .values_list("pk", "language")[:CLIENTS_WITH_IMPRESSIONS]
    )
    now = timezone.now()
    for client_id, client_language in chosen:
        for _n in range(rng.choice((1, 2, 2, 3, 4))):
            touchpoint, spec = rng.choice(made)
            days_ago = rng.uniform(0.1, DAYS)
            # The rooms get better over the half-year (a repair): fewer bad impressions lately.
            negative = spec.negative * (0.4 + days_ago / DAYS) if spec.phase == 3 else spec.negative
            roll = rng.random()
            sentiment = (
                "positive"
                if roll < spec.positive
                else "negative"
                if roll > 1 - negative
                else "neutral"
            )
            services.record_impression(
                actor=rng.choice(people) if people else None,
                touchpoint_id=touchpoint.pk,
                client_id=client_id,
                sentiment=sentiment,
                text=pick(rng.choice(demo_texts.COMMENTS[sentiment]), client_language),
                occurred_at=now - dt.timedelta(days=days_ago),
            )
