"""Races of the service desk on PostgreSQL: two agents take one case, one stranger writes
twice at once."""

from __future__ import annotations

import pytest
from django.conf import settings

from kliento.clients.models import Client
from kliento.core import roles
from kliento.desk import services
from kliento.desk.models import Case
from tests.desk_support import new_case
from tests.factories import UserFactory
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="races need two connections to a database with row locks (PostgreSQL)",
    ),
]


def test_two_agents_take_the_same_case_and_one_wins():
    first = UserFactory(username="first", role=roles.AGENT)
    second = UserFactory(username="second", role=roles.AGENT)
    case = new_case()
    errors = run_together(
        lambda: services.take(actor=first, case=case),
        lambda: services.take(actor=second, case=case),
    )
    assert len(errors) == 1 and isinstance(errors[0], services.CaseTaken)
    case.refresh_from_db()
    assert case.assignee in (first, second)
    assert case.events.filter(kind="assigned").count() == 1


def test_a_stranger_writing_twice_at_once_becomes_one_client():
    def write():
        client = services.client_for(actor=None, kind="email", value="New.Person@Example.com")
        new_case(client=client)

    errors = run_together(write, write)
    assert errors == []
    assert Client.objects.filter(contacts__value="new.person@example.com").count() == 1
    assert Case.objects.count() == 2
