"""KPI sources against the records they read: each value, its n, and what it leaves out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kliento.clients.models import Client
from kliento.motivation import sources
from kliento.motivation.registry import kpi_sources
from tests.factories import ClientFactory
from tests.motivation_support import MONTH, MONTH_END, OUTSIDE, answer, at, case, follow_up, org
from tests.motivation_support import survey as make_survey
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


def compute(key: str, employee) -> tuple[Decimal | None, int]:
    found = kpi_sources[key].compute(employee.pk, MONTH, MONTH_END)
    return found.value, found.n


def test_csat_is_the_mean_of_the_answers_about_the_agent_in_the_period():
    people = org()
    csat = make_survey("csat")
    for score in (5, 4, 5):
        answer(csat, score, at(15), agent=people["agent"])
    answer(csat, 1, OUTSIDE, agent=people["agent"])  # another month
    answer(csat, 1, at(15), agent=people["peer"])  # another agent
    assert compute(sources.CSAT, people["agent"]) == (Decimal("4.67"), 3)
    assert compute(sources.CSAT, people["head"]) == (None, 0)


def test_first_response_share_counts_the_agents_cases_with_a_due_time():
    people = org()
    agent = people["agent"]
    case(agent, at(3), 60, 30)  # in time
    case(agent, at(4), 60, 60)  # exactly on time
    case(agent, at(5), 60, 90)  # late
    case(agent, at(6), 60, None)  # never answered, overdue long ago: counted, missed
    case(agent, at(7), None, 10)  # no SLA: not counted
    case(people["peer"], at(8), 60, 200)  # another agent
    case(agent, OUTSIDE, 60, 500)  # another month
    assert compute(sources.FIRST_RESPONSE_SLA, agent) == (Decimal("50.00"), 4)


def test_follow_ups_on_time_share():
    people = org()
    owner = people["agent"]
    follow_up(owner, at(10), at(9))
    follow_up(owner, at(11), at(11))
    follow_up(owner, at(12), at(14))  # closed late
    follow_up(owner, at(13), None)  # still open, overdue
    follow_up(people["peer"], at(13), None)
    assert compute(sources.FOLLOW_UPS_ON_TIME, owner) == (Decimal("50.00"), 4)


def test_nps_of_the_clients_the_employee_manages():
    people = org()
    nps = make_survey("nps")
    mine = ClientFactory(account_manager=people["head"])
    other = ClientFactory()
    for score in (10, 9, 3, 8):
        answer(nps, score, at(20), client=mine)
    answer(nps, 0, at(20), client=other)
    assert Client.objects.filter(account_manager=people["head"]).count() == 1
    # 2 promoters, 1 detractor of 4: 25 points.
    assert compute(sources.NPS_OWN_CLIENTS, people["head"]) == (Decimal("25.00"), 4)


def test_compliance_and_critical_breaches_read_quality_control():
    people = org()
    _made, version = checklist(by=people["head"])
    agent = people["agent"]
    evaluate(
        by=people["head"],
        version=version,
        outcomes=["pass", "pass", "na"],
        employee_id=agent.pk,
        performed_at=at(5),
    )
    evaluate(
        by=people["head"],
        version=version,
        outcomes=["pass", "fail", "pass"],
        employee_id=agent.pk,
        performed_at=at(6),
    )  # critical failed: score 0
    evaluate(
        by=people["head"],
        version=version,
        outcomes=["pass", "fail", "pass"],
        did_not_work=[False, True, False],
        employee_id=agent.pk,
        performed_at=at(7),
    )
    value, n = compute(sources.COMPLIANCE, agent)
    assert n == 3
    assert value == Decimal("33.33")  # 100, 0 and 0: both critical failures zero the score
    # The third finding is protected ("the standard did not work"): not a breach.
    assert compute(sources.CRITICAL_BREACHES, agent) == (Decimal(1), 1)


def test_every_shipped_source_is_registered_with_a_direction():
    keys = {s.key for s in kpi_sources}
    assert {
        sources.CSAT,
        sources.FIRST_RESPONSE_SLA,
        sources.COMPLIANCE,
        sources.NPS_OWN_CLIENTS,
        sources.FOLLOW_UPS_ON_TIME,
        sources.CRITICAL_BREACHES,
    } <= keys
    assert all(s.direction in ("higher", "lower") for s in kpi_sources)


def test_batched_values_and_statements_agree_with_one_employee_at_a_time():
    from kliento.motivation.calculate import calculate, calculate_many
    from kliento.motivation.services import schemes
    from tests.motivation_support import scheme

    people = org()
    agent, peer, head = people["agent"], people["peer"], people["head"]
    case(agent, at(3), 60, 30)
    case(agent, at(5), 60, 90)
    case(peer, at(8), 60, 200)
    _made, version = checklist(by=head)
    for who, outcomes, protected in (
        (agent, ["pass", "pass", "na"], [False] * 3),
        (agent, ["pass", "fail", "pass"], [False] * 3),
        (peer, ["pass", "fail", "pass"], [False, True, False]),
    ):
        evaluate(
            by=head,
            version=version,
            outcomes=outcomes,
            did_not_work=protected,
            employee_id=who.pk,
            performed_at=at(6),
        )
    ids = [agent.pk, peer.pk, head.pk]  # the head has no data at all
    for key in (sources.FIRST_RESPONSE_SLA, sources.COMPLIANCE, sources.CRITICAL_BREACHES):
        source = kpi_sources[key]
        assert source.compute_many is not None, key
        assert source.values(ids, MONTH, MONTH_END) == {
            pk: source.compute(pk, MONTH, MONTH_END) for pk in ids
        }, key
    made = scheme(head, max_penalty=Decimal("30"))
    kpi = schemes.add_kpi(
        actor=head,
        scheme=made,
        source=sources.COMPLIANCE,
        target=Decimal("90"),
        threshold=Decimal("40"),
    )
    schemes.add_rule(
        actor=head,
        scheme=made,
        name="Compliance",
        kind="amount",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("40"),
        amount=Decimal("100"),
    )
    schemes.add_rule(
        actor=head, scheme=made, name="Breach", kind="per_breach", amount=Decimal("-50")
    )
    together = calculate_many(made, ids, MONTH, MONTH_END)
    for pk in ids:
        alone = calculate(made, pk, MONTH, MONTH_END)
        assert together[pk] == alone, pk
    assert together[agent.pk].total == Decimal("70.00")  # +100, -50 capped at -30
    assert any(line.kind == "protected" for line in together[peer.pk].lines)
