"""What the demo cases say: the dance school's clients write in their own language (en, ru, uk,
pl) and are answered in it; internal notes are in the operator's language."""

from __future__ import annotations

from dataclasses import dataclass

T = dict[str, str]


def pick(text: T, language: str) -> str:
    return text.get(language) or text["en"]


@dataclass(frozen=True)
class Scenario:
    subject: T
    question: T
    reply: T
    follow_up: T
    kind: str = "question"
    tags: tuple[str, ...] = ()


SCENARIOS: list[Scenario] = [
    Scenario(
        subject={
            "en": "Refund for a cancelled class",
            "pl": "Zwrot za odwołane zajęcia",
            "uk": "Повернення коштів за скасоване заняття",
            "ru": "Возврат за отменённое занятие",
        },
        question={
            "en": "Saturday's salsa class was cancelled an hour before. Can I get my money back?",
            "pl": "Sobotnia salsa została odwołana godzinę przed. Czy mogę dostać zwrot?",
            "uk": "Суботню сальсу скасували за годину до початку. Чи можна повернути гроші?",
            "ru": "Субботнюю сальсу отменили за час до начала. Можно вернуть деньги?",
        },
        reply={
            "en": "We are sorry for the late notice. The refund is on its way to your card.",
            "pl": "Przepraszamy za późną informację. Zwrot jest już w drodze na Twoją kartę.",
            "uk": "Перепрошуємо за пізнє повідомлення. Кошти вже повертаються на вашу картку.",
            "ru": "Извините за позднее уведомление. Деньги уже возвращаются на вашу карту.",
        },
        follow_up={
            "en": "Thank you, I can see it now.",
            "pl": "Dziękuję, już widzę.",
            "uk": "Дякую, вже бачу.",
            "ru": "Спасибо, уже вижу.",
        },
        kind="claim",
        tags=("refund",),
    ),
    Scenario(
        subject={
            "en": "Moving to the evening group",
            "pl": "Przejście do grupy wieczornej",
            "uk": "Перехід до вечірньої групи",
            "ru": "Переход в вечернюю группу",
        },
        question={
            "en": "I started a new job. Is there a place in the Tuesday evening group?",
            "pl": "Zaczęłam nową pracę. Czy jest miejsce we wtorkowej grupie wieczornej?",
            "uk": "Я почала нову роботу. Чи є місце у вівторковій вечірній групі?",
            "ru": "Я вышла на новую работу. Есть ли место во вторничной вечерней группе?",
        },
        reply={
            "en": "There is one place left from next week. Shall we move you?",
            "pl": "Od przyszłego tygodnia zostało jedno miejsce. Przenieść Cię?",
            "uk": "З наступного тижня залишилося одне місце. Переводимо вас?",
            "ru": "Со следующей недели осталось одно место. Переводим вас?",
        },
        follow_up={
            "en": "Yes, please!",
            "pl": "Tak, poproszę!",
            "uk": "Так, будь ласка!",
            "ru": "Да, пожалуйста!",
        },
        kind="request",
        tags=("timetable",),
    ),
    Scenario(
        subject={
            "en": "Invoice for my company",
            "pl": "Faktura na firmę",
            "uk": "Рахунок-фактура на компанію",
            "ru": "Счёт-фактура на компанию",
        },
        question={
            "en": "Could you invoice the monthly pass to my company? The tax id is attached.",
            "pl": "Czy możecie wystawić fakturę za karnet na moją firmę? NIP w załączeniu.",
            "uk": "Чи можете виставити рахунок за абонемент на мою компанію? Реквізити додаю.",
            "ru": "Можете выставить счёт за абонемент на мою компанию? Реквизиты прилагаю.",
        },
        reply={
            "en": "Of course. The invoice will be in your mailbox tomorrow.",
            "pl": "Oczywiście. Faktura będzie jutro w Twojej skrzynce.",
            "uk": "Звісно. Рахунок буде у вашій скриньці завтра.",
            "ru": "Конечно. Счёт будет у вас в почте завтра.",
        },
        follow_up={
            "en": "The company name is misspelt on it, could you correct it?",
            "pl": "Nazwa firmy jest z błędem, czy możecie poprawić?",
            "uk": "У назві компанії помилка, виправте, будь ласка.",
            "ru": "В названии компании ошибка, исправьте, пожалуйста.",
        },
        kind="request",
        tags=("invoice",),
    ),
    Scenario(
        subject={
            "en": "The hall was cold again",
            "pl": "Znowu zimno na sali",
            "uk": "У залі знову холодно",
            "ru": "В зале опять холодно",
        },
        question={
            "en": "Third week in a row the big hall is cold in the evening. We dance in jackets.",
            "pl": "Trzeci tydzień z rzędu duża sala jest wieczorem zimna. Tańczymy w kurtkach.",
            "uk": "Третій тиждень поспіль увечері у великій залі холодно. Танцюємо в куртках.",
            "ru": "Третью неделю подряд вечером в большом зале холодно. Танцуем в куртках.",
        },
        reply={
            "en": "Thank you for telling us. The heating is being repaired this week.",
            "pl": "Dziękujemy za sygnał. Ogrzewanie jest naprawiane w tym tygodniu.",
            "uk": "Дякуємо, що повідомили. Опалення ремонтують цього тижня.",
            "ru": "Спасибо, что сообщили. Отопление ремонтируют на этой неделе.",
        },
        follow_up={
            "en": "Still cold yesterday.",
            "pl": "Wczoraj nadal było zimno.",
            "uk": "Вчора все ще було холодно.",
            "ru": "Вчера всё ещё было холодно.",
        },
        kind="complaint",
        tags=("premises", "complaint"),
    ),
    Scenario(
        subject={
            "en": "Lost scarf in the locker room",
            "pl": "Zgubiony szal w szatni",
            "uk": "Загублений шарф у роздягальні",
            "ru": "Потерянный шарф в раздевалке",
        },
        question={
            "en": "I left a blue scarf in the locker room on Thursday. Has anyone found it?",
            "pl": "W czwartek zostawiłam w szatni niebieski szal. Czy ktoś go znalazł?",
            "uk": "У четвер я залишила в роздягальні синій шарф. Хтось його знайшов?",
            "ru": "В четверг я оставила в раздевалке синий шарф. Его кто-нибудь нашёл?",
        },
        reply={
            "en": "Yes, it is waiting for you at the front desk.",
            "pl": "Tak, czeka na Ciebie w recepcji.",
            "uk": "Так, він чекає на вас на рецепції.",
            "ru": "Да, он ждёт вас на ресепшене.",
        },
        follow_up={
            "en": "Great, I will pick it up tonight.",
            "pl": "Super, odbiorę dziś wieczorem.",
            "uk": "Чудово, заберу сьогодні ввечері.",
            "ru": "Отлично, заберу сегодня вечером.",
        },
    ),
    Scenario(
        subject={
            "en": "Freezing my pass for a month",
            "pl": "Zawieszenie karnetu na miesiąc",
            "uk": "Заморожування абонемента на місяць",
            "ru": "Заморозка абонемента на месяц",
        },
        question={
            "en": "I broke my ankle. Can my pass be frozen until I recover?",
            "pl": "Skręciłam kostkę. Czy mogę zawiesić karnet do wyzdrowienia?",
            "uk": "Я зламала щиколотку. Чи можна заморозити абонемент до одужання?",
            "ru": "Я сломала лодыжку. Можно заморозить абонемент до выздоровления?",
        },
        reply={
            "en": "Get well soon! Please send us the doctor's note and we will freeze it.",
            "pl": "Zdrowiej szybko! Prześlij proszę zwolnienie, a zawiesimy karnet.",
            "uk": "Одужуйте! Надішліть, будь ласка, довідку від лікаря, і ми заморозимо.",
            "ru": "Выздоравливайте! Пришлите, пожалуйста, справку, и мы заморозим.",
        },
        follow_up={
            "en": "I will send it once I have it.",
            "pl": "Wyślę, jak tylko dostanę.",
            "uk": "Надішлю, щойно отримаю.",
            "ru": "Пришлю, как только получу.",
        },
        kind="request",
        tags=("pass",),
    ),
    Scenario(
        subject={
            "en": "Private lessons before our wedding",
            "pl": "Lekcje indywidualne przed ślubem",
            "uk": "Індивідуальні уроки перед весіллям",
            "ru": "Индивидуальные уроки перед свадьбой",
        },
        question={
            "en": "We are getting married in June and would like a first dance. What do you offer?",
            "pl": "W czerwcu bierzemy ślub i chcemy pierwszy taniec. Co możecie zaproponować?",
            "uk": "У червні в нас весілля, хочемо перший танець. Що ви пропонуєте?",
            "ru": "В июне у нас свадьба, хотим первый танец. Что вы предлагаете?",
        },
        reply={
            "en": "Congratulations! Our package is six private lessons; here are the free slots.",
            "pl": "Gratulacje! Pakiet to sześć lekcji indywidualnych; oto wolne terminy.",
            "uk": "Вітаємо! Пакет — шість індивідуальних уроків; ось вільні години.",
            "ru": "Поздравляем! Пакет — шесть индивидуальных уроков; вот свободное время.",
        },
        follow_up={
            "en": "Saturdays at 10 would suit us best.",
            "pl": "Najlepiej soboty o 10.",
            "uk": "Нам найкраще по суботах о 10.",
            "ru": "Нам удобнее всего по субботам в 10.",
        },
        kind="request",
        tags=("sales",),
    ),
    Scenario(
        subject={
            "en": "Payment for the pass failed",
            "pl": "Płatność za karnet nie przeszła",
            "uk": "Оплата абонемента не пройшла",
            "ru": "Оплата абонемента не прошла",
        },
        question={
            "en": "The online payment failed twice but the money left my account.",
            "pl": "Płatność online dwa razy się nie udała, a pieniądze zeszły z konta.",
            "uk": "Онлайн-оплата двічі не пройшла, а гроші з рахунку списали.",
            "ru": "Онлайн-оплата дважды не прошла, а деньги со счёта списали.",
        },
        reply={
            "en": "We see one payment on our side; the second will be returned by the bank.",
            "pl": "Widzimy u nas jedną płatność; drugą bank zwróci automatycznie.",
            "uk": "Ми бачимо один платіж; другий банк поверне автоматично.",
            "ru": "Мы видим один платёж; второй банк вернёт автоматически.",
        },
        follow_up={
            "en": "It is still not back after a week.",
            "pl": "Po tygodniu nadal nie wróciło.",
            "uk": "Через тиждень кошти так і не повернулися.",
            "ru": "Через неделю деньги так и не вернулись.",
        },
        kind="claim",
        tags=("payment", "refund"),
    ),
]

NOTES: list[T] = [
    {
        "en": "Checked the booking system: the client is right.",
        "pl": "Sprawdzone w systemie rezerwacji: klient ma rację.",
        "uk": "Перевірено в системі бронювання: клієнт має рацію.",
        "ru": "Проверено в системе бронирования: клиент прав.",
    },
    {
        "en": "Asked accounting to confirm before we answer.",
        "pl": "Poprosiłam księgowość o potwierdzenie przed odpowiedzią.",
        "uk": "Попросила бухгалтерію підтвердити перед відповіддю.",
        "ru": "Попросила бухгалтерию подтвердить перед ответом.",
    },
    {
        "en": "Regular client for three years, handle with care.",
        "pl": "Stały klient od trzech lat, proszę o szczególną uwagę.",
        "uk": "Постійний клієнт уже три роки, будьте уважні.",
        "ru": "Постоянный клиент уже три года, отнеситесь внимательно.",
    },
]

CALL_NOTES: T = {
    "en": "Called the client back and explained the next steps.",
    "pl": "Oddzwoniłam do klienta i wyjaśniłam kolejne kroki.",
    "uk": "Передзвонила клієнту й пояснила подальші кроки.",
    "ru": "Перезвонила клиенту и объяснила дальнейшие шаги.",
}

SLA_POLICY: T = {
    "en": "Standard",
    "pl": "Standardowa",
    "uk": "Стандартна",
    "ru": "Стандартная",
}
