"""The activities' demo data: the calls, meetings, notes and e-mails the demo company's staff
logged with their clients over the last months, and the follow-up tasks they lead to (some done,
some overdue, some due today, some still ahead), so the card's panels and "My tasks" have
something to show.

Staff write the subjects and details, so they are in the operator's language (`kliento demo
--language pl`), as the staff's other names are. Everything goes through the services, so the
clients' timelines carry the same entries real use writes; a seeded generator makes two runs
alike, and a second run finds the activities there and leaves them.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.activities import services
from kliento.activities.models import Activity, Task
from kliento.clients import selectors as clients
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.core.roles import MANAGER

Texts = dict[str, str]

# What was logged: (kind, direction, minutes, subject, details).
ACTIVITIES: list[tuple[str, str, int | None, Texts, Texts]] = [
    (
        Activity.Kind.CALL,
        Activity.Direction.OUTBOUND,
        8,
        {
            "en": "Reminder about the new term",
            "pl": "Przypomnienie o nowym semestrze",
            "uk": "Нагадування про новий семестр",
            "ru": "Напоминание о новом семестре",
        },
        {
            "en": "Wants the Tuesday evening group; asked about a discount for a second child.",
            "pl": "Chce do grupy we wtorek wieczorem; pytała o zniżkę na drugie dziecko.",
            "uk": "Хоче до групи у вівторок увечері; питала про знижку на другу дитину.",
            "ru": "Хочет в группу во вторник вечером; спрашивала о скидке на второго ребёнка.",
        },
    ),
    (
        Activity.Kind.CALL,
        Activity.Direction.INBOUND,
        5,
        {
            "en": "Question about the timetable",
            "pl": "Pytanie o grafik zajęć",
            "uk": "Питання щодо розкладу",
            "ru": "Вопрос о расписании",
        },
        {
            "en": "Can no longer come on Thursdays; offered the Saturday morning group.",
            "pl": "Nie może już w czwartki; zaproponowano grupę w sobotę rano.",
            "uk": "Більше не може по четвергах; запропонували групу в суботу зранку.",
            "ru": "Больше не может по четвергам; предложили группу в субботу утром.",
        },
    ),
    (
        Activity.Kind.MEETING,
        "",
        45,
        {
            "en": "Trial lesson and a talk afterwards",
            "pl": "Lekcja próbna i rozmowa po niej",
            "uk": "Пробне заняття і розмова після нього",
            "ru": "Пробное занятие и разговор после него",
        },
        {
            "en": "Liked the teacher; undecided between a monthly pass and single classes.",
            "pl": "Spodobała się instruktorka; waha się między karnetem a pojedynczymi zajęciami.",
            "uk": "Сподобалася викладачка; вагається між абонементом і разовими заняттями.",
            "ru": "Понравилась преподавательница; выбирает между абонементом и разовыми занятиями.",
        },
    ),
    (
        Activity.Kind.EMAIL,
        Activity.Direction.OUTBOUND,
        None,
        {
            "en": "Price list and the wedding dance offer",
            "pl": "Cennik i oferta pierwszego tańca",
            "uk": "Прайс і пропозиція першого танцю",
            "ru": "Прайс и предложение первого танца",
        },
        {
            "en": "Sent the packages of 5 and 10 lessons with the dates still free in June.",
            "pl": "Wysłano pakiety 5 i 10 lekcji z wolnymi terminami w czerwcu.",
            "uk": "Надіслано пакети на 5 і 10 занять із вільними датами в червні.",
            "ru": "Отправлены пакеты на 5 и 10 занятий со свободными датами в июне.",
        },
    ),
    (
        Activity.Kind.EMAIL,
        Activity.Direction.INBOUND,
        None,
        {
            "en": "Asks to move a lesson",
            "pl": "Prośba o przełożenie lekcji",
            "uk": "Прохання перенести заняття",
            "ru": "Просьба перенести занятие",
        },
        {
            "en": "Away on business next week; would like the lesson a week later.",
            "pl": "W przyszłym tygodniu w delegacji; prosi o lekcję tydzień później.",
            "uk": "Наступного тижня у відрядженні; просить заняття на тиждень пізніше.",
            "ru": "На следующей неделе в командировке; просит занятие на неделю позже.",
        },
    ),
    (
        Activity.Kind.NOTE,
        "",
        None,
        {
            "en": "Feedback after the recital",
            "pl": "Opinia po pokazie",
            "uk": "Відгук після звітного концерту",
            "ru": "Отзыв после отчётного концерта",
        },
        {
            "en": "Very happy with the show; would recommend us to friends from work.",
            "pl": "Bardzo zadowolona z pokazu; poleci nas znajomym z pracy.",
            "uk": "Дуже задоволена виступом; порекомендує нас колегам.",
            "ru": "Очень довольна выступлением; порекомендует нас коллегам.",
        },
    ),
]

# Follow-ups, in the same order as the activities they most often follow.
TASKS: list[Texts] = [
    {
        "en": "Call back about the Tuesday group",
        "pl": "Oddzwonić w sprawie grupy wtorkowej",
        "uk": "Передзвонити щодо вівторкової групи",
        "ru": "Перезвонить насчёт группы во вторник",
    },
    {
        "en": "Confirm the Saturday place",
        "pl": "Potwierdzić miejsce w sobotę",
        "uk": "Підтвердити місце в суботу",
        "ru": "Подтвердить место в субботу",
    },
    {
        "en": "Ask how the trial lesson went at home",
        "pl": "Zapytać, jak lekcja próbna wypadła w domu",
        "uk": "Запитати, як пробне заняття сприйняли вдома",
        "ru": "Спросить, как пробное занятие восприняли дома",
    },
    {
        "en": "Follow up on the wedding dance offer",
        "pl": "Dopytać o ofertę pierwszego tańca",
        "uk": "Уточнити щодо пропозиції першого танцю",
        "ru": "Уточнить насчёт предложения первого танца",
    },
    {
        "en": "Book the moved lesson",
        "pl": "Zarezerwować przełożoną lekcję",
        "uk": "Забронювати перенесене заняття",
        "ru": "Забронировать перенесённое занятие",
    },
    {
        "en": "Offer a discount for a friend's first month",
        "pl": "Zaproponować zniżkę na pierwszy miesiąc dla znajomej",
        "uk": "Запропонувати знижку на перший місяць для подруги",
        "ru": "Предложить скидку на первый месяц для подруги",
    },
]

CLIENTS_WITH_ACTIVITIES = 80


def pick(texts: Texts, language: str) -> str:
    return texts.get(language) or texts["en"]


def load(options: DemoOptions) -> None:
    if Activity.objects.exists() or Task.objects.exists():
        options.report(_("The demo activities are already loaded; reusing them."))
        return
    options.report(_("Logging the demo staff's calls, meetings and tasks…"))
    load_demo_activities(language=options.language)


@transaction.atomic
def load_demo_activities(*, language: str = "en", seed: int = 2026) -> int:
    """Activities and tasks for some of the demo clients, by their account managers; returns
    how many activities were logged."""
    rng = random.Random(seed)
    people = clients.search_clients(clients.ClientFilters(status="active"))
    cared_for = list(people.filter(account_manager__isnull=False).order_by("pk"))
    if not cared_for:
        return 0
    chosen = rng.sample(cared_for, min(CLIENTS_WITH_ACTIVITIES, len(cared_for)))
    head = get_user_model().objects.filter(groups__name=MANAGER, is_active=True).first()
    now = timezone.now()
    today = timezone.localdate()
    logged = 0
    for n, client in enumerate(chosen):
        owner = client.account_manager
        moments = sorted(
            now - dt.timedelta(days=rng.randint(1, 120), hours=rng.randint(0, 8))
            for _ in range(rng.randint(1, 4))
        )
        for moment in moments:
            index = rng.randrange(len(ACTIVITIES))
            kind, direction, minutes, subject, details = ACTIVITIES[index]
            services.log_activity(
                actor=owner,
                client_id=client.pk,
                kind=kind,
                direction=direction,
                duration_minutes=minutes,
                subject=pick(subject, language),
                body=pick(details, language),
                occurred_at=moment,
            )
            logged += 1
        _follow_up(rng, n, client, owner, head, today, language)
    return logged


def _follow_up(
    rng: random.Random,
    n: int,
    client: Any,
    owner: Any,
    head: Any,
    today: dt.date,
    language: str,
) -> None:
    """One task per client, in a rotation that gives every account manager some overdue,
    some for today, some ahead and some done; every fifth is given by the head of service."""
    state = n % 5
    due = {
        0: today - dt.timedelta(days=rng.randint(1, 6)),  # overdue
        1: today,
        2: today + dt.timedelta(days=rng.randint(1, 14)),
        3: today + dt.timedelta(days=rng.randint(2, 30)),
        4: today - dt.timedelta(days=rng.randint(3, 20)),  # done in time
    }[state]
    giver = head if head is not None and n % 5 == 3 else owner
    task = services.add_task(
        actor=giver,
        client_id=client.pk,
        title=pick(TASKS[rng.randrange(len(TASKS))], language),
        due_on=due,
        due_time=dt.time(rng.choice([10, 12, 16, 18]), 0) if rng.random() < 0.4 else None,
        assignee=owner,
    )
    if state == 4:
        services.complete_task(actor=owner, task=task)


def register() -> None:
    register_demo_loader(DemoLoader("activities", load, depends_on=("clients",)))
