"""The demo company's words in Kliento's four languages.

What the staff named (segments, tags, job titles) is in the operator's language, chosen when the
demo is loaded (`kliento demo --language pl`); what a client told or bought (portrait facts,
purchase descriptions) is in that client's own language. Data, not interface strings: a fact
stays in the language it was written in, whoever reads it.
"""

from __future__ import annotations

from decimal import Decimal

from kliento.clients.models import PortraitFact

LANGUAGES = ("en", "pl", "uk", "ru")
Texts = dict[str, str]


def pick(texts: Texts, language: str | None) -> str:
    """The text in `language`, or in English."""
    return texts.get(language or "en") or texts["en"]


# (name, description) of the four segments, in the order the demo uses them.
SEGMENTS: list[tuple[Texts, Texts]] = [
    (
        {"en": "Adults", "pl": "Dorośli", "uk": "Дорослі", "ru": "Взрослые"},
        {
            "en": "Adult group classes",
            "pl": "Zajęcia grupowe dla dorosłych",
            "uk": "Групові заняття для дорослих",
            "ru": "Групповые занятия для взрослых",
        },
    ),
    (
        {"en": "Kids", "pl": "Dzieci", "uk": "Діти", "ru": "Дети"},
        {
            "en": "Children's classes, the parent is the client",
            "pl": "Zajęcia dla dzieci, klientem jest rodzic",
            "uk": "Заняття для дітей, клієнт — один із батьків",
            "ru": "Занятия для детей, клиент — один из родителей",
        },
    ),
    (
        {"en": "Weddings", "pl": "Wesela", "uk": "Весілля", "ru": "Свадьбы"},
        {
            "en": "Couples preparing a first dance",
            "pl": "Pary przygotowujące pierwszy taniec",
            "uk": "Пари, що готують перший танець",
            "ru": "Пары, готовящие первый танец",
        },
    ),
    (
        {"en": "Corporate", "pl": "Firmy", "uk": "Корпоративні", "ru": "Корпоративные"},
        {
            "en": "Companies ordering events and classes",
            "pl": "Firmy zamawiające wydarzenia i zajęcia",
            "uk": "Компанії, що замовляють заходи та заняття",
            "ru": "Компании, заказывающие мероприятия и занятия",
        },
    ),
]

TAGS: list[Texts] = [
    {"en": "VIP", "pl": "VIP", "uk": "VIP", "ru": "VIP"},
    {"en": "performer", "pl": "występy", "uk": "виступи", "ru": "выступления"},
    {"en": "newsletter", "pl": "newsletter", "uk": "розсилка", "ru": "рассылка"},
    {"en": "referral", "pl": "z polecenia", "uk": "за рекомендацією", "ru": "по рекомендации"},
]

HR_MANAGER: Texts = {
    "en": "HR manager",
    "pl": "Specjalista ds. HR",
    "uk": "HR-менеджер",
    "ru": "HR-менеджер",
}

# (description, price) of what the school sells.
PRODUCTS: list[tuple[Texts, Decimal]] = [
    (
        {
            "en": "Salsa beginners, monthly pass",
            "pl": "Salsa dla początkujących, karnet miesięczny",
            "uk": "Сальса для початківців, абонемент на місяць",
            "ru": "Сальса для начинающих, абонемент на месяц",
        },
        Decimal("260.00"),
    ),
    (
        {
            "en": "Bachata group, 8 classes",
            "pl": "Bachata w grupie, 8 zajęć",
            "uk": "Бачата в групі, 8 занять",
            "ru": "Бачата в группе, 8 занятий",
        },
        Decimal("220.00"),
    ),
    (
        {
            "en": "Private lesson",
            "pl": "Lekcja indywidualna",
            "uk": "Індивідуальне заняття",
            "ru": "Индивидуальное занятие",
        },
        Decimal("150.00"),
    ),
    (
        {
            "en": "Wedding dance package",
            "pl": "Pakiet pierwszego tańca",
            "uk": "Пакет весільного танцю",
            "ru": "Пакет свадебного танца",
        },
        Decimal("900.00"),
    ),
    (
        {
            "en": "Kids ballet, monthly pass",
            "pl": "Balet dla dzieci, karnet miesięczny",
            "uk": "Балет для дітей, абонемент на місяць",
            "ru": "Балет для детей, абонемент на месяц",
        },
        Decimal("240.00"),
    ),
    (
        {
            "en": "Dance shoes",
            "pl": "Buty do tańca",
            "uk": "Танцювальне взуття",
            "ru": "Танцевальная обувь",
        },
        Decimal("320.00"),
    ),
    (
        {
            "en": "Summer intensive",
            "pl": "Letni intensywny kurs",
            "uk": "Літній інтенсив",
            "ru": "Летний интенсив",
        },
        Decimal("680.00"),
    ),
    (
        {
            "en": "Corporate team-building class",
            "pl": "Zajęcia integracyjne dla firm",
            "uk": "Корпоративне заняття з тимбілдингу",
            "ru": "Корпоративное занятие по тимбилдингу",
        },
        Decimal("1800.00"),
    ),
]

_C = PortraitFact.Category
FACTS: dict[str, list[Texts]] = {
    _C.TRAITS: [
        {
            "en": "Always comes ten minutes early",
            "pl": "Zawsze przychodzi dziesięć minut wcześniej",
            "uk": "Завжди приходить на десять хвилин раніше",
            "ru": "Всегда приходит на десять минут раньше",
        },
        {
            "en": "Prefers evening classes",
            "pl": "Woli zajęcia wieczorne",
            "uk": "Надає перевагу вечірнім заняттям",
            "ru": "Предпочитает вечерние занятия",
        },
        {
            "en": "Asks for written feedback",
            "pl": "Prosi o informację zwrotną na piśmie",
            "uk": "Просить письмовий відгук",
            "ru": "Просит письменную обратную связь",
        },
    ],
    _C.VALUES: [
        {
            "en": "Health matters more than results",
            "pl": "Zdrowie jest ważniejsze niż wyniki",
            "uk": "Здоров'я важливіше за результати",
            "ru": "Здоровье важнее результатов",
        },
        {
            "en": "Values punctuality",
            "pl": "Ceni punktualność",
            "uk": "Цінує пунктуальність",
            "ru": "Ценит пунктуальность",
        },
    ],
    _C.FAMILY: [
        {
            "en": "Two children, the elder takes ballet",
            "pl": "Dwoje dzieci, starsze chodzi na balet",
            "uk": "Двоє дітей, старша дитина займається балетом",
            "ru": "Двое детей, старший ребёнок занимается балетом",
        },
        {
            "en": "Getting married in June",
            "pl": "Bierze ślub w czerwcu",
            "uk": "Одружується в червні",
            "ru": "Женится в июне",
        },
    ],
    _C.ROLES: [
        {
            "en": "Team lead at an IT company",
            "pl": "Lider zespołu w firmie IT",
            "uk": "Тімлід в IT-компанії",
            "ru": "Тимлид в IT-компании",
        },
        {
            "en": "Teacher at a primary school",
            "pl": "Nauczyciel w szkole podstawowej",
            "uk": "Учитель у початковій школі",
            "ru": "Учитель в начальной школе",
        },
    ],
    _C.EMOTIONS: [
        {
            "en": "Was nervous before the first performance",
            "pl": "Denerwował się przed pierwszym występem",
            "uk": "Хвилювався перед першим виступом",
            "ru": "Волновался перед первым выступлением",
        },
        {
            "en": "Loves recitals",
            "pl": "Uwielbia pokazy taneczne",
            "uk": "Обожнює звітні концерти",
            "ru": "Обожает отчётные концерты",
        },
    ],
    _C.ATTITUDES: [
        {
            "en": "Dislikes phone calls, prefers messages",
            "pl": "Nie lubi telefonów, woli wiadomości",
            "uk": "Не любить дзвінків, надає перевагу повідомленням",
            "ru": "Не любит звонков, предпочитает сообщения",
        },
    ],
    _C.SOCIAL: [
        {
            "en": "Volunteers at an animal shelter",
            "pl": "Jest wolontariuszem w schronisku dla zwierząt",
            "uk": "Волонтер у притулку для тварин",
            "ru": "Волонтёр в приюте для животных",
        },
    ],
    _C.LIFESTYLE: [
        {
            "en": "Runs half-marathons",
            "pl": "Biega półmaratony",
            "uk": "Бігає напівмарафони",
            "ru": "Бегает полумарафоны",
        },
        {
            "en": "Travels to Spain every summer",
            "pl": "Co lato jeździ do Hiszpanii",
            "uk": "Щоліта їздить до Іспанії",
            "ru": "Каждое лето ездит в Испанию",
        },
    ],
}
