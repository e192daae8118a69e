"""A document's items in one batch (intake.receive_many, what polling uses): the same mentions,
assignments, notifications and timeline entries as item by item, duplicates never created,
and the race with another worker settled by falling back to one item at a time."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import notifications
from kliento.core.models import Notification, NotificationPreference
from kliento.mentions.models import Mention
from kliento.mentions.services import intake
from tests.factories import ClientFactory, ContactFactory, UserFactory
from tests.mentions_support import make_situation

pytestmark = pytest.mark.django_db


def _drafts(*texts: str, contact: str = "") -> list[intake.MentionDraft]:
    return [
        intake.MentionDraft(
            source="Reviews", text=text, external_id=f"urn:{n}", author_contact=contact
        )
        for n, text in enumerate(texts)
    ]


def _many(drafts: list[intake.MentionDraft]) -> intake.Batch:
    return intake.receive_many(actor=None, drafts=drafts, origin="feed", now=timezone.now())


def test_a_batch_writes_what_item_by_item_would():
    situation = make_situation(minutes=30)
    client = ClientFactory()
    ContactFactory(client=client, kind="email", value="ann@example.com")
    batch = _many(_drafts("Rude staff, awful", "Great, thank you", contact="ann@example.com"))
    assert (len(batch.created), batch.duplicates, batch.skipped) == (2, 0, 0)
    bad = Mention.objects.get(external_id="urn:0")
    good = Mention.objects.get(external_id="urn:1")
    assert bad.source == "reviews" and bad.sentiment == "negative" and good.sentiment == "positive"
    assert bad.situation == situation and bad.owner == situation.owner and bad.due_at
    assert good.situation is None and good.owner is None
    assert bad.client_id == good.client_id == client.pk
    (notice,) = Notification.objects.filter(kind=intake.ASSIGNED)
    assert notice.recipient == situation.owner
    assert notice.target_url == reverse("mentions:detail", args=[bad.pk])
    assert notice.params["situation"] == situation.name
    entries = TimelineEntry.objects.filter(client=client, kind=intake.TIMELINE_MENTIONED)
    assert sorted(e.data["mention"] for e in entries) == sorted([bad.pk, good.pk])


def test_known_repeated_and_empty_items_are_not_created():
    _many(_drafts("Rude staff"))
    drafts = [
        *_drafts("Rude staff", "A new one"),
        intake.MentionDraft(source="reviews", text="A new one again", external_id="urn:1"),
        intake.MentionDraft(source="reviews", text="   ", external_id="urn:empty"),
    ]
    batch = _many(drafts)
    assert (len(batch.created), batch.duplicates, batch.skipped) == (1, 2, 1)
    assert Mention.objects.count() == 2
    assert Mention.objects.get(external_id="urn:1").text == "A new one"


def test_an_item_stored_by_another_worker_meanwhile_is_not_created_twice(monkeypatch):
    situation = make_situation()
    # Another worker stores urn:1 after this batch looked for known ids.
    monkeypatch.setattr(intake, "_known", lambda keys: set())
    intake.receive(
        actor=None,
        draft=intake.MentionDraft(source="reviews", text="Rude", external_id="urn:1"),
        origin="feed",
    )
    Notification.objects.all().delete()
    batch = _many(_drafts("Awful wait", "Rude", "Terrible again"))
    assert len(batch.created) == 2 and batch.duplicates == 1
    assert Mention.objects.filter(external_id="urn:1").count() == 1
    assert Mention.objects.count() == 3
    assert Notification.objects.filter(recipient=situation.owner).count() == 2


def test_notify_many_reads_each_recipients_preferences_once_for_all():
    quiet, loud = UserFactory(), UserFactory(email="loud@example.com")
    NotificationPreference.objects.create(user=quiet, kind=intake.ASSIGNED, in_app=False)
    NotificationPreference.objects.create(user=loud, kind=intake.ASSIGNED, email=True)
    notices = [
        notifications.Notice([quiet, loud], "/mentions/1/", {"situation": "A"}),
        notifications.Notice([loud], "/mentions/2/", {"situation": "B"}),
        notifications.Notice([UserFactory(is_active=False)], "/mentions/3/", {}),
    ]
    with transaction.atomic():
        rows = notifications.notify_many(kind=intake.ASSIGNED, notices=notices)
    assert sorted((r.target_url, r.recipient_id) for r in rows) == [
        ("/mentions/1/", loud.pk),
        ("/mentions/2/", loud.pk),
    ]
    assert all(r.email and r.in_app for r in rows)


def test_notify_many_refuses_a_link_outside_before_writing_anything():
    user = UserFactory()
    notices = [
        notifications.Notice([user], "/mentions/1/"),
        notifications.Notice([user], "https://evil.example/"),
    ]
    with transaction.atomic(), pytest.raises(ValueError):
        notifications.notify_many(kind=intake.ASSIGNED, notices=notices)
    assert not Notification.objects.exists()
