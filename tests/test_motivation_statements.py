"""Statements: rules and caps, the frozen statement, adjustments, protected findings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kliento.core.models import AuditEntry, Notification
from kliento.motivation import sources
from kliento.motivation.calculate import attainment
from kliento.motivation.models import Line, Statement
from kliento.motivation.services import schemes, statements
from tests.motivation_support import MONTH, answer, at, org, scheme
from tests.motivation_support import survey as make_survey
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


def _csat_scheme(head, **fields):
    made = scheme(head, **fields)
    kpi = schemes.add_kpi(
        actor=head,
        scheme=made,
        source=sources.CSAT,
        target=Decimal("4.6"),
        threshold=Decimal("4.0"),
        weight=2,
    )
    schemes.add_rule(
        actor=head,
        scheme=made,
        name="CSAT bonus",
        kind="percent",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("4.6"),
        percent=Decimal("5"),
    )
    return made, kpi


def _generate(people, who="agent"):
    return statements.generate(actor=people["head"], employee_id=people[who].pk, day=MONTH)


def test_a_percent_rule_pays_its_share_of_the_base_bonus_when_the_kpi_meets_it():
    people = org()
    _csat_scheme(people["head"])
    csat = make_survey("csat")
    for score in (5, 5, 4):  # 4.67
        answer(csat, score, at(15), agent=people["agent"])
    statement = _generate(people)
    assert statement.total == Decimal("50.00")  # 5 % of 1000
    kpi_line = statement.lines.get(kind=Line.Kind.KPI)
    assert (kpi_line.value, kpi_line.n, kpi_line.target) == (Decimal("4.67"), 3, Decimal("4.6"))
    rule_line = statement.lines.get(kind=Line.Kind.RULE)
    assert rule_line.amount == Decimal("50.00") and "met" in rule_line.rule_text
    assert statement.kpi_index == Decimal("100.00")


def test_below_the_condition_the_rule_pays_nothing_and_no_data_pays_nothing():
    people = org()
    _csat_scheme(people["head"])
    assert _generate(people).total == Decimal("0.00")  # no answers: no data
    answer(make_survey("csat"), 4, at(15), agent=people["agent"])
    statement = _generate(people)
    assert statement.total == Decimal("0.00")
    assert statement.kpi_index == Decimal("0.00")  # 4.0 is the threshold: nothing attained


def test_attainment_is_linear_between_threshold_and_target_both_directions():
    assert attainment(Decimal("4.3"), Decimal("4.6"), Decimal("4.0"), "higher") == Decimal("0.5")
    assert attainment(Decimal("1"), Decimal("0"), Decimal("2"), "lower") == Decimal("0.5")
    assert attainment(Decimal("3"), Decimal("0"), Decimal("2"), "lower") == 0


def _breaches(people, count, protected=0):
    _made, version = checklist(by=people["head"])
    for i in range(count + protected):
        evaluate(
            by=people["head"],
            version=version,
            outcomes=["pass", "fail", "pass"],
            did_not_work=[False, i >= count, False],
            employee_id=people["agent"].pk,
            performed_at=at(3 + i),
        )


def test_per_breach_penalty_with_a_rule_cap_and_a_protected_finding():
    people = org()
    made = scheme(people["head"])
    schemes.add_rule(
        actor=people["head"],
        scheme=made,
        name="Critical breach",
        kind="per_breach",
        amount=Decimal("-40"),
        cap=Decimal("100"),
    )
    _breaches(people, 3, protected=1)
    statement = _generate(people)
    rule_line = statement.lines.get(kind=Line.Kind.RULE)
    assert rule_line.value == 3  # the protected finding is not counted
    assert rule_line.amount == Decimal("-100.00")  # 3 x -40 = -120, capped at 100
    assert len(rule_line.records) == 3
    protected = statement.lines.get(kind=Line.Kind.PROTECTED)
    assert protected.amount == 0
    assert protected.records[0]["revision_request"] is not None
    assert protected.records[0]["url"].startswith("/standards/")
    assert statement.total == Decimal("-100.00")


def test_only_protected_findings_mean_no_penalty_at_all():
    people = org()
    made = scheme(people["head"])
    schemes.add_rule(
        actor=people["head"],
        scheme=made,
        name="Critical breach",
        kind="per_breach",
        amount=Decimal("-40"),
    )
    _breaches(people, 0, protected=2)
    statement = _generate(people)
    assert statement.total == 0
    assert statement.lines.filter(kind=Line.Kind.PROTECTED).count() == 2


def test_total_caps_cut_bonuses_and_penalties():
    people = org()
    made, kpi = _csat_scheme(people["head"], max_bonus=Decimal("60"), max_penalty=Decimal("30"))
    schemes.add_rule(
        actor=people["head"],
        scheme=made,
        name="CSAT extra",
        kind="amount",
        kpi_id=kpi.pk,
        comparison="gte",
        value=Decimal("4"),
        amount=Decimal("25"),
    )
    schemes.add_rule(
        actor=people["head"],
        scheme=made,
        name="Breach",
        kind="per_breach",
        amount=Decimal("-20"),
    )
    answer(make_survey("csat"), 5, at(15), agent=people["agent"])
    _breaches(people, 2)
    statement = _generate(people)
    # Bonuses 50 + 25 = 75 → 60; penalties -40 → -30.
    caps = sorted(statement.lines.filter(kind=Line.Kind.CAP).values_list("amount", flat=True))
    assert caps == [Decimal("-15.00"), Decimal("10.00")]
    assert statement.total == Decimal("30.00")


def test_generate_is_idempotent_and_approval_freezes_the_statement():
    people = org()
    _csat_scheme(people["head"])
    csat = make_survey("csat")
    answer(csat, 5, at(15), agent=people["agent"])
    first = _generate(people)
    again = _generate(people)
    assert first.pk == again.pk and Statement.objects.count() == 1
    assert again.lines.count() == 2
    statements.review(actor=people["head"], statement=again)
    statements.approve(actor=people["head"], statement=again)
    assert Notification.objects.filter(
        recipient=people["agent"], kind=statements.STATEMENT_APPROVED
    ).exists()
    # Later data would lower CSAT below the bar; the approved statement does not change.
    for _ in range(5):
        answer(csat, 1, at(16), agent=people["agent"])
    with pytest.raises(ValidationError) as refused:
        _generate(people)
    assert "period" in refused.value.message_dict
    frozen = Statement.objects.get(pk=first.pk)
    assert frozen.total == Decimal("50.00")
    assert frozen.lines.get(kind=Line.Kind.KPI).value == Decimal("5.00")


def test_an_adjustment_is_a_new_audited_line_with_a_reason():
    people = org()
    _csat_scheme(people["head"])
    statement = _generate(people)
    with pytest.raises(ValidationError) as draft_refused:
        statements.adjust(actor=people["head"], statement=statement, amount="10", reason="x")
    assert "status" in draft_refused.value.message_dict
    statements.review(actor=people["head"], statement=statement)
    statements.approve(actor=people["head"], statement=statement)
    with pytest.raises(ValidationError) as bad:
        statements.adjust(actor=people["head"], statement=statement, amount="1.234", reason="")
    assert set(bad.value.message_dict) == {"amount", "reason"}
    line = statements.adjust(
        actor=people["head"], statement=statement, amount="-12.50", reason="Overpaid in March"
    )
    statement.refresh_from_db()
    assert line.kind == Line.Kind.ADJUSTMENT and line.reason == "Overpaid in March"
    assert statement.total == Decimal("-12.50")
    entry = AuditEntry.objects.get(action=statements.STATEMENT_ADJUSTED)
    assert entry.changes["reason"] == "Overpaid in March"


def test_review_order_and_who_may_review():
    people = org()
    _csat_scheme(people["head"])
    statement = _generate(people)
    with pytest.raises(ValidationError):
        statements.approve(actor=people["head"], statement=statement)  # not reviewed
    for outsider in (people["peer"], people["stranger_boss"], people["agent"]):
        with pytest.raises(ValidationError):
            statements.review(actor=outsider, statement=statement)
    statements.review(actor=people["head"], statement=statement)
    assert Statement.objects.get(pk=statement.pk).status == Statement.Status.REVIEWED


def test_ready_for_review_tells_the_managers():
    people = org()
    _csat_scheme(people["head"])
    statement = _generate(people)
    told = statements.submit_for_review(actor=people["agent"], statement=statement)
    assert told >= 1
    assert Notification.objects.filter(
        recipient=people["head"], kind=statements.READY_FOR_REVIEW
    ).exists()
    assert not Notification.objects.filter(
        recipient=people["stranger_boss"], kind=statements.READY_FOR_REVIEW
    ).exists()


def test_no_scheme_and_bad_rules_are_field_errors():
    people = org()
    with pytest.raises(ValidationError) as no_scheme:
        _generate(people)
    assert "employee_id" in no_scheme.value.message_dict
    made = scheme(people["head"])
    with pytest.raises(ValidationError) as bad_rule:
        schemes.add_rule(actor=people["head"], scheme=made, name="", kind="percent")
    assert {"name", "kpi_id", "comparison", "value", "percent"} <= set(bad_rule.value.message_dict)
    with pytest.raises(ValidationError) as bad_kpi:
        schemes.add_kpi(
            actor=people["head"], scheme=made, source="nope", target=1, threshold=0, weight=0
        )
    assert set(bad_kpi.value.message_dict) == {"source", "weight"}


def test_an_individual_scheme_replaces_the_roles():
    people = org()
    _csat_scheme(people["head"])
    scheme(people["head"], employee=people["agent"], name="Anna's own", base_bonus=Decimal("10"))
    statement = _generate(people)
    assert statement.scheme_name == "Anna's own"
    assert _generate(people, "peer").scheme_name == "Agents"
