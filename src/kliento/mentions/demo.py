"""Demo data: a situation catalogue with prepared reactions in four languages, match rules,
and a month of mentions read from the Atom file shipped here (no network), some answered in
time, some late, some still open; one mention by a known client."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions
from kliento.mentions import parsing
from kliento.mentions.models import MatchRule, Mention, Situation
from kliento.mentions.services import answering, intake

FEED_FILE = Path(__file__).parent / "demo_data" / "mentions.atom"
SORRY = {
    "en": "Dear {author}, we are sorry for your experience. We have passed it to the manager "
    "and will call you today to put it right.",
    "ru": "{author}, нам жаль, что так получилось. Мы передали ваш отзыв руководителю и "
    "сегодня свяжемся с вами, чтобы всё исправить.",
    "uk": "{author}, нам прикро, що так сталося. Ми передали ваш відгук керівнику і сьогодні "
    "зв'яжемося з вами, щоб усе виправити.",
    "pl": "{author}, przykro nam z powodu tej sytuacji. Przekazaliśmy opinię kierownikowi i "
    "jeszcze dziś skontaktujemy się, aby to naprawić.",
}
THANKS = {
    "en": "Thank you, {author}! We are glad you liked it and will pass your words to the team.",
    "ru": "Спасибо, {author}! Рады, что вам понравилось, передадим ваши слова команде.",
    "uk": "Дякуємо, {author}! Раді, що вам сподобалося, передамо ваші слова команді.",
    "pl": "Dziękujemy, {author}! Cieszymy się i przekażemy Twoje słowa zespołowi.",
}
STATUS = {
    "en": "We know about the problem and are fixing it; we will post an update within the hour.",
    "ru": "Мы знаем о проблеме и уже исправляем её; обновление будет в течение часа.",
    "uk": "Ми знаємо про проблему і вже її виправляємо; оновлення буде протягом години.",
    "pl": "Wiemy o problemie i już go naprawiamy; aktualizacja w ciągu godziny.",
}
# (name, kind, deadline minutes, owner, steps, reactions, rules)
CATALOGUE = [
    ("Negative review", "negative_review", 240, "olena",
     "Read the whole review and the client's history\nAnswer publicly with the prepared reaction\n"
     "Call the client if they can be found\nOpen a case when something must be fixed",
     SORRY, [dict(position=10, sentiment="negative", source="reviews")]),
    ("Outage reports", "outage", 60, "marta",
     "Check the status with IT\nPost the status answer\nUpdate when it is fixed",
     STATUS, [dict(position=5, keywords="down, outage, не работает, не працює, nie działa")]),
    ("Competitor's campaign", "competitor", 1440, "piotr",
     "Tell the sales team\nPrepare a retention offer for clients at risk", {},
     [dict(position=20, keywords="fitplus, competitor, конкурент, konkurencja")]),
    ("Press question", "press", 480, "marta",
     "Do not answer on your own: forward to the head of service\nAgree the comment, then answer",
     {}, [dict(position=15, source="press")]),
    ("Price change questions", "price", 1440, "piotr",
     "Answer with the published price list", {},
     [dict(position=30, keywords="price, цен, cen")]),
    ("Positive review", "positive_review", 2880, "olena",
     "Thank the author", THANKS, [dict(position=40, sentiment="positive")]),
]  # fmt: skip


def load(options: DemoOptions) -> None:
    if Situation.objects.exists():
        options.report("Information field: already there.")
        return
    users = {u.username: u for u in get_user_model().objects.filter(is_active=True)}
    fallback = next(iter(clients.staff().order_by("pk")), None)
    if fallback is None:
        return
    rng = random.Random(13)
    now = timezone.now()
    with transaction.atomic():
        for name, kind, minutes, owner, steps, reactions, rules in CATALOGUE:
            situation = Situation.objects.create(
                name=name,
                kind=kind,
                deadline_minutes=minutes,
                owner=users.get(owner, fallback),
                approver=users.get("marta"),
                steps=steps,
                **{f"reaction_{code}": text for code, text in reactions.items()},
            )
            for rule in rules:
                MatchRule.objects.create(situation=situation, **rule)
        document = parsing.parse(FEED_FILE.read_bytes(), source="demo", by_category=True)
        for index, draft in enumerate(document.drafts):
            arrived = now - dt.timedelta(days=rng.randint(0, 28), minutes=rng.randint(0, 1440))
            if index < 3:  # a few recent ones still waiting
                arrived = now - dt.timedelta(minutes=20 + 40 * index)
            received = intake.receive(
                actor=None, draft=draft, origin=Mention.Origin.FEED, now=arrived
            )
            mention = received.mention
            matched = mention.situation
            if index >= 3 and matched is not None and rng.random() < 0.8:
                text = answering.prefill(mention) or "Thank you for letting us know."
                answering.answer(actor=mention.owner, mention=mention, text=text)
                took = dt.timedelta(minutes=rng.randint(5, int(matched.deadline_minutes * 1.4)))
                Mention.objects.filter(pk=mention.pk).update(answered_at=arrived + took)
        _client_mention(now)
    options.report(
        f"Information field: {Mention.objects.count()} mentions, {len(CATALOGUE)} situations."
    )


def _client_mention(now: dt.datetime) -> None:
    """A review by a client whose e-mail is on their card: it lands on the card's timeline."""
    for client_id in clients.client_ids_after(0, limit=50):
        emails = [c.value for c in clients.contacts(client_id) if c.kind == "email"]
        if emails:
            intake.receive(
                actor=None,
                draft=intake.MentionDraft(
                    source="reviews",
                    external_id="demo-client-review",
                    text="The trainer was rude and my booking disappeared. Disappointed.",
                    title="Booking lost",
                    author_contact=emails[0],
                    rating=2,
                    language="en",
                ),
                origin=Mention.Origin.API,
                now=now - dt.timedelta(hours=1),
            )
            return
