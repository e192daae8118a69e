"""What the team demo names and writes, in each language the operator may choose."""

from __future__ import annotations

from kliento.core.demo import Texts

# (name, group, is attitude, assessed by, how it is assessed)
Competency = tuple[Texts, str, bool, str, Texts]

AGENT_SUMMARY: Texts = {
    "en": "Front-line service: kind, honest, calm.",
    "ru": "Первая линия обслуживания: доброжелательные, честные, спокойные.",
    "uk": "Перша лінія обслуговування: доброзичливі, чесні, спокійні.",
    "pl": "Pierwsza linia obsługi: życzliwi, uczciwi, spokojni.",
}
STAGE_OWNER_SUMMARY: Texts = {
    "en": "Owns a stage of the journey and coaches the team.",
    "ru": "Отвечает за этап пути клиента и развивает команду.",
    "uk": "Відповідає за етап шляху клієнта й розвиває команду.",
    "pl": "Odpowiada za etap ścieżki klienta i rozwija zespół.",
}
MANAGER_SUMMARY: Texts = {
    "en": "Leads the service and its people.",
    "ru": "Руководит сервисом и его людьми.",
    "uk": "Керує сервісом і його людьми.",
    "pl": "Kieruje obsługą klienta i jej zespołem.",
}

AGENT_COMPETENCIES: list[Competency] = [
    (
        {
            "en": "Genuine care for clients",
            "ru": "Искренняя забота о клиентах",
            "uk": "Щира турбота про клієнтів",
            "pl": "Szczera troska o klientów",
        },
        "must",
        True,
        "interview",
        {
            "en": "Tell us about a time you went beyond your duties for someone.",
            "ru": "Расскажите о случае, когда вы сделали для человека больше, чем требовали "
            "ваши обязанности.",
            "uk": "Розкажіть про випадок, коли ви зробили для людини більше, ніж вимагали "
            "ваші обов'язки.",
            "pl": "Proszę opowiedzieć o sytuacji, w której zrobił(a) Pan/Pani dla kogoś więcej, "
            "niż wymagały obowiązki.",
        },
    ),
    (
        {
            "en": "Honesty and owning mistakes",
            "ru": "Честность и признание своих ошибок",
            "uk": "Чесність і визнання власних помилок",
            "pl": "Uczciwość i przyznawanie się do błędów",
        },
        "must",
        True,
        "interview",
        {
            "en": "Describe a mistake you made at work and what you did next.",
            "ru": "Опишите ошибку, которую вы допустили на работе, и что вы сделали потом.",
            "uk": "Опишіть помилку, якої ви припустилися на роботі, і що зробили потім.",
            "pl": "Proszę opisać błąd popełniony w pracy i to, co Pan/Pani zrobił(a) potem.",
        },
    ),
    (
        {
            "en": "Calm under pressure",
            "ru": "Выдержка в стрессовых ситуациях",
            "uk": "Витримка в стресових ситуаціях",
            "pl": "Spokój pod presją",
        },
        "must",
        True,
        "test_task",
        {
            "en": "Role-play: an angry client whose order is late.",
            "ru": "Ролевая игра: рассерженный клиент, чей заказ задерживается.",
            "uk": "Рольова гра: розгніваний клієнт, чиє замовлення затримується.",
            "pl": "Scenka: zdenerwowany klient, którego zamówienie się spóźnia.",
        },
    ),
    (
        {
            "en": "Clear written Russian, Ukrainian or Polish",
            "ru": "Грамотная письменная речь на русском, украинском или польском",
            "uk": "Грамотне письмо українською, російською або польською",
            "pl": "Poprawne pisanie po polsku, ukraińsku lub rosyjsku",
        },
        "must",
        False,
        "test_task",
        {
            "en": "Answer three client e-mails in 30 minutes.",
            "ru": "Ответить на три письма клиентов за 30 минут.",
            "uk": "Відповісти на три листи клієнтів за 30 хвилин.",
            "pl": "Odpowiedzieć na trzy e-maile klientów w 30 minut.",
        },
    ),
    (
        {
            "en": "Product knowledge",
            "ru": "Знание продуктов",
            "uk": "Знання продуктів",
            "pl": "Znajomość produktów",
        },
        "learnable",
        False,
        "observation",
        {
            "en": "Answers product questions without help after the first month.",
            "ru": "После первого месяца отвечает на вопросы о продуктах без помощи.",
            "uk": "Після першого місяця відповідає на запитання про продукти без допомоги.",
            "pl": "Po pierwszym miesiącu odpowiada na pytania o produkty bez pomocy.",
        },
    ),
    (
        {
            "en": "CRM and desk tools",
            "ru": "CRM и инструменты службы поддержки",
            "uk": "CRM та інструменти служби підтримки",
            "pl": "CRM i narzędzia obsługi zgłoszeń",
        },
        "learnable",
        False,
        "observation",
        {
            "en": "Works a case from intake to closing alone.",
            "ru": "Самостоятельно ведёт обращение от приёма до закрытия.",
            "uk": "Самостійно веде звернення від прийому до закриття.",
            "pl": "Samodzielnie prowadzi zgłoszenie od przyjęcia do zamknięcia.",
        },
    ),
    (
        {
            "en": "A second foreign language",
            "ru": "Второй иностранный язык",
            "uk": "Друга іноземна мова",
            "pl": "Drugi język obcy",
        },
        "nice",
        False,
        "interview",
        {
            "en": "A five-minute conversation in the language.",
            "ru": "Пятиминутный разговор на этом языке.",
            "uk": "П'ятихвилинна розмова цією мовою.",
            "pl": "Pięciominutowa rozmowa w tym języku.",
        },
    ),
]
LEAD_COMPETENCIES: list[Competency] = [
    (
        {
            "en": "Puts the client first in decisions",
            "ru": "Ставит интересы клиента на первое место в решениях",
            "uk": "Ставить інтереси клієнта на перше місце в рішеннях",
            "pl": "Stawia klienta na pierwszym miejscu w decyzjach",
        },
        "must",
        True,
        "interview",
        {
            "en": "When did you change a rule because it hurt clients?",
            "ru": "Когда вы меняли правило, потому что оно вредило клиентам?",
            "uk": "Коли ви змінювали правило, бо воно шкодило клієнтам?",
            "pl": "Kiedy zmienił(a) Pan/Pani zasadę, bo szkodziła klientom?",
        },
    ),
    (
        {
            "en": "Coaching others",
            "ru": "Наставничество",
            "uk": "Наставництво",
            "pl": "Wspieranie rozwoju innych",
        },
        "must",
        False,
        "observation",
        {
            "en": "Gives feedback after a shadowed call.",
            "ru": "Даёт обратную связь после прослушанного звонка.",
            "uk": "Дає зворотний зв'язок після прослуханого дзвінка.",
            "pl": "Udziela informacji zwrotnej po odsłuchanej rozmowie.",
        },
    ),
    (
        {
            "en": "Reading service metrics",
            "ru": "Понимание метрик сервиса",
            "uk": "Розуміння метрик сервісу",
            "pl": "Rozumienie wskaźników obsługi",
        },
        "learnable",
        False,
        "test_task",
        {
            "en": "Explain a month of CSAT and response times.",
            "ru": "Разобрать CSAT и время ответа за месяц.",
            "uk": "Розібрати CSAT і час відповіді за місяць.",
            "pl": "Omówić CSAT i czasy odpowiedzi z jednego miesiąca.",
        },
    ),
    (
        {
            "en": "Budgeting",
            "ru": "Планирование бюджета",
            "uk": "Планування бюджету",
            "pl": "Budżetowanie",
        },
        "nice",
        False,
        "interview",
        {
            "en": "How would you plan a training budget?",
            "ru": "Как бы вы спланировали бюджет на обучение?",
            "uk": "Як би ви спланували бюджет на навчання?",
            "pl": "Jak zaplanował(a)by Pan/Pani budżet szkoleniowy?",
        },
    ),
]
STRONG_EXAMPLE: Texts = {
    "en": "Strong example given.",
    "ru": "Убедительный пример из опыта.",
    "uk": "Переконливий приклад із досвіду.",
    "pl": "Przekonujący przykład z doświadczenia.",
}

PLAN_TITLE: Texts = {
    "en": "First month at the front desk",
    "ru": "Первый месяц на ресепшене",
    "uk": "Перший місяць на рецепції",
    "pl": "Pierwszy miesiąc w recepcji",
}
# (checkpoint, kind, due on day)
PLAN: list[tuple[Texts, str, int]] = [
    (
        {
            "en": "Read and acknowledge the service standards",
            "ru": "Прочитать стандарты обслуживания и подтвердить ознакомление",
            "uk": "Прочитати стандарти обслуговування й підтвердити ознайомлення",
            "pl": "Przeczytać standardy obsługi i potwierdzić zapoznanie się z nimi",
        },
        "standards",
        3,
    ),
    (
        {
            "en": "Shadow a colleague for two days",
            "ru": "Два дня наблюдать за работой опытного коллеги",
            "uk": "Два дні спостерігати за роботою досвідченого колеги",
            "pl": "Przez dwa dni obserwować pracę doświadczonej osoby z zespołu",
        },
        "shadow",
        7,
    ),
    (
        {
            "en": "First ten cases under supervision",
            "ru": "Первые десять обращений под контролем наставника",
            "uk": "Перші десять звернень під наглядом наставника",
            "pl": "Pierwsze dziesięć zgłoszeń pod okiem opiekuna",
        },
        "supervised",
        14,
    ),
    (
        {
            "en": "First quality audit",
            "ru": "Первый аудит качества",
            "uk": "Перший аудит якості",
            "pl": "Pierwszy audyt jakości",
        },
        "audit",
        30,
    ),
]
SIGNED_OFF: Texts = {
    "en": "Two good days.",
    "ru": "Два хороших дня.",
    "uk": "Два вдалі дні.",
    "pl": "Dwa dobre dni.",
}

# (title, kind, description)
COURSES: list[tuple[Texts, str, Texts]] = [
    (
        {
            "en": "Our products and services",
            "ru": "Наши продукты и услуги",
            "uk": "Наші продукти та послуги",
            "pl": "Nasze produkty i usługi",
        },
        "product",
        {
            "en": "Every product line, prices and what clients ask most.",
            "ru": "Все линейки продуктов, цены и самые частые вопросы клиентов.",
            "uk": "Усі лінійки продуктів, ціни та найчастіші запитання клієнтів.",
            "pl": "Wszystkie linie produktów, ceny i najczęstsze pytania klientów.",
        },
    ),
    (
        {
            "en": "From intake to closing a case",
            "ru": "От приёма до закрытия обращения",
            "uk": "Від прийому до закриття звернення",
            "pl": "Od przyjęcia do zamknięcia zgłoszenia",
        },
        "process",
        {
            "en": "The service desk process, SLAs and escalations.",
            "ru": "Процесс службы поддержки, SLA и эскалации.",
            "uk": "Процес служби підтримки, SLA та ескалації.",
            "pl": "Proces obsługi zgłoszeń, SLA i eskalacje.",
        },
    ),
    (
        {
            "en": "Listening and empathy",
            "ru": "Умение слушать и эмпатия",
            "uk": "Уміння слухати та емпатія",
            "pl": "Słuchanie i empatia",
        },
        "soft_skills",
        {
            "en": "Active listening, naming the feeling, calm words.",
            "ru": "Активное слушание, называние чувств, спокойные слова.",
            "uk": "Активне слухання, називання почуттів, спокійні слова.",
            "pl": "Aktywne słuchanie, nazywanie emocji, spokojne słowa.",
        },
    ),
    (
        {
            "en": "Handling difficult conversations",
            "ru": "Как вести трудные разговоры",
            "uk": "Як вести складні розмови",
            "pl": "Prowadzenie trudnych rozmów",
        },
        "soft_skills",
        {
            "en": "De-escalation, saying no, recovery offers.",
            "ru": "Деэскалация, умение отказать, компенсирующие предложения.",
            "uk": "Деескалація, уміння відмовити, компенсаційні пропозиції.",
            "pl": "Deeskalacja, odmawianie, propozycje zadośćuczynienia.",
        },
    ),
]
MATERIALS: Texts = {
    "en": "- [Handbook](https://example.com/handbook)\n- Exercise sheet in the shared folder",
    "ru": "- [Справочник](https://example.com/handbook)\n- Лист с упражнениями в общей папке",
    "uk": "- [Довідник](https://example.com/handbook)\n- Аркуш із вправами в спільній теці",
    "pl": "- [Podręcznik](https://example.com/handbook)\n- Arkusz ćwiczeń we wspólnym folderze",
}
ROOM: Texts = {"en": "Room 2", "ru": "Зал 2", "uk": "Зал 2", "pl": "Sala 2"}
ONLINE: Texts = {"en": "Online", "ru": "Онлайн", "uk": "Онлайн", "pl": "Online"}
