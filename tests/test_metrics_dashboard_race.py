"""Two workers refreshing the rollups at once on PostgreSQL: each dirty day is claimed by one
(SKIP LOCKED), no day's rows are written twice, and the result equals the raw figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from kliento.metrics.registry import Period, compute
from kliento.metrics.rollup_models import DirtyDay, SurveyDay
from kliento.metrics.rollups import build, reads
from kliento.metrics.rollups.reads import Cut
from kliento.surveys.models import Response
from tests.factories import ClientFactory
from tests.test_concurrency import run_together
from tests.test_surveys import make_survey

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="races need two connections to a database with row locks (PostgreSQL)",
    ),
]


def test_two_workers_rebuild_each_day_once():
    survey = make_survey("nps")
    client = ClientFactory()
    start = dt.date(2025, 1, 1)
    Response.objects.bulk_create(
        Response(
            survey=survey,
            client=client,
            channel="email",
            score=(i * 7) % 11,
            submitted_at=timezone.make_aware(
                dt.datetime.combine(start + dt.timedelta(days=i % 90), dt.time(12))
            ),
        )
        for i in range(900)
    )
    build.scan_changes("surveys")
    assert DirtyDay.objects.count() == 90
    errors = run_together(build.process_dirty, build.process_dirty)
    assert errors == []
    assert not DirtyDay.objects.exists()
    assert SurveyDay.objects.aggregate(n=Sum("n"))["n"] == 900
    period = Period(start, start + dt.timedelta(days=89))
    assert reads.score("nps", period, Cut()).as_dict() == compute("nps", period).as_dict()
