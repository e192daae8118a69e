"""The demo company's service policy (`kliento demo`), in the operator's language: version 1
published with two goals (retention; informing about new products), their procedures and
escalation lists naming the demo staff and teams, partly acknowledged; version 2 a draft in a
running pilot at the front desk with a few students, with feedback from both."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions, pick
from kliento.core.demo_organisation import name
from kliento.core.models import OrgUnit
from kliento.policy import selectors, services
from kliento.policy.demo_texts import (
    CHANGE_NOTE,
    FEEDBACK,
    NEW_PRODUCTS,
    RETENTION,
    SUMMARY,
    TITLE,
)
from kliento.policy.models import Policy
from kliento.standards import selectors as standards


def _levels(
    levels: list[tuple[tuple[str, str], int, list[str]]],
    users: dict[str, Any],
    units: dict[str, OrgUnit],
) -> list[services.LevelSpec]:
    specs = []
    for (kind, key), minutes, notify in levels:
        specs.append(
            services.LevelSpec(
                after_minutes=minutes,
                role=key if kind == "role" else "",
                unit_id=units[key].pk if kind == "team" else None,
                user_id=users[key].pk if kind == "person" else None,
                notify=notify,
            )
        )
    return specs


@transaction.atomic
def load_demo_policy(options: DemoOptions) -> None:
    if Policy.objects.exists() or standards.current_mission() is None:
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    lang = options.language
    units = {
        key: OrgUnit.objects.filter(name=name(key, lang)).first()
        for key in ("service", "front", "sales")
    }
    if "marta" not in users or "piotr" not in users or not all(units.values()):
        return
    found_units = {k: v for k, v in units.items() if v is not None}
    manager = users["marta"]
    communication = [s.pk for s in standards.book(kind="communication", published_only=True)]

    policy = services.create_policy(
        actor=manager,
        title=pick(TITLE, lang),
        owner=manager,
        review_every_months=6,
        summary=pick(SUMMARY, lang),
    )
    version = policy.versions.get()
    for kind, spec, owner, target, unit in (
        ("retention", RETENTION, manager, Decimal("75"), "%"),
        ("new_products", NEW_PRODUCTS, users["piotr"], Decimal("20"), "%"),
    ):
        goal = services.add_goal(
            actor=manager,
            version=version,
            kind=kind,
            owner=owner,
            mission_link=pick(spec["link"], lang),
            metric_name=pick(spec["metric"], lang),
            metric_target=target,
            metric_unit=unit,
            competitors=pick(spec["competitors"], lang),
        )
        for procedure in spec["procedures"]:
            services.add_procedure(
                actor=manager,
                goal=goal,
                title=pick(procedure["title"], lang),
                description=pick(procedure["description"], lang),
                channels=procedure["channels"],
                standard_ids=communication[:2],
                levels=_levels(procedure["levels"], users, found_units),
            )
    services.publish(actor=manager, version=version)
    for reader in ("olena", "piotr"):
        if reader in users and selectors.applies_to(policy, users[reader]):
            services.acknowledge(actor=users[reader], version=version)

    # Version 2: the head of service steps in sooner when a student misses classes; it is
    # being tried at the front desk first.
    draft = services.start_revision(actor=manager, policy=policy)
    services.edit_draft(
        actor=manager, version=draft, summary=draft.summary, change_note=pick(CHANGE_NOTE, lang)
    )
    first = draft.goals.get(kind="retention").procedures.order_by("position").first()
    assert first is not None
    levels = list(RETENTION["procedures"][0]["levels"])
    levels[1] = (levels[1][0], 240, levels[1][2])
    services.update_procedure(
        actor=manager,
        procedure=first,
        title=first.title,
        description=first.description,
        channels=first.channels,
        standard_ids=[s.pk for s in first.standards.all()],
        levels=_levels(levels, users, found_units),
    )
    staff = [users[n] for n in ("olena", "jakub") if n in users]
    # A handful of active students, in a stable order (by name).
    found = clients.search_clients(clients.ClientFilters(status="active"))
    students = list(found.values_list("pk", flat=True)[:6])
    if not staff:
        options.report("Service policy: published")
        return
    today = timezone.localdate()
    pilot = services.create_pilot(
        actor=manager,
        version=draft,
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=20),
        staff_ids=[u.pk for u in staff],
        client_ids=students,
    )
    services.start_pilot(actor=manager, pilot=pilot)
    for source, aspect, text in FEEDBACK:
        if source == "client" and not students:
            continue
        services.give_feedback(
            actor=staff[0],
            policy=policy,
            aspect=aspect,
            text=pick(text, lang),
            client_id=students[0] if source == "client" else None,
            pilot=pilot,
        )
    options.report(f"Service policy: published, a pilot of version 2 with {len(students)} students")
