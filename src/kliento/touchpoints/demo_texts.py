# ruff: noqa: E501 (sentences in four languages read better whole than split)
"""The demo dance school's touchpoints in Kliento's four languages.

What the staff wrote (names, regulations, parameters) is in the operator's language, chosen when
the demo is loaded; what a client said (an impression's text) is in that client's own language.
Data, not interface strings.
"""

from __future__ import annotations

from dataclasses import dataclass

Texts = dict[str, str]


def t(en: str, pl: str, uk: str, ru: str) -> Texts:
    return {"en": en, "pl": pl, "uk": uk, "ru": ru}


def pick(texts: Texts, language: str | None) -> str:
    return texts.get(language or "en") or texts["en"]


@dataclass(frozen=True)
class DemoParameter:
    name: Texts
    measurement: Texts
    target: Texts


@dataclass(frozen=True)
class DemoTouchpoint:
    name: Texts
    kind: str
    category: str
    channel: str
    # Where along a journey it happens: 0 awareness … 5 advocacy; matched to whatever stages
    # the journeys demo made.
    phase: int
    owner: str  # a demo staff username
    occurs_when: Texts
    participants: Texts
    kpi: Texts
    regulation: Texts
    parameters: tuple[DemoParameter, ...]
    # Chances of a positive and a negative impression (the rest neutral).
    positive: float
    negative: float


FRONT_DESK = t(
    "Front-desk administrator",
    "Administrator recepcji",
    "Адміністратор рецепції",
    "Администратор ресепшена",
)
INSTRUCTOR = t("Instructor", "Instruktor", "Інструктор", "Инструктор")
CONSULTANT = t(
    "Sales consultant", "Doradca ds. sprzedaży", "Консультант з продажу", "Консультант по продажам"
)

TOUCHPOINTS: tuple[DemoTouchpoint, ...] = (
    DemoTouchpoint(
        name=t(
            "Website and online schedule",
            "Strona i grafik online",
            "Сайт і розклад онлайн",
            "Сайт и расписание онлайн",
        ),
        kind="business",
        category="website",
        channel="web_form",
        phase=0,
        owner="piotr",
        occurs_when=t(
            "Before the first visit",
            "Przed pierwszą wizytą",
            "До першого візиту",
            "До первого визита",
        ),
        participants=t(
            "Events manager, web agency",
            "Menedżer wydarzeń, agencja",
            "Менеджер заходів, агенція",
            "Менеджер мероприятий, агентство",
        ),
        kpi=t(
            "Trial bookings from the site per month",
            "Zapisy na lekcję próbną ze strony miesięcznie",
            "Записи на пробне заняття з сайту на місяць",
            "Записи на пробное занятие с сайта в месяц",
        ),
        regulation=t(
            "## Schedule\n\n- The schedule is **up to date** every Monday by 10:00.\n- Every class shows level, instructor and free places.\n\n## Booking form\n\n- A request is answered within **2 working hours**.",
            "## Grafik\n\n- Grafik jest **aktualny** w każdy poniedziałek do 10:00.\n- Każde zajęcia pokazują poziom, instruktora i wolne miejsca.\n\n## Formularz zapisu\n\n- Na zgłoszenie odpowiadamy w ciągu **2 godzin roboczych**.",
            "## Розклад\n\n- Розклад **актуальний** щопонеділка до 10:00.\n- Кожне заняття показує рівень, інструктора і вільні місця.\n\n## Форма запису\n\n- На заявку відповідаємо протягом **2 робочих годин**.",
            "## Расписание\n\n- Расписание **актуально** каждый понедельник к 10:00.\n- У каждого занятия указаны уровень, инструктор и свободные места.\n\n## Форма записи\n\n- На заявку отвечаем в течение **2 рабочих часов**.",
        ),
        parameters=(
            DemoParameter(
                t(
                    "Answer to a booking request",
                    "Odpowiedź na zgłoszenie",
                    "Відповідь на заявку",
                    "Ответ на заявку",
                ),
                t(
                    "Time from the form to the first answer, from the CRM",
                    "Czas od formularza do pierwszej odpowiedzi, z CRM",
                    "Час від форми до першої відповіді, з CRM",
                    "Время от формы до первого ответа, из CRM",
                ),
                t(
                    "≤ 2 working hours",
                    "≤ 2 godziny robocze",
                    "≤ 2 робочі години",
                    "≤ 2 рабочих часа",
                ),
            ),
        ),
        positive=0.6,
        negative=0.1,
    ),
    DemoTouchpoint(
        name=t("Signboard and entrance", "Szyld i wejście", "Вивіска і вхід", "Вывеска и вход"),
        kind="business",
        category="signboard",
        channel="in_person",
        phase=0,
        owner="marta",
        occurs_when=t("On arrival", "Przy przyjściu", "Під час прибуття", "При входе"),
        participants=t(
            "Head of client service",
            "Kierownik obsługi klienta",
            "Керівник клієнтського сервісу",
            "Руководитель клиентского сервиса",
        ),
        kpi=t(
            "No entrance complaints in the month",
            "Brak skarg na wejście w miesiącu",
            "Жодної скарги на вхід за місяць",
            "Ни одной жалобы на вход за месяц",
        ),
        regulation=t(
            "- The signboard is lit from dusk until 22:00.\n- The door and the stairs are clean before the first class.",
            "- Szyld świeci od zmierzchu do 22:00.\n- Drzwi i schody są czyste przed pierwszymi zajęciami.",
            "- Вивіска світиться від смеркання до 22:00.\n- Двері та сходи чисті до першого заняття.",
            "- Вывеска горит с сумерек до 22:00.\n- Дверь и лестница чистые до первого занятия.",
        ),
        parameters=(
            DemoParameter(
                t("Signboard lit", "Szyld oświetlony", "Вивіска світиться", "Вывеска горит"),
                t(
                    "Evening check by the front desk",
                    "Wieczorna kontrola recepcji",
                    "Вечірня перевірка рецепцією",
                    "Вечерняя проверка ресепшеном",
                ),
                t("Every evening", "Każdego wieczoru", "Щовечора", "Каждый вечер"),
            ),
        ),
        positive=0.5,
        negative=0.1,
    ),
    DemoTouchpoint(
        name=t("First phone call", "Pierwszy telefon", "Перший дзвінок", "Первый звонок"),
        kind="business",
        category="phone_line",
        channel="phone",
        phase=1,
        owner="olena",
        occurs_when=t(
            "When a newcomer calls",
            "Gdy dzwoni nowa osoba",
            "Коли телефонує новачок",
            "Когда звонит новичок",
        ),
        participants=FRONT_DESK,
        kpi=t(
            "Share of first calls that end in a trial booking",
            "Odsetek pierwszych telefonów zakończonych zapisem",
            "Частка перших дзвінків, що закінчились записом",
            "Доля первых звонков, закончившихся записью",
        ),
        regulation=t(
            "1. Pick up by the **third ring**.\n2. Greet with the school's name and your own.\n3. Offer a trial class with a date and time.",
            "1. Odbierz do **trzeciego sygnału**.\n2. Przywitaj się nazwą szkoły i swoim imieniem.\n3. Zaproponuj lekcję próbną z datą i godziną.",
            "1. Бери слухавку до **третього гудка**.\n2. Привітайся назвою школи і своїм ім’ям.\n3. Запропонуй пробне заняття з датою і часом.",
            "1. Бери трубку до **третьего гудка**.\n2. Поздоровайся названием школы и своим именем.\n3. Предложи пробное занятие с датой и временем.",
        ),
        parameters=(
            DemoParameter(
                t(
                    "Rings before answering",
                    "Sygnały do odebrania",
                    "Гудки до відповіді",
                    "Гудки до ответа",
                ),
                t(
                    "Call log of the phone system",
                    "Dziennik centrali",
                    "Журнал телефонії",
                    "Журнал телефонии",
                ),
                t(
                    "≤ 3 rings in 95 % of calls",
                    "≤ 3 sygnały w 95 % połączeń",
                    "≤ 3 гудки у 95 % дзвінків",
                    "≤ 3 гудков в 95 % звонков",
                ),
            ),
            DemoParameter(
                t(
                    "Missed calls called back",
                    "Oddzwonienie na nieodebrane",
                    "Передзвін на пропущені",
                    "Перезвон на пропущенные",
                ),
                t(
                    "Call log, checked at closing",
                    "Dziennik centrali, sprawdzany przy zamknięciu",
                    "Журнал телефонії, перевірка при закритті",
                    "Журнал телефонии, проверка при закрытии",
                ),
                t(
                    "Within 30 minutes",
                    "W ciągu 30 minut",
                    "Протягом 30 хвилин",
                    "В течение 30 минут",
                ),
            ),
        ),
        positive=0.55,
        negative=0.15,
    ),
    DemoTouchpoint(
        name=t(
            "Trial class confirmation",
            "Potwierdzenie lekcji próbnej",
            "Підтвердження пробного заняття",
            "Подтверждение пробного занятия",
        ),
        kind="business",
        category="messages",
        channel="messenger",
        phase=1,
        owner="jakub",
        occurs_when=t(
            "The day before the trial class",
            "Dzień przed lekcją próbną",
            "За день до пробного заняття",
            "За день до пробного занятия",
        ),
        participants=FRONT_DESK,
        kpi=t(
            "Trial no-shows below 15 %",
            "Nieobecności na próbnej poniżej 15 %",
            "Неявки на пробне нижче 15 %",
            "Неявки на пробное ниже 15 %",
        ),
        regulation=t(
            "- Send the address, the time and what to wear.\n- Ask the client to reply to confirm.",
            "- Wyślij adres, godzinę i w co się ubrać.\n- Poproś o odpowiedź z potwierdzeniem.",
            "- Надішли адресу, час і що вдягнути.\n- Попроси відповісти для підтвердження.",
            "- Отправь адрес, время и что надеть.\n- Попроси ответить для подтверждения.",
        ),
        parameters=(
            DemoParameter(
                t(
                    "Confirmation sent",
                    "Potwierdzenie wysłane",
                    "Підтвердження надіслано",
                    "Подтверждение отправлено",
                ),
                t(
                    "Messenger history against the trial list",
                    "Historia komunikatora a lista próbnych",
                    "Історія месенджера проти списку пробних",
                    "История мессенджера против списка пробных",
                ),
                t(
                    "100 % by 18:00 the day before",
                    "100 % do 18:00 dzień wcześniej",
                    "100 % до 18:00 напередодні",
                    "100 % до 18:00 накануне",
                ),
            ),
        ),
        positive=0.5,
        negative=0.1,
    ),
    DemoTouchpoint(
        name=t("Reception hall", "Hol recepcji", "Хол рецепції", "Холл ресепшена"),
        kind="business",
        category="office",
        channel="in_person",
        phase=2,
        owner="olena",
        occurs_when=t(
            "Every visit, before and after class",
            "Każda wizyta, przed i po zajęciach",
            "Кожен візит, до і після заняття",
            "Каждый визит, до и после занятия",
        ),
        participants=FRONT_DESK,
        kpi=t(
            "Cleanliness checklist passed daily",
            "Codzienna lista czystości zaliczona",
            "Щоденний чек-лист чистоти виконано",
            "Ежедневный чек-лист чистоты выполнен",
        ),
        regulation=t(
            "- Water and cups are always available.\n- Coats hang in the wardrobe, never on chairs.\n- Music is quiet; the schedule screen is on.",
            "- Woda i kubki są zawsze dostępne.\n- Kurtki wiszą w szatni, nigdy na krzesłach.\n- Muzyka cicha; ekran z grafikiem włączony.",
            "- Вода й стаканчики завжди є.\n- Куртки висять у гардеробі, не на стільцях.\n- Музика тиха; екран з розкладом увімкнений.",
            "- Вода и стаканчики всегда есть.\n- Куртки висят в гардеробе, не на стульях.\n- Музыка тихая; экран с расписанием включён.",
        ),
        parameters=(
            DemoParameter(
                t("Cleanliness", "Czystość", "Чистота", "Чистота"),
                t(
                    "Checklist every 2 hours",
                    "Lista kontrolna co 2 godziny",
                    "Чек-лист кожні 2 години",
                    "Чек-лист каждые 2 часа",
                ),
                t(
                    "All items ticked",
                    "Wszystkie punkty odhaczone",
                    "Усі пункти відмічено",
                    "Все пункты отмечены",
                ),
            ),
        ),
        positive=0.6,
        negative=0.1,
    ),
    DemoTouchpoint(
        name=t(
            "Membership contract and receipts",
            "Umowa karnetu i paragony",
            "Договір абонемента і чеки",
            "Договор абонемента и чеки",
        ),
        kind="business",
        category="documents",
        channel="in_person",
        phase=2,
        owner="iryna",
        occurs_when=t(
            "When a pass is bought",
            "Przy zakupie karnetu",
            "Під час купівлі абонемента",
            "При покупке абонемента",
        ),
        participants=CONSULTANT,
        kpi=t(
            "Contracts without corrections",
            "Umowy bez poprawek",
            "Договори без виправлень",
            "Договоры без исправлений",
        ),
        regulation=t(
            "- The contract fits on **one page** and names the pass, the price and the freeze rules.\n- The receipt is handed over or e-mailed at once.",
            "- Umowa mieści się na **jednej stronie** i podaje karnet, cenę i zasady zamrożenia.\n- Paragon wręczamy lub wysyłamy od razu.",
            "- Договір уміщується на **одній сторінці** і називає абонемент, ціну та правила заморозки.\n- Чек видаємо чи надсилаємо одразу.",
            "- Договор помещается на **одной странице** и называет абонемент, цену и правила заморозки.\n- Чек выдаём или отправляем сразу.",
        ),
        parameters=(
            DemoParameter(
                t(
                    "Contract errors",
                    "Błędy w umowach",
                    "Помилки в договорах",
                    "Ошибки в договорах",
                ),
                t(
                    "Monthly audit of 20 contracts",
                    "Miesięczny audyt 20 umów",
                    "Щомісячний аудит 20 договорів",
                    "Ежемесячный аудит 20 договоров",
                ),
                t("0 errors", "0 błędów", "0 помилок", "0 ошибок"),
            ),
        ),
        positive=0.45,
        negative=0.15,
    ),
    DemoTouchpoint(
        name=t(
            "Studios and changing rooms",
            "Sale i przebieralnie",
            "Зали і роздягальні",
            "Залы и раздевалки",
        ),
        kind="business",
        category="office",
        channel="in_person",
        phase=3,
        owner="marta",
        occurs_when=t("Every class", "Każde zajęcia", "Кожне заняття", "Каждое занятие"),
        participants=t(
            "Head of client service, cleaning staff",
            "Kierownik obsługi, personel sprzątający",
            "Керівник сервісу, прибиральники",
            "Руководитель сервиса, уборщики",
        ),
        kpi=t(
            "Complaints about the rooms per month",
            "Skargi na sale miesięcznie",
            "Скарги на зали за місяць",
            "Жалобы на залы в месяц",
        ),
        regulation=t(
            "- Studios are aired between classes.\n- Showers have hot water and soap; lockers work.\n- A broken item is reported **the same day**.",
            "- Sale wietrzymy między zajęciami.\n- Prysznice mają ciepłą wodę i mydło; szafki działają.\n- Usterkę zgłaszamy **tego samego dnia**.",
            "- Зали провітрюємо між заняттями.\n- У душових є гаряча вода і мило; шафки працюють.\n- Поломку повідомляємо **того ж дня**.",
            "- Залы проветриваем между занятиями.\n- В душевых есть горячая вода и мыло; шкафчики работают.\n- О поломке сообщаем **в тот же день**.",
        ),
        parameters=(
            DemoParameter(
                t(
                    "Room temperature",
                    "Temperatura w sali",
                    "Температура в залі",
                    "Температура в зале",
                ),
                t(
                    "Thermometer reading at each class",
                    "Odczyt termometru na zajęciach",
                    "Показ термометра на кожному занятті",
                    "Показание термометра на каждом занятии",
                ),
                t("20–23 °C", "20–23 °C", "20–23 °C", "20–23 °C"),
            ),
            DemoParameter(
                t("Repairs", "Naprawy", "Ремонти", "Ремонт"),
                t(
                    "Days from report to repair",
                    "Dni od zgłoszenia do naprawy",
                    "Дні від повідомлення до ремонту",
                    "Дни от сообщения до ремонта",
                ),
                t("≤ 3 days", "≤ 3 dni", "≤ 3 дні", "≤ 3 дней"),
            ),
        ),
        positive=0.35,
        negative=0.35,
    ),
    DemoTouchpoint(
        name=t(
            "Class reminders and schedule changes",
            "Przypomnienia i zmiany w grafiku",
            "Нагадування і зміни розкладу",
            "Напоминания и изменения расписания",
        ),
        kind="business",
        category="messages",
        channel="sms",
        phase=3,
        owner="jakub",
        occurs_when=t(
            "A day before a changed class",
            "Dzień przed zmienionymi zajęciami",
            "За день до зміненого заняття",
            "За день до изменённого занятия",
        ),
        participants=FRONT_DESK,
        kpi=t(
            "Clients who came to a cancelled class",
            "Klienci, którzy przyszli na odwołane zajęcia",
            "Клієнти, що прийшли на скасоване заняття",
            "Клиенты, пришедшие на отменённое занятие",
        ),
        regulation=t(
            "- Any change is announced **24 hours** ahead by SMS.\n- The message offers a replacement class.",
            "- Każdą zmianę ogłaszamy SMS-em **24 godziny** wcześniej.\n- Wiadomość proponuje zajęcia zastępcze.",
            "- Про будь-яку зміну повідомляємо SMS за **24 години**.\n- Повідомлення пропонує заміну.",
            "- О любом изменении сообщаем SMS за **24 часа**.\n- Сообщение предлагает замену.",
        ),
        parameters=(
            DemoParameter(
                t("Notice given", "Czas wyprzedzenia", "Час попередження", "Время предупреждения"),
                t(
                    "SMS log against the schedule changes",
                    "Dziennik SMS a zmiany grafiku",
                    "Журнал SMS проти змін розкладу",
                    "Журнал SMS против изменений расписания",
                ),
                t("≥ 24 hours", "≥ 24 godziny", "≥ 24 години", "≥ 24 часа"),
            ),
        ),
        positive=0.4,
        negative=0.2,
    ),
    DemoTouchpoint(
        name=t(
            "Greeting at the front desk",
            "Powitanie w recepcji",
            "Привітання на рецепції",
            "Приветствие на ресепшене",
        ),
        kind="employee",
        category="smile",
        channel="in_person",
        phase=2,
        owner="olena",
        occurs_when=t("Each arrival", "Każde przyjście", "Кожен прихід", "Каждый приход"),
        participants=FRONT_DESK,
        kpi=t(
            "Mystery-guest greeting score",
            "Ocena powitania przez tajemniczego klienta",
            "Оцінка привітання таємним гостем",
            "Оценка приветствия тайным гостем",
        ),
        regulation=t(
            "- Look up, smile and greet within **5 seconds**.\n- Call regulars by their name.",
            "- Podnieś wzrok, uśmiechnij się i przywitaj w ciągu **5 sekund**.\n- Stałych klientów nazywaj po imieniu.",
            "- Підведи погляд, усміхнись і привітайся протягом **5 секунд**.\n- Постійних клієнтів називай на ім’я.",
            "- Подними взгляд, улыбнись и поздоровайся в течение **5 секунд**.\n- Постоянных клиентов называй по имени.",
        ),
        parameters=(
            DemoParameter(
                t("Greeting time", "Czas powitania", "Час привітання", "Время приветствия"),
                t(
                    "Mystery guest, twice a month",
                    "Tajemniczy klient, dwa razy w miesiącu",
                    "Таємний гість, двічі на місяць",
                    "Тайный гость, дважды в месяц",
                ),
                t("≤ 5 seconds", "≤ 5 sekund", "≤ 5 секунд", "≤ 5 секунд"),
            ),
        ),
        positive=0.7,
        negative=0.05,
    ),
    DemoTouchpoint(
        name=t(
            "Instructors' appearance",
            "Wygląd instruktorów",
            "Зовнішній вигляд інструкторів",
            "Внешний вид инструкторов",
        ),
        kind="employee",
        category="uniform",
        channel="in_person",
        phase=3,
        owner="piotr",
        occurs_when=t("Every class", "Każde zajęcia", "Кожне заняття", "Каждое занятие"),
        participants=INSTRUCTOR,
        kpi=t(
            "Uniform checks passed",
            "Zaliczone kontrole stroju",
            "Пройдені перевірки форми",
            "Пройденные проверки формы",
        ),
        regulation=t(
            "- School T-shirt and dance shoes; hair tied back.\n- A name badge is worn at open days.",
            "- Koszulka szkoły i buty do tańca; włosy związane.\n- Na dniach otwartych identyfikator z imieniem.",
            "- Футболка школи і танцювальне взуття; волосся зібране.\n- На днях відкритих дверей — бейдж з ім’ям.",
            "- Футболка школы и танцевальная обувь; волосы собраны.\n- На днях открытых дверей — бейдж с именем.",
        ),
        parameters=(
            DemoParameter(
                t("Uniform worn", "Strój zgodny", "Форма відповідає", "Форма соответствует"),
                t(
                    "Spot check by the events manager",
                    "Wyrywkowa kontrola menedżera",
                    "Вибіркова перевірка менеджером",
                    "Выборочная проверка менеджером",
                ),
                t("100 % of checks", "100 % kontroli", "100 % перевірок", "100 % проверок"),
            ),
        ),
        positive=0.6,
        negative=0.05,
    ),
    DemoTouchpoint(
        name=t(
            "Phone and chat scripts",
            "Skrypty rozmów i czatu",
            "Скрипти дзвінків і чату",
            "Скрипты звонков и чата",
        ),
        kind="employee",
        category="speech",
        channel="chat",
        phase=1,
        owner="iryna",
        occurs_when=t(
            "Any question about classes or prices",
            "Każde pytanie o zajęcia lub ceny",
            "Будь-яке питання про заняття чи ціни",
            "Любой вопрос о занятиях или ценах",
        ),
        participants=t(
            "Front desk, sales consultants",
            "Recepcja, doradcy",
            "Рецепція, консультанти",
            "Ресепшен, консультанты",
        ),
        kpi=t(
            "Chat answers within 10 minutes",
            "Odpowiedzi na czacie w 10 minut",
            "Відповіді в чаті за 10 хвилин",
            "Ответы в чате за 10 минут",
        ),
        regulation=t(
            "| Question | Answer |\n|---|---|\n| Price | Name the pass that fits, then the price |\n| Level | Offer a trial class, never a test |",
            "| Pytanie | Odpowiedź |\n|---|---|\n| Cena | Najpierw pasujący karnet, potem cena |\n| Poziom | Zaproponuj lekcję próbną, nie test |",
            "| Питання | Відповідь |\n|---|---|\n| Ціна | Спершу відповідний абонемент, потім ціна |\n| Рівень | Запропонуй пробне заняття, не тест |",
            "| Вопрос | Ответ |\n|---|---|\n| Цена | Сначала подходящий абонемент, потом цена |\n| Уровень | Предложи пробное занятие, не тест |",
        ),
        parameters=(
            DemoParameter(
                t(
                    "First answer in chat",
                    "Pierwsza odpowiedź na czacie",
                    "Перша відповідь у чаті",
                    "Первый ответ в чате",
                ),
                t(
                    "Chat statistics, weekly",
                    "Statystyki czatu, co tydzień",
                    "Статистика чату, щотижня",
                    "Статистика чата, еженедельно",
                ),
                t("≤ 10 minutes", "≤ 10 minut", "≤ 10 хвилин", "≤ 10 минут"),
            ),
        ),
        positive=0.5,
        negative=0.15,
    ),
    DemoTouchpoint(
        name=t(
            "Pass renewal conversation",
            "Rozmowa o przedłużeniu karnetu",
            "Розмова про продовження абонемента",
            "Разговор о продлении абонемента",
        ),
        kind="employee",
        category="expertise",
        channel="in_person",
        phase=4,
        owner="iryna",
        occurs_when=t(
            "A week before the pass ends",
            "Tydzień przed końcem karnetu",
            "За тиждень до кінця абонемента",
            "За неделю до окончания абонемента",
        ),
        participants=CONSULTANT,
        kpi=t("Renewal rate", "Wskaźnik przedłużeń", "Частка продовжень", "Доля продлений"),
        regulation=t(
            "- Ask how the classes went before offering anything.\n- Offer the next level when the instructor recommends it.",
            "- Zapytaj, jak szły zajęcia, zanim coś zaproponujesz.\n- Zaproponuj wyższy poziom, gdy poleca go instruktor.",
            "- Спитай, як минули заняття, перш ніж щось пропонувати.\n- Запропонуй наступний рівень, коли радить інструктор.",
            "- Спроси, как прошли занятия, прежде чем что-то предлагать.\n- Предложи следующий уровень, когда советует инструктор.",
        ),
        parameters=(
            DemoParameter(
                t("Renewals", "Przedłużenia", "Продовження", "Продления"),
                t(
                    "Passes renewed of those ending, monthly",
                    "Przedłużone z kończących się, miesięcznie",
                    "Продовжені з тих, що закінчуються, щомісяця",
                    "Продлённые из заканчивающихся, ежемесячно",
                ),
                t("≥ 70 %", "≥ 70 %", "≥ 70 %", "≥ 70 %"),
            ),
        ),
        positive=0.55,
        negative=0.1,
    ),
)

# What clients said, by sentiment, in their own language.
COMMENTS: dict[str, tuple[Texts, ...]] = {
    "positive": (
        t(
            "Very friendly, thank you!",
            "Bardzo miło, dziękuję!",
            "Дуже привітно, дякую!",
            "Очень приветливо, спасибо!",
        ),
        t(
            "Everything was clear and quick.",
            "Wszystko jasno i szybko.",
            "Усе зрозуміло і швидко.",
            "Всё понятно и быстро.",
        ),
        t(
            "Felt welcome from the first minute.",
            "Od pierwszej minuty czułam się mile widziana.",
            "З першої хвилини відчула себе бажаною гостею.",
            "С первой минуты почувствовала себя желанной гостьей.",
        ),
        t(
            "Better than at my previous school.",
            "Lepiej niż w poprzedniej szkole.",
            "Краще, ніж у попередній школі.",
            "Лучше, чем в прошлой школе.",
        ),
    ),
    "neutral": (
        t("It was fine.", "Było w porządku.", "Було нормально.", "Было нормально."),
        t("Nothing special.", "Nic szczególnego.", "Нічого особливого.", "Ничего особенного."),
        t("", "", "", ""),
    ),
    "negative": (
        t(
            "Had to wait too long.",
            "Musiałam za długo czekać.",
            "Довелося надто довго чекати.",
            "Пришлось слишком долго ждать.",
        ),
        t(
            "Nobody told me about the change.",
            "Nikt mi nie powiedział o zmianie.",
            "Ніхто не сказав мені про зміну.",
            "Никто не сказал мне об изменении.",
        ),
        t(
            "It was cold and crowded.",
            "Było zimno i tłoczno.",
            "Було холодно і тісно.",
            "Было холодно и тесно.",
        ),
    ),
}
