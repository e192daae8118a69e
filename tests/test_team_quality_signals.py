"""The refresher triggers read audit compliance and the QA review score from the quality app:
the share of applicable checklist items the employees passed, each kind on its own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from kliento.core import roles
from kliento.team import signals
from kliento.team.registry import signals as registered
from tests.factories import UserFactory
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


def test_quality_signals_are_registered() -> None:
    assert {signals.AUDIT_COMPLIANCE, signals.QA_SCORE} <= set(registered.keys())


def test_audit_compliance_counts_applicable_items_of_audits_only() -> None:
    auditor = UserFactory(role=roles.AUDITOR)
    anna, ben = UserFactory(role=roles.AGENT), UserFactory(role=roles.AGENT)
    _made, version = checklist(by=auditor)  # items: weight 2, critical, may be N/A
    # Anna: 2 of 3 applicable passed; the critical failure zeroes the score, not the item share.
    evaluate(by=auditor, version=version, outcomes=["pass", "fail", "pass"], employee_id=anna.pk)
    # Ben: 1 of 2 applicable passed (the third is not applicable).
    evaluate(by=auditor, version=version, outcomes=["fail", "pass", "na"], employee_id=ben.pk)
    today = timezone.localdate()

    both = signals.audit_compliance([anna.pk, ben.pk], today, today)
    assert (both.n, both.successes) == (5, 3)
    assert both.value == pytest.approx(60.0)
    alone = signals.audit_compliance([anna.pk], today, today)
    assert (alone.n, alone.successes) == (3, 2)
    # No review of their cases: the QA score has nothing to say.
    assert signals.qa_score([anna.pk, ben.pk], today, today).value is None


def test_no_evaluations_is_no_reading() -> None:
    nobody = UserFactory(role=roles.AGENT)
    today = timezone.localdate()
    reading = signals.audit_compliance([nobody.pk], today, today)
    assert (reading.value, reading.n) == (None, 0)
