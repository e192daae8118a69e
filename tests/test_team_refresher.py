"""Refresher training: a signal below its threshold or dropped against the previous period
proposes training once per subject and period, with the evidence; after the training the
before/after comparison is shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from kliento.core import roles
from kliento.core.models import Notification, OrgUnit, StaffProfile
from kliento.team import selectors, signals
from kliento.team.models import TrainingProposal
from kliento.team.registry import Reading, Signal, register_signal
from kliento.team.registry import signals as registry
from kliento.team.services import refresher
from tests.factories import UserFactory
from tests.team_support import csat

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 6, 1)
# The rule's period (30 days) before TODAY and the one before it.
NOW = dt.date(2026, 5, 20)
BEFORE = dt.date(2026, 4, 15)


@pytest.fixture
def olena(db):
    return UserFactory(username="olena", role=roles.AGENT)


def _rule(manager, **kw):
    args = {"signal": signals.CSAT, "threshold": 60.0, "drop": 15.0, "period_days": 30, "min_n": 5}
    return refresher.save_rule(actor=manager, **(args | kw))


def test_csat_signal_reads_the_share_satisfied_of_the_employees_answers(olena):
    csat(olena, NOW, [5, 4, 3, 1])
    reading = signals.csat([olena.pk], NOW, NOW)
    assert (reading.value, reading.n, reading.successes) == (50.0, 4, 2)
    assert signals.csat([olena.pk], BEFORE, BEFORE).value is None


def test_below_the_threshold_proposes_once_and_tells_the_managers(manager, olena):
    _rule(manager)
    csat(olena, NOW, [5, 5, 2, 2, 1, 1])  # 33 % satisfied, n = 6
    assert refresher.run_refresher(today=TODAY) == 1
    assert refresher.run_refresher(today=TODAY) == 0
    # The next days' periods still hold the same evidence: no new proposal for them.
    assert refresher.run_refresher(today=TODAY + dt.timedelta(days=5)) == 0
    proposal = TrainingProposal.objects.get()
    assert proposal.employee == olena and proposal.reason == "threshold"
    assert (round(proposal.value, 1), proposal.n) == (33.3, 6)
    assert proposal.period_start == dt.date(2026, 5, 2) and proposal.period_end == dt.date(
        2026, 5, 31
    )
    assert (
        Notification.objects.filter(kind=refresher.REFRESHER_PROPOSED, recipient=manager).count()
        == 1
    )
    assert not Notification.objects.filter(
        kind=refresher.REFRESHER_PROPOSED, recipient=olena
    ).exists()


def test_a_drop_against_the_previous_period_proposes(manager, olena):
    _rule(manager)
    csat(olena, BEFORE, [5] * 10)  # 100 %
    csat(olena, NOW, [5] * 8 + [1] * 2)  # 80 %: above the threshold, 20 points down
    assert refresher.run_refresher(today=TODAY) == 1
    proposal = TrainingProposal.objects.get()
    assert proposal.reason == "drop"
    assert (proposal.baseline_value, proposal.baseline_n) == (100.0, 10)


def test_a_small_drop_or_few_answers_propose_nothing(manager, olena):
    _rule(manager)
    csat(olena, BEFORE, [5] * 10)
    csat(olena, NOW, [5] * 9 + [1])  # 90 %: 10 points down, under the drop of 15
    other = UserFactory(role=roles.AGENT)
    csat(other, NOW, [1, 1, 1])  # 0 %, but three answers say nothing
    assert refresher.run_refresher(today=TODAY) == 0


def test_a_team_is_judged_on_its_members_answers(manager):
    team = OrgUnit.objects.create(name="Front", kind="team")
    people = [UserFactory(role=roles.AGENT) for _ in range(3)]
    for person in people:
        StaffProfile.objects.create(user=person, unit=team)
        csat(person, NOW, [5, 1])  # each 50 %, two answers: no single person is judged
    _rule(manager)
    assert refresher.run_refresher(today=TODAY) == 1
    proposal = TrainingProposal.objects.get()
    assert proposal.team == team and proposal.employee is None and proposal.n == 6


def test_before_and_after_the_training_is_compared(manager, olena):
    _rule(manager)
    csat(olena, NOW, [5, 5, 2, 2, 1, 1])
    refresher.run_refresher(today=TODAY)
    proposal = TrainingProposal.objects.get()
    with pytest.raises(ValidationError):
        refresher.mark_trained(actor=manager, proposal=proposal, trained_on=TODAY)
    refresher.decide(actor=manager, proposal=proposal, status="assigned")
    with pytest.raises(ValidationError):
        refresher.decide(actor=manager, proposal=proposal, status="dismissed")
    trained = dt.date.today() - dt.timedelta(days=20)
    csat(olena, trained - dt.timedelta(days=5), [1] * 20)
    csat(olena, trained + dt.timedelta(days=5), [5] * 20)
    # The training date may not lie before the evidence's period.
    with pytest.raises(ValidationError):
        refresher.mark_trained(actor=manager, proposal=proposal, trained_on=dt.date(2020, 1, 1))
    proposal.period_end = trained - dt.timedelta(days=10)
    proposal.save()
    refresher.mark_trained(actor=manager, proposal=proposal, trained_on=trained)
    result = selectors.before_after(proposal)
    assert result is not None
    assert (result.before_value, result.before_n) == (0.0, 20)
    assert (result.after_value, result.after_n) == (100.0, 20)
    assert result.comparison.significant and result.comparison.difference == 100.0


def test_another_app_can_register_a_signal(manager, olena):
    """The quality app registers audit compliance the same way when it lands."""
    key = "test.compliance"
    register_signal(Signal(key, "Compliance", lambda ids, since, until: Reading(40.0, 12, None)))
    try:
        _rule(manager, signal=key, threshold=70.0)
        assert refresher.run_refresher(today=TODAY) >= 1
        assert TrainingProposal.objects.filter(signal=key, employee=olena).exists()
    finally:
        registry._items.pop(key)


def test_rules_refuse_unknown_signals_and_negative_drops(manager):
    with pytest.raises(ValidationError) as exc:
        refresher.save_rule(actor=manager, signal="mood", threshold=1, drop=-1, period_days=3)
    assert set(exc.value.message_dict) == {"signal", "drop", "period_days"}


def test_proposal_pages_are_for_training_managers(manager, olena, client):
    _rule(manager)
    csat(olena, NOW, [1] * 6)
    refresher.run_refresher(today=TODAY)
    proposal = TrainingProposal.objects.get()
    client.force_login(olena)
    assert client.get(f"/team/refreshers/{proposal.pk}/").status_code == 403
    client.force_login(manager)
    page = client.get(f"/team/refreshers/{proposal.pk}/")
    assert page.status_code == 200 and 'id="evidence"' in page.content.decode()
    assert (
        client.post(f"/team/refreshers/{proposal.pk}/decide/", {"action": "assign"}).status_code
        == 302
    )
    bad = client.post(
        f"/team/refreshers/{proposal.pk}/decide/", {"action": "trained", "trained_on": "2001-01-01"}
    )
    assert bad.status_code == 422


def test_the_rule_list_names_the_signal_not_its_key(manager, client):
    _rule(manager)
    client.force_login(manager)
    page = client.get("/team/refreshers/").content.decode()
    rule = page.split('<h2 class="h5">', 3)[2]
    assert "CSAT (% satisfied): below" in rule
    assert "csat:" not in rule
