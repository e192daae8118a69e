"""Checklists (versioned, built from the standards book), evaluations (answered, completed,
scored once), "the standard did not work" findings and the public selectors."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kliento.core.models import AuditEntry, OrgUnit, StaffProfile
from kliento.quality import selectors, services
from kliento.quality.models import ChecklistVersion, Evaluation
from kliento.standards.models import RevisionRequest
from tests.factories import UserFactory
from tests.quality_support import checklist, evaluate, team_member
from tests.standards_support import published

pytestmark = pytest.mark.django_db


def test_published_version_is_frozen_and_revision_keeps_past_results(auditor, agent):
    made, v1 = checklist(by=auditor)
    past = evaluate(by=auditor, version=v1, outcomes=["pass", "pass", "pass"], employee_id=agent.pk)
    item = v1.items.first()
    with pytest.raises(ValidationError):
        services.update_item(
            actor=auditor,
            item=item,
            text="Changed",
            standard_id=item.standard_id,
            weight=5,
            critical=False,
            allows_na=False,
        )
    with pytest.raises(ValidationError):
        services.add_item(actor=auditor, version=v1, text="More")
    v2 = services.start_revision(actor=auditor, checklist=made)
    assert v2.number == 2 and v2.status == ChecklistVersion.Status.DRAFT
    assert services.start_revision(actor=auditor, checklist=made) == v2  # one draft at a time
    assert [i.text for i in v2.items.all()] == [i.text for i in v1.items.all()]
    services.update_item(
        actor=auditor,
        item=v2.items.first(),
        text="Greets by name",
        standard_id=None,
        weight=9,
        critical=True,
        allows_na=False,
    )
    services.publish_version(actor=auditor, version=v2, change_note="Stricter greeting")
    v1.refresh_from_db()
    assert v1.status == ChecklistVersion.Status.SUPERSEDED
    past.refresh_from_db()
    assert past.version_id == v1.pk and past.score == Decimal("100.00")
    assert v1.items.first().text == "Item 1"
    with pytest.raises(ValidationError):
        services.start_evaluation(actor=auditor, version=v1, kind="audit", employee_id=agent.pk)


def test_build_from_standards_prefills_rules_and_cites_versions(auditor):
    first, first_v = published(by=auditor, title="Greeting", body="## Say hello\nWithin 5 s.")
    second, second_v = published(by=auditor, title="Farewell", body="- Thank the client.")
    made = services.build_from_standards(
        actor=auditor,
        name="Front desk",
        area_kind="touchpoint",
        owner=auditor,
        standard_ids=[second.pk, first.pk],
    )
    items = list(made.versions.get().items.all())
    assert [i.text for i in items] == ["Farewell: Thank the client.", "Greeting: Say hello"]
    assert [i.standard_version_id for i in items] == [second_v.pk, first_v.pk]
    with pytest.raises(ValidationError) as error:
        services.build_from_standards(
            actor=auditor, name="Empty", area_kind="team", owner=auditor, standard_ids=[999999]
        )
    assert "standards" in error.value.message_dict


def test_publishing_needs_an_item_and_names_are_unique(auditor):
    made = services.create_checklist(actor=auditor, name="Empty", area_kind="team", owner=auditor)
    with pytest.raises(ValidationError) as error:
        services.publish_version(actor=auditor, version=made.versions.get())
    assert "version" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.create_checklist(actor=auditor, name="empty", area_kind="nope", owner=auditor)
    assert set(error.value.message_dict) == {"name", "area_kind"}
    with pytest.raises(ValidationError) as error:
        services.add_item(actor=auditor, version=made.versions.get(), text="x", weight=0)
    assert "weight" in error.value.message_dict


def test_completion_scores_once_and_audits(auditor, agent):
    team = team_member(agent)
    _made, version = checklist(by=auditor)
    evaluation = services.start_evaluation(
        actor=auditor, version=version, kind="audit", employee_id=agent.pk
    )
    assert evaluation.team == team  # filled from the employee
    first, second, third = version.items.all()
    services.record_result(actor=auditor, evaluation=evaluation, item_id=first.pk, outcome="pass")
    with pytest.raises(ValidationError) as error:
        services.complete_evaluation(actor=auditor, evaluation=evaluation)
    assert "results" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.record_result(
            actor=auditor, evaluation=evaluation, item_id=second.pk, outcome="na"
        )
    assert "outcome" in error.value.message_dict  # this item always applies
    with pytest.raises(ValidationError) as error:
        services.record_results(
            actor=auditor,
            evaluation=evaluation,
            answers=[services.Answer(second.pk, "pass"), services.Answer(third.pk, "bogus")],
        )
    assert f"item-{third.pk}-outcome" in error.value.message_dict
    assert evaluation.results.count() == 1  # all or none
    services.record_results(
        actor=auditor,
        evaluation=evaluation,
        answers=[services.Answer(second.pk, "pass"), services.Answer(third.pk, "na")],
    )
    done = services.complete_evaluation(actor=auditor, evaluation=evaluation)
    assert done.score == Decimal("100.00") and done.status == Evaluation.Status.COMPLETED
    assert AuditEntry.objects.filter(action="quality.evaluation_completed").count() == 1
    with pytest.raises(ValidationError):
        services.complete_evaluation(actor=auditor, evaluation=done)
    with pytest.raises(ValidationError):
        services.record_result(actor=auditor, evaluation=done, item_id=first.pk, outcome="fail")


def test_area_subject_is_required(auditor):
    _made, version = checklist(by=auditor, area_kind="touchpoint")
    with pytest.raises(ValidationError) as error:
        services.start_evaluation(actor=auditor, version=version, kind="audit")
    assert "touchpoint" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.start_evaluation(actor=auditor, version=version, kind="x", touchpoint_id=10**9)
    assert set(error.value.message_dict) == {"kind", "touchpoint"}


def test_standard_did_not_work_raises_one_revision_request_and_protects(auditor, agent):
    _made, version = checklist(by=auditor)
    evaluation = evaluate(
        by=auditor,
        version=version,
        outcomes=["pass", "fail", "pass"],
        did_not_work=[True, True, False],
        employee_id=agent.pk,
    )
    assert evaluation.score == Decimal("0.00") and evaluation.critical_failed
    requests = RevisionRequest.objects.filter(source="quality")
    assert requests.count() == 2
    assert services.raise_revision_requests(evaluation=evaluation) == 0  # idempotent
    assert requests.count() == 2
    today = timezone.localdate()
    assert selectors.critical_breaches(employee_id=agent.pk, start=today, end=today) == []
    assert len(selectors.protected_findings(employee_id=agent.pk, start=today, end=today)) == 2


def test_did_not_work_needs_a_standard_and_an_applicable_item(auditor, agent):
    made = services.create_checklist(
        actor=auditor, name="Free", area_kind="employee", owner=auditor
    )
    draft = made.versions.get()
    free = services.add_item(actor=auditor, version=draft, text="Tidy desk", allows_na=True)
    services.publish_version(actor=auditor, version=draft)
    evaluation = services.start_evaluation(
        actor=auditor, version=draft, kind="audit", employee_id=agent.pk
    )
    with pytest.raises(ValidationError) as error:
        services.record_result(
            actor=auditor,
            evaluation=evaluation,
            item_id=free.pk,
            outcome="pass",
            standard_did_not_work=True,
        )
    assert "standard_did_not_work" in error.value.message_dict
    services.record_result(actor=auditor, evaluation=evaluation, item_id=free.pk, outcome="na")
    done = services.complete_evaluation(actor=auditor, evaluation=evaluation)
    assert done.score is None and done.status == Evaluation.Status.COMPLETED


def test_compliance_breaches_and_last_control(auditor, agent):
    other = UserFactory(username="other-agent")
    _made, version = checklist(by=auditor)
    evaluate(by=auditor, version=version, outcomes=["pass", "pass", "na"], employee_id=agent.pk)
    failing = evaluate(
        by=auditor, version=version, outcomes=["pass", "fail", "pass"], employee_id=agent.pk
    )
    evaluate(by=auditor, version=version, outcomes=["fail", "pass", "pass"], employee_id=other.pk)
    today = timezone.localdate()
    mine = selectors.compliance(start=today, end=today, employee_id=agent.pk)
    assert mine.n_evaluations == 2 and mine.zeroed == 1
    assert mine.score_mean == Decimal("50.00")  # (100 + 0) / 2
    assert (mine.n_items, mine.passed_items, mine.na_items) == (5, 4, 1)
    assert mine.item_rate == Decimal("80.00")
    standard_id = version.items.first().standard_id
    one_standard = selectors.compliance(start=today, end=today, standard_id=standard_id)
    assert (one_standard.n_items, one_standard.passed_items) == (3, 2)
    assert selectors.compliance(start=today, end=today, kinds=["review"]).n_evaluations == 0
    breaches = selectors.critical_breaches(employee_id=agent.pk, start=today, end=today)
    assert [b.evaluation_id for b in breaches] == [failing.pk]
    assert selectors.last_control_date(employee_id=agent.pk) == today
    assert selectors.last_control_date(employee_id=auditor.pk) is None
    yesterday = today - dt.timedelta(days=1)
    assert selectors.compliance(start=yesterday, end=yesterday).n_evaluations == 0
    trend = selectors.compliance_trend(start=today - dt.timedelta(days=40), end=today)
    assert trend[-1].compliance.n_evaluations == 3
    assert sum(m.compliance.n_evaluations for m in trend) == 3
    assert [e.pk for e in selectors.evaluations_for_employee(employee_id=other.pk)] != []


def test_agents_see_only_their_completed_evaluations(auditor, agent, manager):
    other = UserFactory(username="other-agent")
    _made, version = checklist(by=auditor)
    mine = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=agent.pk)
    theirs = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=other.pk)
    services.start_evaluation(actor=auditor, version=version, kind="audit", employee_id=agent.pk)
    assert list(selectors.visible_evaluations(agent)) == [mine]
    assert not selectors.may_see_evaluation(agent, theirs)
    # A manager sees their own team's evaluations only (tests/test_quality_visibility.py).
    assert not selectors.may_see_evaluation(manager, theirs)
    unit = OrgUnit.objects.create(name="Front", kind=OrgUnit.Kind.TEAM)
    for person in (manager, other):
        StaffProfile.objects.update_or_create(user=person, defaults={"unit": unit})
    assert selectors.may_see_evaluation(manager, theirs)
    assert not selectors.may_see_evaluation(manager, mine)


def test_exemplary_only_when_completed(auditor, agent):
    _made, version = checklist(by=auditor)
    draft = services.start_evaluation(
        actor=auditor, version=version, kind="audit", employee_id=agent.pk
    )
    with pytest.raises(ValidationError):
        services.mark_exemplary(actor=auditor, evaluation=draft)
    done = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=agent.pk)
    marked = services.mark_exemplary(actor=auditor, evaluation=done, note="Model greeting")
    assert marked.exemplary and marked.exemplary_by == auditor


def test_amend_rescored_with_reason(auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(
        by=auditor, version=version, outcomes=["pass", "fail", "pass"], employee_id=agent.pk
    )
    second = version.items.all()[1]
    with pytest.raises(ValidationError):
        services.amend_results(
            actor=auditor,
            evaluation=done,
            answers=[services.Answer(second.pk, "pass")],
            reason="",
        )
    amended = services.amend_results(
        actor=auditor,
        evaluation=done,
        answers=[services.Answer(second.pk, "pass")],
        reason="Dispute upheld",
    )
    assert amended.score == Decimal("100.00")
    entry = AuditEntry.objects.get(action="quality.evaluation_amended")
    assert entry.changes == {"before": "0.00", "after": "100.00", "reason": "Dispute upheld"}
