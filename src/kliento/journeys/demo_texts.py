# ruff: noqa: E501 (sentences in four languages read better whole than split)
"""The demo journey's texts in Kliento's four languages: its name and stages, what its new
people are called and what the staff wrote when they moved them. Data, not interface strings:
they are in the operator's language, chosen when the demo is loaded."""

from __future__ import annotations

Texts = dict[str, str]


def t(en: str, pl: str, uk: str, ru: str) -> Texts:
    return {"en": en, "pl": pl, "uk": uk, "ru": ru}


def pick(texts: Texts, language: str | None) -> str:
    return texts.get(language or "en") or texts["en"]


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


# First names (female, male) and surnames (male form, female form) of the people who only heard
# of the school or booked a trial lately.
FEMALE: dict[str, list[str]] = {
    "en": ["Emma", "Olivia", "Sophie", "Grace", "Chloe", "Lucy", "Hannah", "Amelia"],
    "pl": ["Agnieszka", "Magdalena", "Joanna", "Ewa", "Aleksandra", "Karolina", "Monika"],
    "uk": ["Оксана", "Тетяна", "Людмила", "Ганна", "Софія", "Вікторія", "Мар'яна"],
    "ru": ["Екатерина", "Анастасия", "Ольга", "Татьяна", "Светлана", "Дарья", "Елена"],
}
MALE: dict[str, list[str]] = {
    "en": ["James", "Oliver", "Harry", "Jack", "George", "Thomas", "Daniel", "Samuel"],
    "pl": ["Krzysztof", "Marcin", "Łukasz", "Grzegorz", "Bartosz", "Kamil", "Rafał"],
    "uk": ["Богдан", "Тарас", "Максим", "Юрій", "Василь", "Остап", "Ігор"],
    "ru": ["Алексей", "Сергей", "Дмитрий", "Иван", "Николай", "Артём", "Владимир"],
}
SURNAMES: dict[str, list[tuple[str, str]]] = {
    "en": [
        (name, name)
        for name in ["Smith", "Taylor", "Brown", "Wilson", "Evans", "Walker", "Wright", "Hughes"]
    ],
    "pl": [
        ("Wiśniewski", "Wiśniewska"),
        ("Jabłoński", "Jabłońska"),
        ("Szymański", "Szymańska"),
        ("Wróbel", "Wróbel"),
        ("Pawlak", "Pawlak"),
        ("Górski", "Górska"),
        ("Sikora", "Sikora"),
        ("Baran", "Baran"),
    ],
    "uk": [
        ("Коваленко", "Коваленко"),
        ("Бойко", "Бойко"),
        ("Кравчук", "Кравчук"),
        ("Олійник", "Олійник"),
        ("Лисенко", "Лисенко"),
        ("Грищенко", "Грищенко"),
        ("Савчук", "Савчук"),
        ("Руденко", "Руденко"),
    ],
    "ru": [
        ("Иванов", "Иванова"),
        ("Смирнов", "Смирнова"),
        ("Кузнецов", "Кузнецова"),
        ("Попов", "Попова"),
        ("Соколов", "Соколова"),
        ("Морозов", "Морозова"),
        ("Волков", "Волкова"),
        ("Лебедев", "Лебедева"),
    ],
}

# Why a person was placed in Awareness, moved to Consideration, or to Advocacy: the reason the
# staff member typed.
HEARD_OF_US: list[Texts] = [
    t("Open day", "Dzień otwarty", "День відкритих дверей", "День открытых дверей"),
    t("Show at the city festival", "Pokaz na festiwalu miejskim", "Виступ на міському фестивалі", "Выступление на городском фестивале"),
    t("Question on Instagram", "Pytanie na Instagramie", "Запитання в Instagram", "Вопрос в Instagram"),
    t("Leaflet from a friend", "Ulotka od znajomych", "Листівка від знайомих", "Листовка от знакомых"),
    t("Radio advert", "Reklama w radiu", "Реклама на радіо", "Реклама на радио"),
]  # fmt: skip
BOOKED: list[Texts] = [
    t("Trial lesson booked", "Umówiona lekcja próbna", "Запис на пробне заняття", "Запись на пробное занятие"),
    t("Consultation with a teacher", "Konsultacja z nauczycielem", "Консультація з викладачем", "Консультация с преподавателем"),
    t("Trial lesson for a couple", "Lekcja próbna dla pary", "Пробне заняття для пари", "Пробное занятие для пары"),
]  # fmt: skip
ADVOCATES: list[Texts] = [
    t("Public review on Google", "Publiczna opinia w Google", "Публічний відгук у Google", "Публичный отзыв в Google"),
    t("A friend signed up on their recommendation", "Z polecenia zapisała się znajoma", "За рекомендацією записалася знайома", "По рекомендации записалась знакомая"),
    t("Video from the school's show on social media", "Film z pokazu szkoły w mediach społecznościowych", "Відео з виступу школи в соцмережах", "Видео с выступления школы в соцсетях"),
]  # fmt: skip
