"""Two workers bring in the same survey answer at once: it is counted once (PostgreSQL)."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.touchpoints import services
from kliento.touchpoints.models import Impression
from tests.factories import ClientFactory, UserFactory
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two writers can only race on PostgreSQL (see tests/test_concurrency.py)",
    ),
]


def test_the_same_source_record_recorded_twice_at_once_is_one_impression(monkeypatch):
    owner = UserFactory(role=roles.AGENT)
    touchpoint = services.create_touchpoint(
        actor=None, name="Front desk", kind="business", category="office", owner=owner
    )
    client = ClientFactory()

    def slow_now():
        # Both workers pass the "already recorded?" check before either inserts.
        time.sleep(0.3)
        return timezone.now()

    monkeypatch.setattr(services, "timezone", SimpleNamespace(now=slow_now))
    got: list[int] = []

    def record() -> None:
        impression = services.record_impression(
            actor=None,
            touchpoint_id=touchpoint.pk,
            client_id=client.pk,
            sentiment="negative",
            source="survey",
            source_ref="answer-9",
        )
        got.append(impression.pk)

    assert run_together(record, record) == []
    assert Impression.objects.count() == 1
    assert got == [Impression.objects.get().pk] * 2
    assert TimelineEntry.objects.filter(kind=services.IMPRESSION_RECORDED).count() == 1
