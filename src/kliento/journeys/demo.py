"""The demo journey: a retail customer journey in the operator's language, owned by the demo
staff, with the demo clients spread over it and a plausible history of moves behind each."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions
from kliento.journeys import services
from kliento.journeys.models import ClientStage, Journey, MoveRule, Stage, StageMove

Texts = dict[str, str]

NAME: Texts = {
    "en": "Customer journey",
    "pl": "Ścieżka klienta",
    "uk": "Шлях клієнта",
    "ru": "Путь клиента",
}
# (name, goal, target days, exit stage?)
STAGES: list[tuple[Texts, Texts, int | None, bool]] = [
    (
        {"en": "Awareness", "pl": "Świadomość", "uk": "Обізнаність", "ru": "Осведомлённость"},
        {
            "en": "The person knows the school exists and what it offers.",
            "pl": "Osoba wie, że szkoła istnieje i co oferuje.",
            "uk": "Людина знає про школу і що вона пропонує.",
            "ru": "Человек знает о школе и о том, что она предлагает.",
        },
        30,
        False,
    ),
    (
        {"en": "Consideration", "pl": "Rozważanie", "uk": "Розгляд", "ru": "Рассмотрение"},
        {
            "en": "A trial lesson or a consultation is booked.",
            "pl": "Umówiona lekcja próbna lub konsultacja.",
            "uk": "Записаний на пробне заняття чи консультацію.",
            "ru": "Записан на пробное занятие или консультацию.",
        },
        21,
        False,
    ),
    (
        {"en": "Purchase", "pl": "Zakup", "uk": "Покупка", "ru": "Покупка"},
        {
            "en": "The first course is paid.",
            "pl": "Pierwszy kurs opłacony.",
            "uk": "Перший курс оплачено.",
            "ru": "Первый курс оплачен.",
        },
        14,
        False,
    ),
    (
        {"en": "Ownership", "pl": "Korzystanie", "uk": "Користування", "ru": "Использование"},
        {
            "en": "The client attends and is satisfied.",
            "pl": "Klient chodzi na zajęcia i jest zadowolony.",
            "uk": "Клієнт відвідує заняття і задоволений.",
            "ru": "Клиент посещает занятия и доволен.",
        },
        120,
        False,
    ),
    (
        {
            "en": "Repeat",
            "pl": "Ponowny zakup",
            "uk": "Повторна покупка",
            "ru": "Повторная покупка",
        },
        {
            "en": "A second course is bought.",
            "pl": "Kupiony drugi kurs.",
            "uk": "Придбано другий курс.",
            "ru": "Куплен второй курс.",
        },
        180,
        False,
    ),
    (
        {"en": "Advocacy", "pl": "Rekomendacja", "uk": "Рекомендація", "ru": "Рекомендация"},
        {
            "en": "The client recommends the school to others.",
            "pl": "Klient poleca szkołę innym.",
            "uk": "Клієнт рекомендує школу іншим.",
            "ru": "Клиент рекомендует школу другим.",
        },
        None,
        False,
    ),
    (
        {"en": "At risk", "pl": "Zagrożony", "uk": "Під загрозою", "ru": "Под угрозой"},
        {
            "en": "Win the client back before they leave.",
            "pl": "Odzyskać klienta, zanim odejdzie.",
            "uk": "Повернути клієнта, поки він не пішов.",
            "ru": "Вернуть клиента, пока он не ушёл.",
        },
        30,
        True,
    ),
    (
        {"en": "Churned", "pl": "Utracony", "uk": "Втрачений", "ru": "Ушедший"},
        {
            "en": "Learn why the client left.",
            "pl": "Dowiedzieć się, dlaczego klient odszedł.",
            "uk": "Дізнатися, чому клієнт пішов.",
            "ru": "Узнать, почему клиент ушёл.",
        },
        None,
        True,
    ),
]
RULES_MD: Texts = {
    "en": "- Call within **two working days**.\n- Log every contact on the card.",
    "pl": "- Zadzwoń w ciągu **dwóch dni roboczych**.\n- Zapisuj każdy kontakt na karcie.",
    "uk": "- Зателефонуй протягом **двох робочих днів**.\n- Фіксуй кожен контакт у картці.",
    "ru": "- Позвони в течение **двух рабочих дней**.\n- Записывай каждый контакт в карточку.",
}
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
# Where the demo clients are now: weights per stage index.
SPREAD = [14, 10, 12, 22, 14, 8, 12, 8]


def pick(texts: Texts, language: str) -> str:
    return texts.get(language) or texts["en"]


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
    for position, (name, condition, n, sources, unplaced, target) in enumerate(DEMO_RULES, 1):
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
    _spread_clients(journey, stages, rng)
    return journey


def _spread_clients(journey: Journey, stages: list[Stage], rng: random.Random) -> None:
    """Each demo client walks the main path up to its stage (an exit stage: from somewhere on
    the path), one move every few weeks, ending in the recent past."""
    now = timezone.now()
    path = [s for s in stages if not s.is_exit]
    places, moves = [], []
    # The demo company's clients (volume data, loaded after them, stays off the journey).
    for client_id in clients.client_ids_after(0, limit=5_000):
        final = rng.choices(range(len(stages)), weights=SPREAD)[0]
        target = stages[final]
        walk = (
            path[: path.index(target) + 1]
            if not target.is_exit
            else [
                *path[: rng.randint(2, len(path))],
                target,
            ]
        )
        when = now - dt.timedelta(days=rng.randint(1, 40))
        dates = []
        for _stage in walk:
            dates.append(when)
            when -= dt.timedelta(days=rng.randint(5, 60), hours=rng.randint(0, 23))
        dates.reverse()
        previous = None
        for stage, at in zip(walk, dates, strict=True):
            moves.append(
                StageMove(
                    client_id=client_id,
                    journey=journey,
                    from_stage=previous,
                    to_stage=stage,
                    moved_at=at,
                    forced=False,
                )
            )
            previous = stage
        places.append(
            ClientStage(
                client_id=client_id,
                journey=journey,
                stage=target,
                entered_at=dates[-1],
                joined_at=dates[0],
            )
        )
    ClientStage.objects.bulk_create(places, batch_size=1000)
    services.record_moves(moves)
