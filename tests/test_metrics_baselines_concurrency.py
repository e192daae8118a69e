"""Two workers saving the baseline of one source at the same moment (a pilot hook run twice):
one snapshot, both get it. The race window is widened on purpose: each pauses after checking
that the source has no snapshot yet, so both reach the insert."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.conf import settings

from kliento.core.models import AuditEntry
from kliento.metrics import services
from kliento.metrics.models import BaselineFigure, MetricBaseline
from kliento.metrics.registry import ChurnRule, Period
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="two writers race on PostgreSQL only (SQLite's test database has one connection)",
    ),
]


def test_one_source_saves_one_snapshot_under_a_race(monkeypatch):
    def slow_rule() -> ChurnRule:
        time.sleep(0.3)
        return ChurnRule()

    monkeypatch.setattr(services.registry.ChurnRule, "configured", staticmethod(slow_rule))
    saved: list[int] = []

    def save() -> None:
        baseline = services.save_baseline(
            actor=None,
            name="Pilot: before",
            metric_keys=["active", "churn"],
            slices=["company"],
            period=Period(dt.date(2025, 1, 1), dt.date(2025, 1, 31)),
            source="race:1",
        )
        saved.append(baseline.pk)

    assert run_together(save, save) == []
    assert len(saved) == 2 and saved[0] == saved[1]
    assert MetricBaseline.objects.count() == 1
    assert BaselineFigure.objects.count() == 2
    assert AuditEntry.objects.filter(action=services.BASELINE_SAVED).count() == 1
