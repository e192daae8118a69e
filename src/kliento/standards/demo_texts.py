"""The demo company's standards book and mission, written for Rytm Dance School in Kliento's
four languages. Each text is a dict language → text; the loader picks the operator's language."""

from __future__ import annotations

from typing import Any

T = dict[str, str]

MISSION: T = {
    "en": "We help every student feel at home on the dance floor: we know them by name, keep "
    "our promises and make every visit worth coming back for.",
    "pl": "Pomagamy każdemu kursantowi poczuć się na parkiecie jak u siebie: znamy go z imienia, "
    "dotrzymujemy obietnic i sprawiamy, że każda wizyta zachęca do powrotu.",
    "uk": "Ми допомагаємо кожному учневі почуватися на паркеті як удома: знаємо його на ім'я, "
    "тримаємо слово і робимо кожен візит таким, щоб хотілося повернутися.",
    "ru": "Мы помогаем каждому ученику чувствовать себя на паркете как дома: знаем его по имени, "
    "держим слово и делаем каждый визит таким, чтобы хотелось вернуться.",
}

CRITERIA: T = {
    "en": "Short enough to say in one breath. About the student, not about us. Every employee "
    "can tell what it asks of them today.",
    "pl": "Na tyle krótka, by powiedzieć ją jednym tchem. O kursancie, nie o nas. Każdy "
    "pracownik wie, czego wymaga od niego dzisiaj.",
    "uk": "Досить коротка, щоб сказати на одному диханні. Про учня, а не про нас. Кожен "
    "працівник розуміє, чого вона вимагає від нього сьогодні.",
    "ru": "Достаточно короткая, чтобы сказать на одном дыхании. Об ученике, а не о нас. Каждый "
    "сотрудник понимает, чего она требует от него сегодня.",
}

PROPOSALS: list[tuple[str, T]] = [
    (
        "olena",
        {
            "en": "Every student leaves the class a little happier than they came.",
            "pl": "Każdy kursant wychodzi z zajęć trochę szczęśliwszy, niż przyszedł.",
            "uk": "Кожен учень іде з заняття трохи щасливішим, ніж прийшов.",
            "ru": "Каждый ученик уходит с занятия немного счастливее, чем пришёл.",
        },
    ),
    ("piotr", MISSION),
    (
        "iryna",
        {
            "en": "The best dance school in town, with the friendliest team.",
            "pl": "Najlepsza szkoła tańca w mieście, z najżyczliwszym zespołem.",
            "uk": "Найкраща школа танцю в місті з найпривітнішою командою.",
            "ru": "Лучшая школа танца в городе с самой дружелюбной командой.",
        },
    ),
]

COMMENTS: list[tuple[str, T]] = [
    (
        "jakub",
        {
            "en": "“Best in town” is about us, not the student — it fails the second criterion.",
            "pl": "„Najlepsza w mieście” mówi o nas, nie o kursancie — nie spełnia drugiego "
            "kryterium.",
            "uk": "«Найкраща в місті» — це про нас, а не про учня: не відповідає другому критерію.",
            "ru": "«Лучшая в городе» — это о нас, а не об ученике: не проходит второй критерий.",
        },
    ),
    (
        "ewa",
        {
            "en": "“Keep our promises” is something we can check: class times, refunds, callbacks.",
            "pl": "„Dotrzymujemy obietnic” da się sprawdzić: godziny zajęć, zwroty, oddzwonienia.",
            "uk": "«Тримаємо слово» можна перевірити: розклад, повернення коштів, "
            "зворотні дзвінки.",
            "ru": "«Держим слово» можно проверить: расписание, возвраты, обратные звонки.",
        },
    ),
]

# kind, title, body, scripts, roles, channels, position
BOOK: list[dict[str, Any]] = [
    {
        "kind": "glossary",
        "title": {
            "en": "Trial class",
            "pl": "Lekcja próbna",
            "uk": "Пробне заняття",
            "ru": "Пробное занятие",
        },
        "body": {
            "en": "A first class a newcomer attends free of charge, in a group that matches "
            "their level, before buying a pass.",
            "pl": "Pierwsze bezpłatne zajęcia dla nowej osoby, w grupie na jej poziomie, przed "
            "zakupem karnetu.",
            "uk": "Перше безкоштовне заняття для новачка в групі його рівня до купівлі абонемента.",
            "ru": "Первое бесплатное занятие для новичка в группе его уровня до покупки "
            "абонемента.",
        },
    },
    {
        "kind": "glossary",
        "title": {"en": "Pass", "pl": "Karnet", "uk": "Абонемент", "ru": "Абонемент"},
        "body": {
            "en": "A paid set of classes (4, 8 or unlimited per month) valid for 30 days from "
            "the first class.",
            "pl": "Opłacony pakiet zajęć (4, 8 lub bez limitu w miesiącu), ważny 30 dni od "
            "pierwszych zajęć.",
            "uk": "Оплачений пакет занять (4, 8 або безліміт на місяць), дійсний 30 днів від "
            "першого заняття.",
            "ru": "Оплаченный пакет занятий (4, 8 или безлимит в месяц), действует 30 дней с "
            "первого занятия.",
        },
    },
    {
        "kind": "glossary",
        "title": {
            "en": "Make-up class",
            "pl": "Odrabianie",
            "uk": "Відпрацювання",
            "ru": "Отработка",
        },
        "body": {
            "en": "A class in another group that replaces one the student missed, booked "
            "through the front desk at least 3 hours ahead.",
            "pl": "Zajęcia w innej grupie zamiast opuszczonych, rezerwowane w recepcji co "
            "najmniej 3 godziny wcześniej.",
            "uk": "Заняття в іншій групі замість пропущеного, бронюється на рецепції щонайменше "
            "за 3 години.",
            "ru": "Занятие в другой группе вместо пропущенного, бронируется на ресепшене минимум "
            "за 3 часа.",
        },
    },
    {
        "kind": "general",
        "title": {
            "en": "Who this book is for",
            "pl": "Dla kogo jest ta księga",
            "uk": "Для кого ця книга",
            "ru": "Для кого эта книга",
        },
        "body": {
            "en": "The book applies to everyone who talks to students, parents and event "
            "clients: front desk, sales, instructors and managers.\n\n"
            "- A standard is **binding** from the day it is published.\n"
            "- If a standard does not work in a real situation, follow it, then *ask for a "
            "revision* on its page and describe what happened.\n"
            "- Each standard has an owner who answers questions about it.",
            "pl": "Księga dotyczy wszystkich, którzy rozmawiają z kursantami, rodzicami i "
            "klientami wydarzeń: recepcji, sprzedaży, instruktorów i menedżerów.\n\n"
            "- Standard **obowiązuje** od dnia publikacji.\n"
            "- Jeśli standard nie działa w realnej sytuacji, zastosuj go, a potem *poproś o "
            "rewizję* na jego stronie i opisz, co się stało.\n"
            "- Każdy standard ma właściciela, który odpowiada na pytania.",
            "uk": "Книга стосується всіх, хто спілкується з учнями, батьками та клієнтами "
            "заходів: рецепції, продажів, інструкторів і менеджерів.\n\n"
            "- Стандарт **обов'язковий** з дня публікації.\n"
            "- Якщо стандарт не спрацьовує в реальній ситуації, виконайте його, а потім "
            "*попросіть перегляд* на його сторінці й опишіть, що сталося.\n"
            "- Кожен стандарт має власника, який відповідає на запитання.",
            "ru": "Книга касается всех, кто общается с учениками, родителями и клиентами "
            "мероприятий: ресепшена, продаж, инструкторов и менеджеров.\n\n"
            "- Стандарт **обязателен** со дня публикации.\n"
            "- Если стандарт не работает в реальной ситуации, выполните его, а затем "
            "*попросите пересмотр* на его странице и опишите, что случилось.\n"
            "- У каждого стандарта есть владелец, который отвечает на вопросы.",
        },
    },
    {
        "kind": "principles",
        "title": {
            "en": "Three promises we keep",
            "pl": "Trzy obietnice, których dotrzymujemy",
            "uk": "Три обіцянки, які ми тримаємо",
            "ru": "Три обещания, которые мы держим",
        },
        "body": {
            "en": "1. **We know you.** We greet every student by name and remember their group.\n"
            "2. **We answer.** A message or a missed call gets an answer the same working day.\n"
            "3. **We fix it.** If a class was cancelled or a pass was charged wrongly, the person "
            "who heard about it owns the problem until it is solved.",
            "pl": "1. **Znamy cię.** Witamy każdego kursanta po imieniu i pamiętamy jego grupę.\n"
            "2. **Odpowiadamy.** Wiadomość lub nieodebrane połączenie dostaje odpowiedź tego "
            "samego dnia roboczego.\n"
            "3. **Naprawiamy.** Jeśli zajęcia odwołano albo karnet źle rozliczono, osoba, która "
            "się o tym dowiedziała, prowadzi sprawę do końca.",
            "uk": "1. **Ми тебе знаємо.** Вітаємо кожного учня на ім'я і пам'ятаємо його групу.\n"
            "2. **Ми відповідаємо.** Повідомлення чи пропущений дзвінок отримує відповідь того "
            "ж робочого дня.\n"
            "3. **Ми виправляємо.** Якщо заняття скасували або абонемент списали неправильно, "
            "той, хто про це почув, веде справу до кінця.",
            "ru": "1. **Мы тебя знаем.** Приветствуем каждого ученика по имени и помним его "
            "группу.\n"
            "2. **Мы отвечаем.** Сообщение или пропущенный звонок получает ответ в тот же "
            "рабочий день.\n"
            "3. **Мы исправляем.** Если занятие отменили или абонемент списали неверно, тот, кто "
            "об этом услышал, ведёт дело до конца.",
        },
    },
    {
        "kind": "communication",
        "title": {
            "en": "Answering the phone",
            "pl": "Odbieranie telefonu",
            "uk": "Відповідь на дзвінок",
            "ru": "Ответ на звонок",
        },
        "channels": ["phone"],
        "body": {
            "en": "Pick up by the third ring. Smile before you speak — it can be heard. Ask for "
            "the caller's name early and use it. Never end a call without a next step: a trial "
            "class booked, a callback time, or a message sent.",
            "pl": "Odbierz najpóźniej po trzecim sygnale. Uśmiechnij się, zanim zaczniesz mówić — "
            "to słychać. Zapytaj o imię na początku i używaj go. Nie kończ rozmowy bez "
            "następnego kroku: zapisu na lekcję próbną, godziny oddzwonienia lub wysłanej "
            "wiadomości.",
            "uk": "Беріть слухавку до третього гудка. Усміхніться, перш ніж говорити, — це чути. "
            "Запитайте ім'я на початку і звертайтеся на ім'я. Не завершуйте розмову без "
            "наступного кроку: запису на пробне заняття, часу зворотного дзвінка або "
            "надісланого повідомлення.",
            "ru": "Берите трубку до третьего гудка. Улыбнитесь, прежде чем говорить, — это "
            "слышно. Спросите имя в начале и обращайтесь по имени. Не заканчивайте разговор без "
            "следующего шага: записи на пробное занятие, времени обратного звонка или "
            "отправленного сообщения.",
        },
        "scripts": [
            {
                "title": {
                    "en": "Greeting",
                    "pl": "Powitanie",
                    "uk": "Привітання",
                    "ru": "Приветствие",
                },
                "text": {
                    "en": "Rytm Dance School, this is {name}. How can I help you?",
                    "pl": "Szkoła Tańca Rytm, mówi {imię}. W czym mogę pomóc?",
                    "uk": "Школа танцю «Ритм», {ім'я}. Чим можу допомогти?",
                    "ru": "Школа танца «Ритм», {имя}. Чем могу помочь?",
                },
            },
            {
                "title": {
                    "en": "Offering a trial class",
                    "pl": "Propozycja lekcji próbnej",
                    "uk": "Пропозиція пробного заняття",
                    "ru": "Предложение пробного занятия",
                },
                "text": {
                    "en": "The easiest way to choose is to try: the first class is free. Shall I "
                    "book you into the beginners' group on Tuesday at 19:00?",
                    "pl": "Najłatwiej wybrać, próbując: pierwsze zajęcia są bezpłatne. Czy zapisać "
                    "Panią/Pana do grupy początkującej we wtorek o 19:00?",
                    "uk": "Найпростіше обрати, спробувавши: перше заняття безкоштовне. Записати "
                    "вас до групи початківців у вівторок о 19:00?",
                    "ru": "Проще всего выбрать, попробовав: первое занятие бесплатное. Записать "
                    "вас в группу начинающих во вторник в 19:00?",
                },
            },
        ],
    },
    {
        "kind": "communication",
        "title": {
            "en": "Handling a complaint",
            "pl": "Przyjmowanie reklamacji",
            "uk": "Робота зі скаргою",
            "ru": "Работа с жалобой",
        },
        "body": {
            "en": "Listen to the end without interrupting. Thank the student for telling us. "
            "Say what you will do and by when, then do it. Log the complaint on the client "
            "card the same day.",
            "pl": "Wysłuchaj do końca, nie przerywając. Podziękuj za zgłoszenie. Powiedz, co "
            "zrobisz i do kiedy, a potem to zrób. Zapisz reklamację w karcie klienta tego "
            "samego dnia.",
            "uk": "Вислухайте до кінця, не перебиваючи. Подякуйте, що учень розповів. Скажіть, "
            "що і до коли ви зробите, — і зробіть. Занотуйте скаргу в картці клієнта того ж "
            "дня.",
            "ru": "Выслушайте до конца, не перебивая. Поблагодарите, что ученик рассказал. "
            "Скажите, что и к какому сроку вы сделаете, — и сделайте. Запишите жалобу в "
            "карточке клиента в тот же день.",
        },
        "scripts": [
            {
                "title": {
                    "en": "Acknowledging the problem",
                    "pl": "Przyjęcie problemu",
                    "uk": "Визнання проблеми",
                    "ru": "Признание проблемы",
                },
                "text": {
                    "en": "Thank you for telling me. I understand why this upset you. I will "
                    "sort it out and call you back by {time} today.",
                    "pl": "Dziękuję, że Pani/Pan o tym mówi. Rozumiem, dlaczego to zdenerwowało. "
                    "Zajmę się tym i oddzwonię dziś do {godzina}.",
                    "uk": "Дякую, що розповіли. Розумію, чому це вас засмутило. Я розберуся і "
                    "передзвоню вам сьогодні до {час}.",
                    "ru": "Спасибо, что рассказали. Понимаю, почему это вас расстроило. Я "
                    "разберусь и перезвоню вам сегодня до {время}.",
                },
            },
        ],
    },
    {
        "kind": "appearance",
        "title": {
            "en": "At the front desk",
            "pl": "W recepcji",
            "uk": "На рецепції",
            "ru": "На ресепшене",
        },
        "roles": ["agent"],
        "body": {
            "en": "- The school's black T-shirt with the Rytm logo, clean dance shoes or "
            "sneakers.\n- A name badge, always visible.\n- The desk is clear: only the schedule, "
            "the pass forms and water for guests.",
            "pl": "- Czarny T-shirt szkoły z logo Rytm, czyste buty taneczne lub sportowe.\n"
            "- Identyfikator zawsze widoczny.\n- Na ladzie tylko grafik, formularze karnetów i "
            "woda dla gości.",
            "uk": "- Чорна футболка школи з логотипом «Ритм», чисте танцювальне взуття або "
            "кросівки.\n- Бейдж з ім'ям завжди на виду.\n- На стійці лише розклад, бланки "
            "абонементів і вода для гостей.",
            "ru": "- Чёрная футболка школы с логотипом «Ритм», чистая танцевальная обувь или "
            "кроссовки.\n- Бейдж с именем всегда на виду.\n- На стойке только расписание, "
            "бланки абонементов и вода для гостей.",
        },
    },
    {
        "kind": "rules",
        "title": {
            "en": "After the trial class",
            "pl": "Po lekcji próbnej",
            "uk": "Після пробного заняття",
            "ru": "После пробного занятия",
        },
        "channels": ["phone", "messenger"],
        "body": {
            "en": "Within 24 hours of a trial class, contact the student: ask how it felt, "
            "answer questions about the pass, and offer the next class in the same group. "
            "If they do not buy a pass, log the reason.",
            "pl": "W ciągu 24 godzin od lekcji próbnej skontaktuj się z kursantem: zapytaj o "
            "wrażenia, odpowiedz na pytania o karnet i zaproponuj kolejne zajęcia w tej samej "
            "grupie. Jeśli nie kupi karnetu, zapisz powód.",
            "uk": "Протягом 24 годин після пробного заняття зв'яжіться з учнем: запитайте про "
            "враження, дайте відповіді про абонемент і запропонуйте наступне заняття в тій самій "
            "групі. Якщо абонемент не купили, занотуйте причину.",
            "ru": "В течение 24 часов после пробного занятия свяжитесь с учеником: спросите о "
            "впечатлениях, ответьте на вопросы об абонементе и предложите следующее занятие в "
            "той же группе. Если абонемент не купили, запишите причину.",
        },
    },
]
