"""What the information-field demo names and writes: the situation catalogue in the operator's
language, the prepared reactions in all four (a mention is answered in its own language)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kliento.core.demo import Texts

SORRY: Texts = {
    "en": "Dear {author}, we are sorry for your experience. We have passed it to the manager "
    "and will call you today to put it right.",
    "ru": "{author}, нам жаль, что так получилось. Мы передали ваш отзыв руководителю и "
    "сегодня свяжемся с вами, чтобы всё исправить.",
    "uk": "{author}, нам прикро, що так сталося. Ми передали ваш відгук керівнику і сьогодні "
    "зв'яжемося з вами, щоб усе виправити.",
    "pl": "{author}, przykro nam z powodu tej sytuacji. Przekazaliśmy opinię kierownikowi i "
    "jeszcze dziś skontaktujemy się, aby to naprawić.",
}
THANKS: Texts = {
    "en": "Thank you, {author}! We are glad you liked it and will pass your words to the team.",
    "ru": "Спасибо, {author}! Рады, что вам понравилось, передадим ваши слова команде.",
    "uk": "Дякуємо, {author}! Раді, що вам сподобалося, передамо ваші слова команді.",
    "pl": "Dziękujemy, {author}! Cieszymy się i przekażemy Twoje słowa zespołowi.",
}
STATUS: Texts = {
    "en": "We know about the problem and are fixing it; we will post an update within the hour.",
    "ru": "Мы знаем о проблеме и уже исправляем её; обновление будет в течение часа.",
    "uk": "Ми знаємо про проблему і вже її виправляємо; оновлення буде протягом години.",
    "pl": "Wiemy o problemie i już go naprawiamy; aktualizacja w ciągu godziny.",
}
PRICES: Texts = {
    "en": "Hello {author}! Our current prices are always in the price list on our website; "
    "any change is announced there a month in advance.",
    "ru": "{author}, здравствуйте! Актуальные цены всегда есть в прайс-листе на нашем сайте; "
    "о любых изменениях мы сообщаем там за месяц.",
    "uk": "{author}, вітаємо! Актуальні ціни завжди є в прайс-листі на нашому сайті; "
    "про будь-які зміни ми повідомляємо там за місяць.",
    "pl": "{author}, dzień dobry! Aktualne ceny zawsze są w cenniku na naszej stronie; "
    "o każdej zmianie informujemy tam z miesięcznym wyprzedzeniem.",
}
# The answer where a situation has no prepared reaction, in the mention's language.
NOTED: Texts = {
    "en": "Thank you for letting us know.",
    "ru": "Спасибо, что сообщили нам.",
    "uk": "Дякуємо, що повідомили нам.",
    "pl": "Dziękujemy za informację.",
}


@dataclass(frozen=True)
class Entry:
    """One situation of the catalogue; `reactions` by language, empty where none is prepared."""

    name: Texts
    kind: str
    minutes: int
    owner: str
    steps: Texts
    reactions: Texts
    rules: list[dict[str, Any]]


# Keywords stay in every language: mentions arrive in any of them, whatever the operator's.
CATALOGUE = [
    Entry(
        {
            "en": "Negative review",
            "ru": "Негативный отзыв",
            "uk": "Негативний відгук",
            "pl": "Negatywna opinia",
        },
        "negative_review",
        240,
        "olena",
        {
            "en": "Read the whole review and the client's history\n"
            "Answer publicly with the prepared reaction\n"
            "Call the client if they can be found\n"
            "Open a case when something must be fixed",
            "ru": "Прочитать отзыв целиком и историю клиента\n"
            "Ответить публично заготовленным ответом\n"
            "Позвонить клиенту, если его удаётся найти\n"
            "Открыть обращение, если что-то нужно исправить",
            "uk": "Прочитати відгук повністю та історію клієнта\n"
            "Відповісти публічно заготовленою відповіддю\n"
            "Зателефонувати клієнтові, якщо його вдається знайти\n"
            "Відкрити звернення, якщо щось треба виправити",
            "pl": "Przeczytać całą opinię i historię klienta\n"
            "Odpowiedzieć publicznie przygotowaną odpowiedzią\n"
            "Zadzwonić do klienta, jeśli da się go znaleźć\n"
            "Otworzyć zgłoszenie, gdy coś trzeba naprawić",
        },
        SORRY,
        [dict(position=10, sentiment="negative", source="reviews")],
    ),
    Entry(
        {
            "en": "Outage reports",
            "ru": "Сообщения о сбоях",
            "uk": "Повідомлення про збої",
            "pl": "Zgłoszenia awarii",
        },
        "outage",
        60,
        "marta",
        {
            "en": "Check the status with IT\nPost the status answer\nUpdate when it is fixed",
            "ru": "Уточнить статус у ИТ-отдела\nОпубликовать ответ о статусе\n"
            "Сообщить, когда всё исправят",
            "uk": "Уточнити статус в ІТ-відділі\nОпублікувати відповідь про статус\n"
            "Повідомити, коли все виправлять",
            "pl": "Sprawdzić status w dziale IT\nOpublikować odpowiedź o statusie\n"
            "Dać znać, gdy awaria zostanie usunięta",
        },
        STATUS,
        [dict(position=5, keywords="down, outage, не работает, не працює, nie działa")],
    ),
    Entry(
        {
            "en": "Competitor's campaign",
            "ru": "Кампания конкурента",
            "uk": "Кампанія конкурента",
            "pl": "Kampania konkurencji",
        },
        "competitor",
        1440,
        "piotr",
        {
            "en": "Tell the sales team\nPrepare a retention offer for clients at risk",
            "ru": "Сообщить отделу продаж\n"
            "Подготовить удерживающее предложение для клиентов в зоне риска",
            "uk": "Повідомити відділ продажів\n"
            "Підготувати пропозицію для утримання клієнтів у зоні ризику",
            "pl": "Poinformować dział sprzedaży\n"
            "Przygotować ofertę dla klientów zagrożonych odejściem",
        },
        {},
        [dict(position=20, keywords="fitplus, competitor, конкурент, konkurencja")],
    ),
    Entry(
        {
            "en": "Press question",
            "ru": "Запрос от прессы",
            "uk": "Запит від преси",
            "pl": "Pytanie od mediów",
        },
        "press",
        480,
        "marta",
        {
            "en": "Do not answer on your own: forward to the head of service\n"
            "Agree the comment, then answer",
            "ru": "Не отвечать самостоятельно: переслать руководителю сервиса\n"
            "Согласовать комментарий, затем ответить",
            "uk": "Не відповідати самостійно: переслати керівникові сервісу\n"
            "Погодити коментар, потім відповісти",
            "pl": "Nie odpowiadać samodzielnie: przekazać kierownikowi obsługi klienta\n"
            "Uzgodnić komentarz, potem odpowiedzieć",
        },
        {},
        [dict(position=15, source="press")],
    ),
    Entry(
        {
            "en": "Price change questions",
            "ru": "Вопросы об изменении цен",
            "uk": "Запитання про зміну цін",
            "pl": "Pytania o zmianę cen",
        },
        "price",
        1440,
        "piotr",
        {
            "en": "Answer with the published price list",
            "ru": "Ответить со ссылкой на опубликованный прайс-лист",
            "uk": "Відповісти з посиланням на опублікований прайс-лист",
            "pl": "Odpowiedzieć, odsyłając do opublikowanego cennika",
        },
        PRICES,
        [dict(position=30, keywords="price, цен, цін, cen")],
    ),
    Entry(
        {
            "en": "Positive review",
            "ru": "Положительный отзыв",
            "uk": "Позитивний відгук",
            "pl": "Pozytywna opinia",
        },
        "positive_review",
        2880,
        "olena",
        {
            "en": "Thank the author",
            "ru": "Поблагодарить автора",
            "uk": "Подякувати авторові",
            "pl": "Podziękować autorowi",
        },
        THANKS,
        [dict(position=40, sentiment="positive")],
    ),
]

# A review by a known client, in the client's own language: (title, text).
CLIENT_REVIEW: dict[str, tuple[str, str]] = {
    "en": ("Booking lost", "The trainer was rude and my booking disappeared. Disappointed."),
    "ru": ("Запись пропала", "Тренер был груб, а моя запись пропала. Очень разочаровывает."),
    "uk": ("Запис зник", "Тренер був грубий, а мій запис зник. Дуже розчаровує."),
    "pl": (
        "Rezerwacja zniknęła",
        "Trener był niegrzeczny, a moja rezerwacja zniknęła. Rozczarowanie.",
    ),
}
