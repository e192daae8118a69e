"""The demo company's service policy, written for Rytm Dance School in Kliento's four
languages. Each text is a dict language → text; the loader picks the operator's language."""

from __future__ import annotations

from typing import Any

T = dict[str, str]

TITLE: T = {
    "en": "Student service policy",
    "pl": "Polityka obsługi kursantów",
    "uk": "Політика обслуговування учнів",
    "ru": "Политика обслуживания учеников",
}

SUMMARY: T = {
    "en": "We keep students dancing with us: we notice when someone drifts away, we answer "
    "every question the same day, and our students hear about new courses **before** anyone "
    "else.",
    "pl": "Dbamy o to, by kursanci tańczyli z nami dalej: zauważamy, gdy ktoś się oddala, na "
    "każde pytanie odpowiadamy tego samego dnia, a o nowych kursach nasi kursanci dowiadują się "
    "**przed** wszystkimi.",
    "uk": "Ми дбаємо, щоб учні танцювали з нами й далі: помічаємо, коли хтось віддаляється, "
    "відповідаємо на кожне питання того ж дня, а про нові курси наші учні дізнаються **раніше** "
    "за всіх.",
    "ru": "Мы заботимся о том, чтобы ученики танцевали с нами и дальше: замечаем, когда кто-то "
    "отдаляется, отвечаем на каждый вопрос в тот же день, а о новых курсах наши ученики узнают "
    "**раньше** всех.",
}

RETENTION: dict[str, Any] = {
    "link": {
        "en": "A student who feels known by name and missed when absent comes back.",
        "pl": "Kursant, którego znamy z imienia i za którym tęsknimy, gdy go nie ma, wraca.",
        "uk": "Учень, якого знають на ім'я і за яким сумують, коли його немає, повертається.",
        "ru": "Ученик, которого знают по имени и по которому скучают, когда его нет, возвращается.",
    },
    "metric": {
        "en": "Passes renewed within 14 days of expiry",
        "pl": "Karnety odnowione do 14 dni po wygaśnięciu",
        "uk": "Абонементи, подовжені протягом 14 днів після закінчення",
        "ru": "Абонементы, продлённые в течение 14 дней после окончания",
    },
    "competitors": {
        "en": "- **Studio Salsa Plus** sends an automatic e-mail after a month of absence; "
        "nobody calls.\n- **Fit&Dance** gives a free class to anyone who returns — it brings "
        "people back once, not for good.\n\nOur edge: a personal call from the front desk within "
        "a week.",
        "pl": "- **Studio Salsa Plus** wysyła automatyczny e-mail po miesiącu nieobecności; nikt "
        "nie dzwoni.\n- **Fit&Dance** daje darmowe zajęcia każdemu, kto wraca — przyciąga raz, "
        "nie na stałe.\n\nNasza przewaga: osobisty telefon z recepcji w ciągu tygodnia.",
        "uk": "- **Studio Salsa Plus** надсилає автоматичний лист після місяця відсутності; "
        "ніхто не телефонує.\n- **Fit&Dance** дає безкоштовне заняття кожному, хто повертається, "
        "— це повертає людей раз, а не назавжди.\n\nНаша перевага: особистий дзвінок з рецепції "
        "протягом тижня.",
        "ru": "- **Studio Salsa Plus** присылает автоматическое письмо после месяца отсутствия; "
        "никто не звонит.\n- **Fit&Dance** даёт бесплатное занятие каждому, кто возвращается, — "
        "это возвращает людей один раз, а не насовсем.\n\nНаше преимущество: личный звонок с "
        "ресепшена в течение недели.",
    },
    "procedures": [
        {
            "title": {
                "en": "Call a student who missed two classes in a row",
                "pl": "Telefon do kursanta, który opuścił dwa zajęcia z rzędu",
                "uk": "Дзвінок учневі, який пропустив два заняття поспіль",
                "ru": "Звонок ученику, пропустившему два занятия подряд",
            },
            "description": {
                "en": "The front desk calls within two working days, asks how the student is and "
                "whether the schedule still suits them, and offers a make-up class. The answer "
                "goes on the client card.",
                "pl": "Recepcja dzwoni w ciągu dwóch dni roboczych, pyta, jak się kursant miewa i "
                "czy grafik mu odpowiada, proponuje odrabianie zajęć. Odpowiedź trafia na kartę "
                "klienta.",
                "uk": "Рецепція телефонує протягом двох робочих днів, питає, як справи в учня і чи "
                "зручний йому розклад, пропонує заняття на відпрацювання. Відповідь — на картку "
                "клієнта.",
                "ru": "Ресепшен звонит в течение двух рабочих дней, спрашивает, как дела у ученика "
                "и удобно ли ему расписание, предлагает отработку. Ответ — в карточку клиента.",
            },
            "channels": ["phone", "messenger"],
            # (who, after minutes, notify)
            "levels": [
                (("team", "front"), 0, ["in_app"]),
                (("person", "marta"), 480, ["in_app", "email"]),
                (("role", "manager"), 1440, ["email"]),
            ],
        },
        {
            "title": {
                "en": "Answer a complaint the same day",
                "pl": "Odpowiedź na skargę tego samego dnia",
                "uk": "Відповідь на скаргу того ж дня",
                "ru": "Ответ на жалобу в тот же день",
            },
            "description": {
                "en": "Whoever receives a complaint thanks the student, records it and answers "
                "the same day with what will be done. Money matters go to the head of service.",
                "pl": "Kto przyjmuje skargę, dziękuje kursantowi, zapisuje ją i tego samego dnia "
                "odpowiada, co zostanie zrobione. Sprawy finansowe trafiają do kierownika obsługi.",
                "uk": "Хто приймає скаргу, дякує учневі, фіксує її і того ж дня відповідає, що "
                "буде зроблено. Фінансові питання — до керівника сервісу.",
                "ru": "Кто принимает жалобу, благодарит ученика, фиксирует её и в тот же день "
                "отвечает, что будет сделано. Денежные вопросы — к руководителю сервиса.",
            },
            "channels": ["email", "chat", "in_person", "phone"],
            "levels": [
                (("role", "agent"), 0, ["in_app"]),
                (("team", "service"), 120, ["in_app", "email"]),
                (("person", "marta"), 360, ["email", "phone"]),
            ],
        },
    ],
}

NEW_PRODUCTS: dict[str, Any] = {
    "link": {
        "en": "Our students hear first: a new course is a promise kept to those already with us.",
        "pl": "Nasi kursanci dowiadują się pierwsi: nowy kurs to obietnica dla tych, którzy już "
        "są z nami.",
        "uk": "Наші учні дізнаються першими: новий курс — це обіцянка тим, хто вже з нами.",
        "ru": "Наши ученики узнают первыми: новый курс — это обещание тем, кто уже с нами.",
    },
    "metric": {
        "en": "Current students enrolled in a new course in its first month",
        "pl": "Obecni kursanci zapisani na nowy kurs w pierwszym miesiącu",
        "uk": "Чинні учні, записані на новий курс у перший місяць",
        "ru": "Действующие ученики, записавшиеся на новый курс в первый месяц",
    },
    "competitors": {
        "en": "- **Studio Salsa Plus** announces on social media only.\n- **Fit&Dance** "
        "offers early-bird prices to everyone.\n\nWe give our students a week of early "
        "enrolment.",
        "pl": "- **Studio Salsa Plus** ogłasza tylko w mediach społecznościowych.\n- "
        "**Fit&Dance** daje ceny promocyjne wszystkim.\n\nNasi kursanci mają tydzień "
        "wcześniejszych zapisów.",
        "uk": "- **Studio Salsa Plus** оголошує лише в соцмережах.\n- **Fit&Dance** дає "
        "ранні ціни всім.\n\nМи даємо нашим учням тиждень раннього запису.",
        "ru": "- **Studio Salsa Plus** объявляет только в соцсетях.\n- **Fit&Dance** даёт "
        "ранние цены всем.\n\nМы даём нашим ученикам неделю ранней записи.",
    },
    "procedures": [
        {
            "title": {
                "en": "Early enrolment for current students",
                "pl": "Wcześniejsze zapisy dla obecnych kursantów",
                "uk": "Ранній запис для чинних учнів",
                "ru": "Ранняя запись для действующих учеников",
            },
            "description": {
                "en": "A week before the public announcement the events team writes to students "
                "whose style fits the new course and keeps places for them. Questions are "
                "answered within two hours.",
                "pl": "Tydzień przed publicznym ogłoszeniem zespół wydarzeń pisze do kursantów, "
                "których styl pasuje do nowego kursu, i rezerwuje dla nich miejsca. Na pytania "
                "odpowiada w ciągu dwóch godzin.",
                "uk": "За тиждень до публічного оголошення команда заходів пише учням, чий стиль "
                "пасує до нового курсу, і тримає для них місця. На питання відповідає протягом "
                "двох годин.",
                "ru": "За неделю до публичного объявления команда мероприятий пишет ученикам, чей "
                "стиль подходит к новому курсу, и держит для них места. На вопросы отвечает в "
                "течение двух часов.",
            },
            "channels": ["email", "messenger", "social"],
            "levels": [
                (("person", "piotr"), 0, ["in_app"]),
                (("team", "sales"), 120, ["in_app"]),
                (("person", "marta"), 480, ["in_app", "email"]),
            ],
        },
    ],
}

CHANGE_NOTE: T = {
    "en": "Missed classes: the head of service is involved after 4 hours, not 8.",
    "pl": "Opuszczone zajęcia: kierownik obsługi włącza się po 4 godzinach, nie po 8.",
    "uk": "Пропущені заняття: керівник сервісу долучається через 4 години, а не 8.",
    "ru": "Пропущенные занятия: руководитель сервиса подключается через 4 часа, а не через 8.",
}

FEEDBACK: list[tuple[str, str, T]] = [
    (
        "staff",
        "response_speed",
        {
            "en": "Four hours is realistic for the front desk on weekdays; on Saturdays we need "
            "a second person.",
            "pl": "Cztery godziny są realne dla recepcji w dni powszednie; w soboty potrzebna "
            "jest druga osoba.",
            "uk": "Чотири години реально для рецепції в будні; у суботу потрібна друга людина.",
            "ru": "Четыре часа реально для ресепшена в будни; в субботу нужен второй человек.",
        },
    ),
    (
        "client",
        "communication",
        {
            "en": "Nice to get a call after I was ill — I did not expect anyone to notice.",
            "pl": "Miło było dostać telefon po chorobie — nie spodziewałam się, że ktoś zauważy.",
            "uk": "Приємно було отримати дзвінок після хвороби — не думала, що хтось помітить.",
            "ru": "Приятно было получить звонок после болезни — не думала, что кто-то заметит.",
        },
    ),
]
