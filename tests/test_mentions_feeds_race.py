"""Two workers polling at the same moment (PostgreSQL): each feed is polled by one of them,
and the same item arriving through two paths at once is one mention."""

from __future__ import annotations

import pytest
from django.conf import settings

from kliento.mentions.models import Mention
from kliento.mentions.services import intake, polling
from tests.mentions_support import Route, atom, feed_server, make_feed
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the race needs two real connections and row-level locking (PostgreSQL)",
    ),
]


def test_two_workers_never_poll_one_feed_twice():
    items = [(f"urn:{i}", f"Item {i}", "Terrible service") for i in range(30)]
    with feed_server() as server:
        for n in range(6):
            server.routes[f"/f{n}"] = Route(atom(items), delay=0.1)
            make_feed(server.url(f"/f{n}"), source=f"site{n}", name=f"F{n}")
        results: list[list[polling.PollResult]] = [[], []]
        errors = run_together(
            lambda: results[0].extend(polling.poll_due(limit=6)),
            lambda: results[1].extend(polling.poll_due(limit=6)),
        )
        assert not errors
        polled = [r.feed_id for batch in results for r in batch]
        assert sorted(polled) == sorted(set(polled)) and len(polled) == 6
        assert len([h for h in server.hits]) == 6
    assert Mention.objects.count() == 6 * 30


def test_the_same_item_at_once_is_one_mention():
    draft = lambda: intake.MentionDraft(source="reviews", text="Awful", external_id="same")  # noqa: E731
    outcomes: list[bool] = []
    errors = run_together(
        *[lambda: outcomes.append(intake.receive(actor=None, draft=draft(), origin="api").created)]
        * 3
    )
    assert not errors
    assert sorted(outcomes) == [False, False, True]
    assert Mention.objects.count() == 1
