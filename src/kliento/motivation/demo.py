"""Demo data: a monthly scheme for agents (CSAT, first response within SLA, compliance,
follow-ups on time, critical breaches) and one for managers (NPS of own clients), the agents'
statements of the last two whole months drafted, reviewed and approved by the head of service,
and a few thank-yous, named and written in the operator's language. Runs once: a second run
finds the agents' scheme and does nothing."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.core import roles
from kliento.core.demo import DemoOptions, Texts, pick
from kliento.motivation import periods, sources
from kliento.motivation.models import Period, Scheme
from kliento.motivation.services import recognition, schemes, statements

AGENTS_SCHEME: Texts = {
    "en": "Agents, monthly",
    "ru": "Агенты, ежемесячно",
    "uk": "Агенти, щомісяця",
    "pl": "Konsultanci, miesięcznie",
}
MANAGERS_SCHEME: Texts = {
    "en": "Managers, quarterly",
    "ru": "Менеджеры, ежеквартально",
    "uk": "Менеджери, щокварталу",
    "pl": "Menedżerowie, kwartalnie",
}
CSAT_BONUS: Texts = {
    "en": "CSAT bonus",
    "ru": "Премия за CSAT",
    "uk": "Премія за CSAT",
    "pl": "Premia za CSAT",
}
FIRST_RESPONSE_BONUS: Texts = {
    "en": "First response bonus",
    "ru": "Премия за первый ответ в срок",
    "uk": "Премія за першу відповідь вчасно",
    "pl": "Premia za pierwszą odpowiedź w terminie",
}
COMPLIANCE_BONUS: Texts = {
    "en": "Compliance bonus",
    "ru": "Премия за соблюдение стандартов",
    "uk": "Премія за дотримання стандартів",
    "pl": "Premia za zgodność ze standardami",
}
CRITICAL_BREACH: Texts = {
    "en": "Critical standard breached",
    "ru": "Нарушение критического стандарта",
    "uk": "Порушення критичного стандарту",
    "pl": "Naruszenie standardu krytycznego",
}
NPS_BONUS: Texts = {
    "en": "NPS bonus",
    "ru": "Премия за NPS",
    "uk": "Премія за NPS",
    "pl": "Premia za NPS",
}
# (from, to, message): Olena and Iryna are women, Jakub a man, as the wording says.
THANKS: list[tuple[str, str, Texts]] = [
    (
        "jakub",
        "olena",
        {
            "en": "Thank you for covering my Saturday shift!",
            "ru": "Спасибо, что подменила меня в субботу!",
            "uk": "Дякую, що підмінила мене в суботу!",
            "pl": "Dzięki, że zastąpiłaś mnie na sobotniej zmianie!",
        },
    ),
    (
        "olena",
        "iryna",
        {
            "en": "Thanks for explaining the new return policy so clearly.",
            "ru": "Спасибо, что так понятно объяснила новые правила возврата.",
            "uk": "Дякую, що так зрозуміло пояснила нові правила повернення.",
            "pl": "Dzięki, że tak jasno wyjaśniłaś nowe zasady zwrotów.",
        },
    ),
    (
        "marta",
        "jakub",
        {
            "en": "Great handling of the Kowalski complaint: calm and quick.",
            "ru": "Отлично разобрался с жалобой Ковальского: спокойно и быстро.",
            "uk": "Чудово впорався зі скаргою Ковальського: спокійно і швидко.",
            "pl": "Świetnie poradziłeś sobie ze skargą pana Kowalskiego: spokojnie i szybko.",
        },
    ),
    (
        "iryna",
        "jakub",
        {
            "en": "Thanks for sharing your reply templates.",
            "ru": "Спасибо, что поделился своими шаблонами ответов.",
            "uk": "Дякую, що поділився своїми шаблонами відповідей.",
            "pl": "Dzięki, że udostępniłeś swoje szablony odpowiedzi.",
        },
    ),
]


def _agents_scheme(actor: object, language: str) -> Scheme:
    scheme = schemes.create_scheme(
        actor=actor,
        name=pick(AGENTS_SCHEME, language),
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
        (CSAT_BONUS, sources.CSAT, "4.60", "5"),
        (FIRST_RESPONSE_BONUS, sources.FIRST_RESPONSE_SLA, "90", "5"),
        (COMPLIANCE_BONUS, sources.COMPLIANCE, "90", "5"),
    ):
        schemes.add_rule(
            actor=actor,
            scheme=scheme,
            name=pick(name, language),
            kind="percent",
            kpi_id=kpis[source].pk,
            comparison="gte",
            value=Decimal(value),
            percent=Decimal(percent),
        )
    schemes.add_rule(
        actor=actor,
        scheme=scheme,
        name=pick(CRITICAL_BREACH, language),
        kind="per_breach",
        amount=Decimal("-50.00"),
        cap=Decimal("150.00"),
    )
    return scheme


def _managers_scheme(actor: object, language: str) -> None:
    scheme = schemes.create_scheme(
        actor=actor,
        name=pick(MANAGERS_SCHEME, language),
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
        name=pick(NPS_BONUS, language),
        kind="percent",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("50"),
        percent=Decimal("10"),
    )


@transaction.atomic
def load(options: DemoOptions) -> None:
    # Loaded before in whichever language: the scheme's name in any of them.
    if Scheme.objects.filter(name__in=AGENTS_SCHEME.values()).exists():
        return
    people = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    head = people.get("marta")
    if head is None:
        return
    _agents_scheme(head, options.language)
    _managers_scheme(head, options.language)
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
                actor=people[sender],
                recipient_id=people[recipient].pk,
                message=pick(message, options.language),
            )
    options.report(f"Motivation: 2 schemes, {made} approved statements, {len(THANKS)} thanks")
