"""Demo data: a situation catalogue named in the operator's language with prepared reactions in
all four, match rules, and a month of mentions read from the Atom file shipped here (no
network) in mixed languages as real ones come, some answered in time, some late, some still
open; one mention by a known client."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from kliento.clients import selectors as clients
from kliento.core.demo import DemoOptions, pick
from kliento.mentions import parsing
from kliento.mentions.demo_texts import CATALOGUE, CLIENT_REVIEW, NOTED
from kliento.mentions.models import MatchRule, Mention, Situation
from kliento.mentions.services import answering, intake

FEED_FILE = Path(__file__).parent / "demo_data" / "mentions.atom"


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
        for entry in CATALOGUE:
            situation = Situation.objects.create(
                name=pick(entry.name, options.language),
                kind=entry.kind,
                deadline_minutes=entry.minutes,
                owner=users.get(entry.owner, fallback),
                approver=users.get("marta"),
                steps=pick(entry.steps, options.language),
                **{f"reaction_{code}": text for code, text in entry.reactions.items()},
            )
            for rule in entry.rules:
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
                text = answering.prefill(mention) or pick(NOTED, mention.language)
                answering.answer(actor=mention.owner, mention=mention, text=text)
                took = dt.timedelta(minutes=rng.randint(5, int(matched.deadline_minutes * 1.4)))
                Mention.objects.filter(pk=mention.pk).update(answered_at=arrived + took)
        _client_mention(now, options.language)
    options.report(
        f"Information field: {Mention.objects.count()} mentions, {len(CATALOGUE)} situations."
    )


def _client_mention(now: dt.datetime, language: str) -> None:
    """A review by a client whose e-mail is on their card, in the client's language: it lands on
    the card's timeline."""
    for client_id in clients.client_ids_after(0, limit=50):
        emails = [c.value for c in clients.contacts(client_id) if c.kind == "email"]
        if emails:
            client = clients.client(client_id)
            own = client.language if client and client.language in CLIENT_REVIEW else language
            title, text = CLIENT_REVIEW.get(own) or CLIENT_REVIEW["en"]
            intake.receive(
                actor=None,
                draft=intake.MentionDraft(
                    source="reviews",
                    external_id="demo-client-review",
                    text=text,
                    title=title,
                    author_contact=emails[0],
                    rating=2,
                    language=own,
                ),
                origin=Mention.Origin.API,
                now=now - dt.timedelta(hours=1),
            )
            return
