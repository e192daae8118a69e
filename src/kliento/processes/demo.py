"""The demo company's processes: onboarding a corporate client and handling a complaint, in
the operator's language (`kliento demo --language`), with a few runs under way and one step
overdue, so the card, the overdue page and the managers' widget have something to show."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.clients import selectors as clients
from kliento.core import roles
from kliento.core.demo import DemoLoader, DemoOptions, register_demo_loader
from kliento.processes import services
from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep
from kliento.processes.rules import StepSpec

T = dict[str, str]
# (title, result, role, days, control point)
Step = tuple[T, T, str, int, bool]

ONBOARDING: tuple[T, T, list[Step]] = (
    {
        "en": "B2B onboarding of a new client",
        "pl": "Wdrożenie nowego klienta biznesowego",
        "uk": "Підключення нового корпоративного клієнта",
        "ru": "Подключение нового корпоративного клиента",
    },
    {
        "en": "From the first meeting with a company to its first month of classes.",
        "pl": "Od pierwszego spotkania z firmą do pierwszego miesiąca zajęć.",
        "uk": "Від першої зустрічі з компанією до першого місяця занять.",
        "ru": "От первой встречи с компанией до первого месяца занятий.",
    },
    [
        (
            {
                "en": "Discovery meeting",
                "pl": "Spotkanie wstępne",
                "uk": "Вступна зустріч",
                "ru": "Вводная встреча",
            },
            {
                "en": "Meeting summary written",
                "pl": "Notatka ze spotkania napisana",
                "uk": "Підсумок зустрічі написано",
                "ru": "Итоги встречи записаны",
            },
            roles.STAGE_OWNER,
            3,
            False,
        ),
        (
            {
                "en": "Proposal",
                "pl": "Oferta",
                "uk": "Комерційна пропозиція",
                "ru": "Коммерческое предложение",
            },
            {
                "en": "Proposal sent",
                "pl": "Oferta wysłana",
                "uk": "Пропозицію надіслано",
                "ru": "Предложение отправлено",
            },
            roles.AGENT,
            2,
            False,
        ),
        (
            {"en": "Contract", "pl": "Umowa", "uk": "Договір", "ru": "Договор"},
            {
                "en": "Contract signed",
                "pl": "Umowa podpisana",
                "uk": "Договір підписано",
                "ru": "Договор подписан",
            },
            roles.STAGE_OWNER,
            7,
            True,
        ),
        (
            {
                "en": "Class schedule",
                "pl": "Grafik zajęć",
                "uk": "Розклад занять",
                "ru": "Расписание занятий",
            },
            {
                "en": "Schedule agreed and sent to the client",
                "pl": "Grafik uzgodniony i wysłany klientowi",
                "uk": "Розклад погоджено й надіслано клієнту",
                "ru": "Расписание согласовано и отправлено клиенту",
            },
            roles.AGENT,
            3,
            False,
        ),
        (
            {
                "en": "First-month check-in",
                "pl": "Rozmowa po pierwszym miesiącu",
                "uk": "Розмова після першого місяця",
                "ru": "Разговор после первого месяца",
            },
            {
                "en": "Client's feedback written down",
                "pl": "Opinia klienta zapisana",
                "uk": "Відгук клієнта записано",
                "ru": "Отзыв клиента записан",
            },
            roles.STAGE_OWNER,
            30,
            True,
        ),
    ],
)

COMPLAINT: tuple[T, T, list[Step]] = (
    {
        "en": "Complaint handling",
        "pl": "Obsługa reklamacji",
        "uk": "Опрацювання скарги",
        "ru": "Обработка жалобы",
    },
    {
        "en": "Every complaint is acknowledged within a day and closed with the client's word.",
        "pl": "Każda reklamacja jest potwierdzona w ciągu dnia i zamknięta słowem klienta.",
        "uk": "Кожну скаргу підтверджуємо протягом дня й закриваємо зі згоди клієнта.",
        "ru": "Каждую жалобу подтверждаем в течение дня и закрываем с согласия клиента.",
    },
    [
        (
            {
                "en": "Acknowledge the complaint",
                "pl": "Potwierdzenie reklamacji",
                "uk": "Підтвердження скарги",
                "ru": "Подтверждение жалобы",
            },
            {
                "en": "Client told we received it",
                "pl": "Klient wie, że ją przyjęliśmy",
                "uk": "Клієнт знає, що скаргу прийнято",
                "ru": "Клиент знает, что жалоба принята",
            },
            roles.AGENT,
            1,
            False,
        ),
        (
            {
                "en": "Find the cause",
                "pl": "Ustalenie przyczyny",
                "uk": "Пошук причини",
                "ru": "Поиск причины",
            },
            {
                "en": "Findings written",
                "pl": "Ustalenia spisane",
                "uk": "Висновки записано",
                "ru": "Выводы записаны",
            },
            roles.STAGE_OWNER,
            3,
            False,
        ),
        (
            {
                "en": "Agree the solution",
                "pl": "Uzgodnienie rozwiązania",
                "uk": "Погодження рішення",
                "ru": "Согласование решения",
            },
            {
                "en": "Solution confirmed by the client",
                "pl": "Rozwiązanie potwierdzone przez klienta",
                "uk": "Рішення підтверджено клієнтом",
                "ru": "Решение подтверждено клиентом",
            },
            roles.STAGE_OWNER,
            2,
            True,
        ),
        (
            {
                "en": "Follow-up call",
                "pl": "Telefon kontrolny",
                "uk": "Контрольний дзвінок",
                "ru": "Контрольный звонок",
            },
            {
                "en": "Client's satisfaction recorded",
                "pl": "Zadowolenie klienta zapisane",
                "uk": "Задоволеність клієнта записано",
                "ru": "Удовлетворённость клиента записана",
            },
            roles.AGENT,
            7,
            False,
        ),
    ],
)

RESULTS: dict[str, T] = {
    "meeting": {
        "en": "Met HR and the office manager: 2 groups of 12, Tuesdays and Thursdays after 17:00.",
        "pl": "Spotkanie z HR i office managerem: 2 grupy po 12 osób, wtorki i czwartki po 17:00.",
        "uk": "Зустріч з HR та офіс-менеджером: 2 групи по 12 осіб, вівторок і четвер після 17:00.",
        "ru": "Встреча с HR и офис-менеджером: 2 группы по 12 человек, вт и чт после 17:00.",
    },
    "proposal": {
        "en": "Proposal for 3 months sent by e-mail.",
        "pl": "Oferta na 3 miesiące wysłana e-mailem.",
        "uk": "Пропозицію на 3 місяці надіслано електронною поштою.",
        "ru": "Предложение на 3 месяца отправлено по электронной почте.",
    },
    "contract": {
        "en": "Contract signed by both sides, scan attached to the deal.",
        "pl": "Umowa podpisana przez obie strony.",
        "uk": "Договір підписано обома сторонами.",
        "ru": "Договор подписан обеими сторонами.",
    },
}


def _definition(actor: object, spec: tuple[T, T, list[Step]], language: str) -> ProcessDefinition:
    name, description, steps = spec

    def pick(texts: T) -> str:
        return texts.get(language) or texts["en"]

    return services.create_definition(
        actor=actor,  # type: ignore[arg-type]
        name=pick(name),
        description=pick(description),
        steps=[
            StepSpec(
                title=pick(title),
                result=pick(result),
                role=role,
                duration_days=days,
                control_point=control,
                review_days=1,
            )
            for title, result, role, days, control in steps
        ],
    )


def _open_step(run: ProcessRun) -> RunStep:
    return run.steps.select_related("template").get(
        state__in=[RunStep.State.OPEN, RunStep.State.REVIEW]
    )


@transaction.atomic
def load(options: DemoOptions) -> None:
    if ProcessDefinition.objects.exists():
        options.report(_("The demo processes are already loaded; reusing them."))
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    manager, events, sales, front = (users.get(n) for n in ("marta", "piotr", "iryna", "olena"))
    if manager is None or events is None or sales is None or front is None:
        options.report(_("The demo staff are missing; no demo processes loaded."))
        return
    options.report(_("Loading the demo processes…"))
    language = options.language
    onboarding = _definition(manager, ONBOARDING, language)
    complaint = _definition(manager, COMPLAINT, language)

    def pick(key: str) -> str:
        return RESULTS[key].get(language) or RESULTS[key]["en"]

    everyone = clients.search_clients(clients.ClientFilters())
    companies = list(everyone.filter(kind="company").order_by("id")[:2])
    people = list(everyone.filter(kind="person").order_by("id")[:1])
    if len(companies) < 2 or not people:
        return
    # One onboarding at the proposal step, one whose contract awaits the manager's sign-off.
    first = services.start_run(
        actor=events, client_id=companies[0].pk, definition=onboarding, owner=events
    )
    services.complete_step(actor=events, step=_open_step(first), result=pick("meeting"))
    second = services.start_run(
        actor=events, client_id=companies[1].pk, definition=onboarding, owner=events
    )
    services.complete_step(actor=events, step=_open_step(second), result=pick("meeting"))
    services.complete_step(actor=sales, step=_open_step(second), result=pick("proposal"))
    services.complete_step(actor=events, step=_open_step(second), result=pick("contract"))
    # A complaint nobody acknowledged: its first step fell due two days ago.
    late = services.start_run(
        actor=front, client_id=people[0].pk, definition=complaint, owner=front
    )
    opened = timezone.now() - dt.timedelta(days=3)
    RunStep.objects.filter(pk=_open_step(late).pk).update(
        opened_at=opened, due_at=opened + dt.timedelta(days=1)
    )
    ProcessRun.objects.filter(pk=late.pk).update(started_at=opened)


def register() -> None:
    register_demo_loader(DemoLoader("processes", load, depends_on=("clients",)))
