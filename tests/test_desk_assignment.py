"""Assignment: manual, taking (one of two wins), round-robin and least-loaded routing, and
which cases each person sees."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from kliento.core import roles
from kliento.desk import access, selectors, services
from kliento.desk.models import Case, TeamRouting
from tests.desk_support import member, new_case, team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_taking_a_case_someone_took_first_is_refused(agent):
    other = UserFactory(username="other", role=roles.AGENT)
    case = new_case()
    services.take(actor=agent, case=case)
    with pytest.raises(services.CaseTaken) as taken:
        services.take(actor=other, case=case)
    assert taken.value.case.assignee == agent
    case.refresh_from_db()
    assert case.assignee == agent
    assert case.events.filter(kind="assigned").count() == 1


def test_someone_who_cannot_work_cases_cannot_be_assigned(manager, auditor):
    with pytest.raises(ValidationError):
        services.assign(actor=manager, case=new_case(), assignee=auditor)


def test_round_robin_hands_cases_in_turn():
    support = team()
    first, second = member(support, "a1"), member(support, "a2")
    TeamRouting.objects.create(team=support, strategy=TeamRouting.Strategy.ROUND_ROBIN)
    owners = [new_case(team=support).assignee for _ in range(4)]
    assert owners == [first, second, first, second]


def test_least_loaded_picks_the_agent_with_fewest_open_cases():
    support = team()
    busy, free = member(support, "busy"), member(support, "free")
    new_case(assignee=busy)
    new_case(assignee=busy)
    TeamRouting.objects.create(team=support, strategy=TeamRouting.Strategy.LEAST_LOADED)
    assert new_case(team=support).assignee == free


def test_an_agent_sees_own_team_and_unqueued_cases_but_not_another_teams():
    support, sales = team("Support"), team("Sales")
    agent = member(support, "agent1")
    mine = new_case(team=support)
    general = new_case()
    hidden = new_case(team=sales)
    visible = set(access.visible_cases(agent).values_list("pk", flat=True))
    assert {mine.pk, general.pk} <= visible
    assert hidden.pk not in visible
    assert selectors.case_for(agent, hidden.pk) is None


def test_a_manager_and_an_auditor_see_every_case(manager, auditor):
    hidden = new_case(team=team("Sales"))
    assert selectors.case_for(manager, hidden.pk) is not None
    assert selectors.case_for(auditor, hidden.pk) is not None
    assert not access.can_work(auditor, hidden)


def test_someone_without_a_role_sees_no_case(outsider):
    case = new_case()
    assert selectors.case_for(outsider, case.pk) is None


def test_queues_count_what_they_list():
    support = team()
    agent = member(support, "agent1")
    new_case(team=support, assignee=agent)
    new_case(team=support)
    waiting = new_case()
    services.set_status(actor=None, case=waiting, status=Case.Status.WAITING)
    counts = selectors.queue_counts(agent)
    assert counts["mine"] == 1
    assert counts["team"] == 2
    assert counts["unassigned"] == 2
    assert counts["waiting"] == 1
    for key, count in counts.items():
        assert selectors.queue_cases(agent, key).count() == count


def test_search_finds_a_case_by_number_in_any_spelling():
    case = new_case(subject="Broken kettle")
    agent = member(None, "agent1")
    for q in (case.number, case.number.lower(), str(case.pk), "kettle"):
        assert case in selectors.search_cases(agent, q)
