"""Sentiment and its explanation, matching rules, the client link, answers, cases, deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import Notification
from kliento.mentions import sentiment
from kliento.mentions.models import MatchRule, Mention
from kliento.mentions.services import answering, deadlines, intake
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.mentions_support import make_situation

pytestmark = pytest.mark.django_db


def _receive(**kw) -> Mention:
    values = {"source": "reviews", "text": "Okay."} | kw
    return intake.receive(actor=None, draft=intake.MentionDraft(**values), origin="api").mention


@pytest.mark.parametrize(
    ("text", "language", "rating", "mood", "rule", "words"),
    [
        ("Terrible wait, rude staff", "en", None, "negative", "words", ["terrible", "rude"]),
        ("The staff were not helpful", "en", None, "negative", "words", ["not helpful"]),
        ("Great team, thank you", "en", None, "positive", "words", []),
        (
            "Ужасное обслуживание, никогда больше",
            "ru",
            None,
            "negative",
            "words",
            ["ужасное", "никогда"],
        ),
        ("Чудовий сервіс, дякую", "uk", None, "positive", "words", []),
        ("Fatalna obsługa, nie działa", "pl", None, "negative", "words", ["nie działa", "fatalna"]),
        ("Great team, thank you", "en", 1, "negative", "rating", []),
        ("Terrible", "en", 5, "positive", "rating", ["terrible"]),
        ("We opened on Monday", "en", None, "neutral", "none", []),
    ],
)
def test_sentiment_says_which_words_or_rating_decided(text, language, rating, mood, rule, words):
    verdict = sentiment.judge(text, language, rating)
    assert (verdict.sentiment, verdict.rule) == (mood, rule)
    assert sorted(verdict.negative) == sorted(words)
    assert verdict.reason()["rating"] == rating


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello there", "en"),
        ("Привет, это отзыв", "ru"),
        ("Дякую, це відгук", "uk"),
        ("Dziękuję, świetnie", "pl"),
    ],
)
def test_the_language_is_guessed_from_the_letters(text, language):
    assert sentiment.guess_language(text) == language


def test_the_explanation_is_stored_and_shown(as_manager):
    mention = _receive(text="<p>Terrible service <script>alert(1)</script></p>", rating=None)
    assert mention.text == "Terrible service"
    assert mention.sentiment_reason == {
        "rule": "words",
        "rating": None,
        "positive": [],
        "negative": ["terrible"],
    }
    page = as_manager.get(f"/mentions/{mention.pk}/")
    assert "terrible" in page.content.decode() and "<script>" not in page.content.decode()


def test_the_first_rule_in_order_that_holds_wins():
    outage = make_situation(minutes=30, keywords="down, outage", position=5)
    review = make_situation(minutes=240, source="reviews", rating_at_most=2, position=10)
    assert _receive(text="The app is down", rating=1).situation == outage
    assert _receive(text="Long queue", rating=2).situation == review
    assert _receive(text="Long queue", rating=3).situation is None
    assert _receive(source="forum", text="Long queue", rating=1).situation is None
    review.active = False
    review.save()
    assert _receive(text="Another long queue", rating=1).situation is None


def test_a_matched_mention_is_assigned_and_its_owner_notified():
    situation = make_situation(minutes=45)
    now = timezone.now()
    mention = intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="reviews", text="Awful, rude"),
        origin="api",
        now=now,
    ).mention
    assert mention.owner == situation.owner and mention.due_at == now + dt.timedelta(minutes=45)
    assert Notification.objects.filter(recipient=situation.owner, kind=intake.ASSIGNED).count() == 1


def test_the_same_source_and_id_is_one_mention():
    first = intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="Reviews", text="a", external_id="x1"),
        origin="api",
    )
    again = intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="reviews", text="b", external_id="x1"),
        origin="api",
    )
    assert first.created and not again.created and again.mention.pk == first.mention.pk
    assert Mention.objects.count() == 1


def test_bad_input_is_refused_field_by_field():
    with pytest.raises(ValidationError) as caught:
        _receive(source=" ", text="", rating=9, language="de", url="javascript:alert(1)")
    assert set(caught.value.message_dict) == {"source", "text", "rating", "language", "url"}
    assert Mention.objects.count() == 0


def test_a_known_client_gets_the_mention_on_the_card_and_timeline():
    client = ClientFactory()
    ContactFactory(client=client, kind="email", value="ann@example.com")
    other = ClientFactory()
    ContactFactory(client=other, kind="messenger", value="@annfit")
    by_mail = _receive(author_contact="Ann@Example.com", text="Rude staff")
    by_handle = _receive(author_contact="@annfit", text="Rude staff")
    nobody = _receive(author_contact="stranger@example.com", text="Rude staff")
    assert by_mail.client_id == client.pk and by_handle.client_id == other.pk
    assert nobody.client_id is None
    entry = TimelineEntry.objects.get(client=client, kind=intake.TIMELINE_MENTIONED)
    assert entry.data["mention"] == by_mail.pk


def test_two_cards_with_the_same_contact_link_none():
    for _ in range(2):
        ContactFactory(client=ClientFactory(), kind="email", value="shared@example.com")
    assert _receive(author_contact="shared@example.com").client_id is None


def test_the_answer_is_prefilled_in_the_mentions_language_and_saved():
    situation = make_situation()
    mention = _receive(text="Ужасно и грубо", author="Ирина")
    assert mention.language == "ru" and mention.situation == situation
    assert answering.prefill(mention) == "Ирина, нам жаль."
    done = answering.answer(
        actor=situation.owner, mention=mention, text="Ирина, нам жаль. Позвоним."
    )
    assert done.status == "answered" and done.answered_by == situation.owner
    with pytest.raises(ValidationError):
        answering.answer(actor=situation.owner, mention=mention, text="again")


def test_only_the_owner_or_a_manager_answers():
    situation = make_situation()
    mention = _receive(text="Awful")
    with pytest.raises(PermissionDenied):
        answering.answer(actor=UserFactory(role=roles.AGENT), mention=mention, text="Hi")
    with pytest.raises(PermissionDenied):
        answering.answer(actor=UserFactory(role=roles.AUDITOR), mention=mention, text="Hi")
    manager = UserFactory(role=roles.MANAGER)
    assert answering.answer(actor=manager, mention=mention, text="Hi").status == "answered"
    assert situation.owner != manager


def test_an_answer_of_a_clients_mention_goes_on_the_timeline():
    client = ClientFactory()
    ContactFactory(client=client, kind="email", value="bo@example.com")
    situation = make_situation()
    mention = _receive(text="Awful", author_contact="bo@example.com")
    answering.answer(actor=situation.owner, mention=mention, text="Sorry, Bo")
    assert (
        TimelineEntry.objects.filter(client=client, kind=answering.TIMELINE_ANSWERED).count() == 1
    )


def test_a_mention_opens_a_case_once_and_links_back():
    manager = UserFactory(role=roles.MANAGER)
    mention = _receive(text="My booking vanished", author="Olga", author_contact="olga@example.com")
    case = answering.open_case(actor=manager, mention=mention)
    again = answering.open_case(actor=manager, mention=mention)
    mention.refresh_from_db()
    assert again.pk == case.pk and mention.case_id == case.pk
    assert mention.client_id == case.client_id
    assert case.messages.get().body_text.startswith("My booking vanished")


def test_deadline_notices_are_sent_once():
    situation = make_situation(minutes=60)
    manager = UserFactory(role=roles.MANAGER)
    start = timezone.now()
    mention = intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="reviews", text="Awful"),
        origin="api",
        now=start,
    ).mention
    assert deadlines.check_deadlines(now=start + dt.timedelta(minutes=30)) == {
        "warned": 0,
        "escalated": 0,
    }
    assert deadlines.check_deadlines(now=start + dt.timedelta(minutes=50)) == {
        "warned": 1,
        "escalated": 0,
    }
    assert deadlines.check_deadlines(now=start + dt.timedelta(minutes=55)) == {
        "warned": 0,
        "escalated": 0,
    }
    assert deadlines.check_deadlines(now=start + dt.timedelta(minutes=61)) == {
        "warned": 0,
        "escalated": 1,
    }
    assert deadlines.check_deadlines(now=start + dt.timedelta(minutes=90)) == {
        "warned": 0,
        "escalated": 0,
    }
    kinds = list(
        Notification.objects.filter(recipient=situation.owner).values_list("kind", flat=True)
    )
    assert sorted(kinds) == sorted([intake.ASSIGNED, deadlines.DUE_SOON, deadlines.OVERDUE])
    assert Notification.objects.filter(recipient=manager, kind=deadlines.OVERDUE).count() == 1
    assert Mention.objects.get(pk=mention.pk).escalated_at is not None


def test_an_answered_mention_is_never_escalated():
    situation = make_situation(minutes=60)
    start = timezone.now()
    mention = intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="reviews", text="Awful"),
        origin="api",
        now=start,
    ).mention
    answering.answer(actor=situation.owner, mention=mention, text="Sorry")
    assert deadlines.check_deadlines(now=start + dt.timedelta(hours=5)) == {
        "warned": 0,
        "escalated": 0,
    }


def test_rules_without_conditions_match_everything():
    situation = make_situation()
    MatchRule.objects.filter(situation=situation).update(sentiment="")
    assert _receive(text="Hello").situation == situation
