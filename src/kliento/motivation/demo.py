"""Demo data: a monthly scheme for agents (CSAT, first response within SLA, compliance,
follow-ups on time, critical breaches) and one for managers (NPS of own clients), the agents'
statements of the last two whole months drafted, reviewed and approved by the head of service,
and a few thank-yous. Runs once: a second run finds the agents' scheme and does nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.core import roles
from kliento.core.demo import DemoOptions
from kliento.motivation import periods, sources
from kliento.motivation.models import Period, Scheme
from kliento.motivation.services import recognition, schemes, statements

AGENTS_SCHEME = "Agents, monthly"
THANKS = [
    ("jakub", "olena", "Thank you for covering my Saturday shift!"),
    ("olena", "iryna", "Thanks for explaining the new return policy so clearly."),
    ("marta", "jakub", "Great handling of the Kowalski complaint: calm and quick."),
    ("iryna", "jakub", "Thanks for sharing your reply templates."),
]


def _agents_scheme(actor: object) -> Scheme:
    scheme = schemes.create_scheme(
        actor=actor,
        name=AGENTS_SCHEME,
        period=Period.MONTH,
        base_bonus=Decimal("600.00"),
        currency="PLN",
        role=roles.AGENT,
        max_bonus=Decimal("120.00"),
        max_penalty=Decimal("150.00"),
    )
    kpis = {}
    for source, target, threshold, weight in (
        (sources.CSAT, "4.60", "4.00", 3),
        (sources.FIRST_RESPONSE_SLA, "90", "75", 2),
        (sources.COMPLIANCE, "90", "75", 2),
        (sources.FOLLOW_UPS_ON_TIME, "95", "80", 1),
        (sources.CRITICAL_BREACHES, "0", "1", 2),
    ):
        kpis[source] = schemes.add_kpi(
            actor=actor,
            scheme=scheme,
            source=source,
            target=Decimal(target),
            threshold=Decimal(threshold),
            weight=weight,
        )
    for name, source, value, percent in (
        ("CSAT bonus", sources.CSAT, "4.60", "5"),
        ("First response bonus", sources.FIRST_RESPONSE_SLA, "90", "5"),
        ("Compliance bonus", sources.COMPLIANCE, "90", "5"),
    ):
        schemes.add_rule(
            actor=actor,
            scheme=scheme,
            name=name,
            kind="percent",
            kpi_id=kpis[source].pk,
            comparison="gte",
            value=Decimal(value),
            percent=Decimal(percent),
        )
    schemes.add_rule(
        actor=actor,
        scheme=scheme,
        name="Critical standard breached",
        kind="per_breach",
        amount=Decimal("-50.00"),
        cap=Decimal("150.00"),
    )
    return scheme


def _managers_scheme(actor: object) -> None:
    scheme = schemes.create_scheme(
        actor=actor,
        name="Managers, quarterly",
        period=Period.QUARTER,
        base_bonus=Decimal("2000.00"),
        currency="PLN",
        role=roles.MANAGER,
    )
    kpi = schemes.add_kpi(
        actor=actor,
        scheme=scheme,
        source=sources.NPS_OWN_CLIENTS,
        target=Decimal("50"),
        threshold=Decimal("30"),
        weight=1,
    )
    schemes.add_rule(
        actor=actor,
        scheme=scheme,
        name="NPS bonus",
        kind="percent",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("50"),
        percent=Decimal("10"),
    )


@transaction.atomic
def load(options: DemoOptions) -> None:
    if Scheme.objects.filter(name=AGENTS_SCHEME).exists():
        return
    people = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    head = people.get("marta")
    if head is None:
        return
    _agents_scheme(head)
    _managers_scheme(head)
    today = timezone.localdate()
    last_start, _end = periods.previous(Period.MONTH, today)
    before_start, _end = periods.previous(Period.MONTH, last_start)
    made = 0
    for username in ("olena", "jakub", "iryna"):
        agent = people.get(username)
        if agent is None:
            continue
        for day in (before_start, last_start):
            statement = statements.generate(actor=head, employee_id=agent.pk, day=day)
            statements.review(actor=head, statement=statement)
            statements.approve(actor=head, statement=statement)
            made += 1
    for sender, recipient, message in THANKS:
        if sender in people and recipient in people:
            recognition.thank(
                actor=people[sender], recipient_id=people[recipient].pk, message=message
            )
    options.report(f"Motivation: 2 schemes, {made} approved statements, {len(THANKS)} thanks")
