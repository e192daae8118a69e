"""Queues at scale: counts capped at COUNT_CAP, pages read by id, the same visibility rule for
every role, and a fixed number of queries whatever the number of cases."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kliento.core import roles
from kliento.core.models import OrgUnit
from kliento.desk import access, selectors
from kliento.desk.models import Case
from kliento.desk.selectors import cases as case_selectors
from tests.desk_support import member, new_case, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_cap(monkeypatch):
    monkeypatch.setattr(case_selectors, "COUNT_CAP", 3)
    return 3


def test_counts_are_exact_up_to_the_cap_and_cap_plus_one_above_it(manager, small_cap):
    support = team()
    for _ in range(5):
        new_case(team=support)
    new_case(team=support, assignee=manager)
    counts = selectors.queue_counts(manager)
    assert counts["all"] == small_cap + 1  # 6 cases: "more than 3"
    assert counts["mine"] == 1
    assert counts["done"] == 0
    assert selectors.count_label(counts["all"]) == "3+"
    assert selectors.count_label(counts["mine"]) == "1"
    assert selectors.capped_count(Case.objects.all(), 10) == 6


def test_queue_pages_follow_the_queue_order_without_counting_it(manager):
    support = team()
    made = [new_case(team=support, subject=f"Case {n}") for n in range(7)]
    first = selectors.queue_page(manager, "all", per_page=3)
    second = selectors.queue_page(manager, "all", page=2, per_page=3)
    last = selectors.queue_page(manager, "all", page=3, per_page=3)
    expected = list(selectors.queue_cases(manager, "all"))
    assert first.cases + second.cases + last.cases == expected
    assert [c.pk for c in expected] == sorted((c.pk for c in made), reverse=True)
    assert first.has_next and second.has_next and not last.has_next
    assert not first.has_previous and last.has_previous
    # The page comes with its client, team and assignee: no query per row.
    with CaptureQueriesContext(connection) as queries:
        page = selectors.queue_page(manager, "all", per_page=3)
        [(c.client.name, c.team and c.team.name, c.assignee) for c in page.cases]
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert selectors.queue_page(manager, "all", page=99).cases == []
    assert selectors.queue_page(manager, "all", page=0).number == 1


def test_every_queue_shows_an_agent_only_what_the_visibility_rule_allows():
    front = team("Front")
    front_desk = OrgUnit.objects.create(
        name="Front, evenings", kind=OrgUnit.Kind.TEAM, parent=front
    )
    sales = team("Sales")
    agent = member(front, "front-agent")
    other = member(sales, "sales-agent")
    own = new_case(team=front)
    below = new_case(team=front_desk)
    unrouted = new_case()
    hidden = new_case(team=sales)
    hidden_taken = new_case(team=sales, assignee=other)
    given_to_me = new_case(team=sales, assignee=agent)
    visible = set(access.visible_cases(agent).values_list("pk", flat=True))
    assert visible == {own.pk, below.pk, unrouted.pk, given_to_me.pk}
    for queue in selectors.QUEUES:
        listed = {c.pk for c in selectors.queue_cases(agent, queue.key)}
        paged = {c.pk for c in selectors.queue_page(agent, queue.key, per_page=50).cases}
        assert listed <= visible, queue.key
        assert paged == listed, queue.key
        assert selectors.queue_counts(agent)[queue.key] == len(listed), queue.key
    assert {c.pk for c in selectors.queue_cases(agent, "team")} == {own.pk, below.pk}
    assert {c.pk for c in selectors.queue_cases(agent, "mine")} == {given_to_me.pk}
    assert hidden.pk not in visible and hidden_taken.pk not in visible


def test_someone_without_the_desk_role_gets_empty_queues_even_when_named_on_a_case(outsider):
    case = new_case()
    Case.objects.filter(pk=case.pk).update(assignee=outsider)
    for queue in selectors.QUEUES:
        assert not selectors.queue_cases(outsider, queue.key).exists()
        assert selectors.queue_page(outsider, queue.key).cases == []
    assert set(selectors.queue_counts(outsider).values()) == {0}


def test_manager_and_auditor_see_every_team_in_the_open_queues(manager, auditor):
    cases = [new_case(team=team(f"Team {n}")) for n in range(3)]
    for user in (manager, auditor):
        assert {c.pk for c in selectors.queue_cases(user, "all")} == {c.pk for c in cases}


def test_counts_take_the_same_number_of_queries_for_ten_cases_as_for_one():
    support = team()
    agent = member(support, "counting-agent", role=roles.AGENT)
    new_case(team=support, assignee=agent)

    def queries() -> int:
        fresh = type(agent).objects.get(pk=agent.pk)
        with CaptureQueriesContext(connection) as captured:
            selectors.queue_counts(fresh)
        return len(captured.captured_queries)

    one = queries()
    for _ in range(9):
        new_case(team=support, assignee=agent)
    assert queries() == one
    # The user's permissions and team, then the seven counts in one statement.
    assert one <= 5
