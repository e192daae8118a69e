"""Old notifications nobody needs are pruned: read ones and e-mail-only ones already sent,
older than KLIENTO_NOTIFICATION_RETENTION_DAYS; unread ones and e-mails still to go stay."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from kliento.core import notifications
from kliento.core.models import Notification
from kliento.core.tasks import prune_notifications
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make(user, *, age_days, read=False, in_app=True, emailed=False, kind="task.assigned"):
    created = timezone.now() - dt.timedelta(days=age_days)
    return Notification.objects.create(
        recipient=user,
        kind=kind,
        in_app=in_app,
        email=not in_app or emailed,
        created_at=created,
        read_at=created + dt.timedelta(hours=1) if read else None,
        emailed_at=created + dt.timedelta(minutes=1) if emailed else None,
    )


@pytest.fixture
def inbox(db):
    user = UserFactory(username="reader")
    return {
        "old_read": make(user, age_days=400, read=True),
        "old_read_emailed": make(user, age_days=200, read=True, emailed=True),
        "old_unread": make(user, age_days=400),
        "old_mail_sent": make(user, age_days=300, in_app=False, emailed=True),
        "old_mail_pending": make(user, age_days=300, in_app=False),
        "recent_read": make(user, age_days=10, read=True),
        "recent_unread": make(user, age_days=1),
    }


def left(inbox) -> set[str]:
    ids = set(Notification.objects.values_list("pk", flat=True))
    return {name for name, row in inbox.items() if row.pk in ids}


def test_read_and_sent_ones_past_the_retention_go_the_rest_stay(inbox, settings):
    settings.KLIENTO_NOTIFICATION_RETENTION_DAYS = 180
    assert notifications.prune() == 3
    assert left(inbox) == {"old_unread", "old_mail_pending", "recent_read", "recent_unread"}


def test_running_again_deletes_nothing_more(inbox):
    notifications.prune(days=180)
    assert notifications.prune(days=180) == 0
    assert len(left(inbox)) == 4


def test_the_age_is_configurable(inbox, settings):
    settings.KLIENTO_NOTIFICATION_RETENTION_DAYS = 5
    assert notifications.prune() == 4
    assert "recent_read" not in left(inbox)
    assert {"old_unread", "recent_unread", "old_mail_pending"} <= left(inbox)


def test_many_rows_are_deleted_in_batches(monkeypatch, db):
    monkeypatch.setattr(notifications, "PRUNE_BATCH", 7)
    user = UserFactory(username="busy")
    for _ in range(30):
        make(user, age_days=400, read=True)
    make(user, age_days=400)
    assert notifications.prune(days=180) == 30
    assert Notification.objects.count() == 1


def test_a_retention_under_a_day_is_refused(inbox):
    with pytest.raises(ValueError):
        notifications.prune(days=0)
    with pytest.raises(CommandError):
        call_command("prune_notifications", "--days", "0")
    assert len(left(inbox)) == 7


def test_the_command_says_how_many_it_deleted(inbox):
    out = StringIO()
    call_command("prune_notifications", stdout=out)
    assert out.getvalue().strip() == "Deleted 3 notifications older than 180 days."
    out = StringIO()
    call_command("prune_notifications", "--days", "5", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 notification older than 5 days."
    assert left(inbox) == {"old_unread", "old_mail_pending", "recent_unread"}


def test_the_background_task_prunes_too(inbox):
    assert prune_notifications.call() == 3
    assert prune_notifications.call() == 0
