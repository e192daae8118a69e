"""Planned control: audit plans, mystery shops with signed links (an external shopper sees
only their assignment), corrective actions with one overdue notice, the six-month warning."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kliento.core.models import Notification, OrgUnit
from kliento.quality import selectors
from kliento.quality.models import Evaluation, ShopAssignment
from kliento.quality.services import programme
from tests.factories import UserFactory
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


def _touchpoint(owner, name="Reception"):
    from kliento.touchpoints import services as touchpoints

    return touchpoints.create_touchpoint(
        actor=owner, name=name, kind="business", category="office", owner=owner
    )


def test_overdue_action_is_notified_once(auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(
        by=auditor, version=version, outcomes=["fail", "pass", "pass"], employee_id=agent.pk
    )
    failed = done.results.get(outcome="fail")
    with pytest.raises(ValidationError):
        programme.open_corrective_action(
            actor=auditor,
            result=done.results.filter(outcome="pass").first(),
            description="x",
            owner=agent,
            due_on=timezone.localdate(),
        )
    action = programme.open_corrective_action(
        actor=auditor,
        result=failed,
        description="Retrain",
        owner=agent,
        due_on=timezone.localdate(),
    )
    with pytest.raises(ValidationError):  # one action per finding
        programme.open_corrective_action(
            actor=auditor,
            result=failed,
            description="Again",
            owner=agent,
            due_on=timezone.localdate(),
        )
    today = timezone.localdate()
    assert programme.notify_overdue_actions(today=today) == 0  # due today: not overdue yet
    later = today + dt.timedelta(days=2)
    assert programme.notify_overdue_actions(today=later) == 1
    assert programme.notify_overdue_actions(today=later) == 0
    notices = Notification.objects.filter(kind=programme.ACTION_OVERDUE)
    assert sorted(n.recipient_id for n in notices) == sorted([agent.pk, auditor.pk])
    programme.close_corrective_action(actor=agent, action=action, note="Done")
    with pytest.raises(ValidationError):
        programme.close_corrective_action(actor=agent, action=action)


def test_closed_action_is_never_overdue(auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(
        by=auditor, version=version, outcomes=["fail", "pass", "pass"], employee_id=agent.pk
    )
    action = programme.open_corrective_action(
        actor=auditor,
        result=done.results.get(outcome="fail"),
        description="Retrain",
        owner=agent,
        due_on=timezone.localdate(),
    )
    programme.close_corrective_action(actor=agent, action=action, done=False)
    assert programme.notify_overdue_actions(today=timezone.localdate() + dt.timedelta(days=9)) == 0


def test_plan_calendar_and_perform(auditor, agent):
    _made, version = checklist(by=auditor)
    today = timezone.localdate()
    plan = programme.save_plan(
        actor=auditor,
        checklist=version.checklist,
        next_due=today,
        every_months=3,
        employee_id=agent.pk,
    )
    days = selectors.calendar(until=programme.add_months(today, 12), today=today)
    assert [d.day for d in days] == [programme.add_months(today, 3 * i) for i in range(5)]
    evaluation = programme.perform_plan(actor=auditor, plan=plan)
    assert evaluation.employee == agent and evaluation.kind == Evaluation.Kind.AUDIT
    plan.refresh_from_db()
    assert plan.next_due == programme.add_months(today, 3)
    with pytest.raises(ValidationError) as error:
        programme.save_plan(
            actor=auditor, checklist=version.checklist, next_due=today, every_months=0
        )
    assert set(error.value.message_dict) == {"every_months", "employee"}


def test_add_months_clamps_to_month_end():
    assert programme.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert programme.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert programme.add_months(dt.date(2026, 5, 15), -6) == dt.date(2025, 11, 15)
    assert programme.period_of(dt.date(2026, 5, 15)) == (dt.date(2026, 4, 1), dt.date(2026, 6, 30))


def test_external_shopper_link_opens_only_their_assignment(auditor, agent):
    _made, version = checklist(by=auditor)
    mine = programme.assign_shop(
        actor=auditor,
        checklist=version.checklist,
        channel="call",
        scenario="Ask about prices",
        employee_id=agent.pk,
        external_name="Anna",
    )
    other = programme.assign_shop(
        actor=auditor,
        checklist=version.checklist,
        channel="visit",
        scenario="Secret other",
        employee_id=agent.pk,
        external_name="Bob",
    )
    assert mine.window_start.month in (1, 4, 7, 10)  # the current quarter by default
    token = programme.link_token(mine)
    http = HttpClient()
    page = http.get(reverse("quality:shop", args=[token]))
    assert page.status_code == 200
    assert "Ask about prices" in page.content.decode()
    assert "Secret other" not in page.content.decode()
    # A token for one assignment cannot be bent to open another.
    # The payload is signed, so swapping the assignment id in it breaks the signature ...
    payload, _, signature = token.partition(":")
    swapped = signing.dumps({"a": other.pk, "k": mine.link_key}, salt=programme.LINK_SALT)
    assert swapped.partition(":")[0] != payload
    assert programme.assignment_for_link(f"{swapped.partition(':')[0]}:{signature}") is None
    # ... and even a validly signed token only opens the assignment whose key it carries.
    assert programme.assignment_for_link(swapped) is None
    assert programme.assignment_for_link(token + "x") is None
    # The shopper answers and completes: the link closes.
    items = list(version.items.all())
    data = {f"item-{i.pk}-outcome": "pass" for i in items}
    data["complete"] = "1"
    done = http.post(reverse("quality:shop", args=[token]), data)
    assert done.status_code == 200 and "shop-done" in done.content.decode()
    mine.refresh_from_db()
    assert mine.status == ShopAssignment.Status.DONE
    assert mine.evaluation.score is not None and mine.evaluation.performed_by is None
    again = http.get(reverse("quality:shop", args=[token]))
    assert "Ask about prices" not in again.content.decode()
    # The shopper reached no staff page.
    assert http.get(reverse("quality:evaluations")).status_code == 302


def test_reissued_link_stops_the_old_one(auditor, agent):
    _made, version = checklist(by=auditor)
    assignment = programme.assign_shop(
        actor=auditor,
        checklist=version.checklist,
        channel="chat",
        scenario="Chat",
        employee_id=agent.pk,
        external_name="Anna",
    )
    old = programme.link_token(assignment)
    programme.reissue_link(actor=auditor, assignment=assignment)
    assert programme.assignment_for_link(old) is None
    assert programme.assignment_for_link(programme.link_token(assignment)) == assignment
    assert programme.assignment_for_link("garbage") is None


def test_internal_shopper_sees_only_own_assignments(auditor, agent):
    other = UserFactory(username="other-shopper", role="agent")
    _made, version = checklist(by=auditor)
    mine = programme.assign_shop(
        actor=auditor,
        checklist=version.checklist,
        channel="visit",
        scenario="Visit",
        employee_id=auditor.pk,
        shopper=agent,
    )
    assert Notification.objects.filter(
        recipient=agent, kind=programme.SHOP_ASSIGNED_NOTICE
    ).exists()
    http = HttpClient()
    http.force_login(other)
    assert http.get(reverse("quality:assignment", args=[mine.pk])).status_code == 404
    http.force_login(agent)
    assert http.get(reverse("quality:assignment", args=[mine.pk])).status_code == 200
    items = list(version.items.all())
    data = {f"item-{i.pk}-outcome": "pass" for i in items} | {"complete": "1"}
    assert http.post(reverse("quality:assignment", args=[mine.pk]), data).status_code == 302
    mine.refresh_from_db()
    assert mine.status == ShopAssignment.Status.DONE
    assert mine.evaluation.kind == Evaluation.Kind.MYSTERY_SHOP


def test_six_month_warning(manager, auditor, agent, settings):
    touchpoint = _touchpoint(manager)
    team = OrgUnit.objects.create(name="Front", kind=OrgUnit.Kind.TEAM)
    _made, version = checklist(by=auditor, area_kind="touchpoint")
    names = {u.name for u in selectors.uncontrolled_areas(manager)}
    assert {"Reception", "Front"} <= names  # never controlled
    seven_months_ago = timezone.now() - dt.timedelta(days=213)
    evaluate(
        by=auditor,
        version=version,
        outcomes=["pass"] * 3,
        touchpoint_id=touchpoint.pk,
        performed_at=seven_months_ago,
    )
    assert "Reception" in {u.name for u in selectors.uncontrolled_areas(manager)}
    settings.KLIENTO_QUALITY_NO_CONTROL_MONTHS = 8
    assert "Reception" not in {u.name for u in selectors.uncontrolled_areas(manager)}
    settings.KLIENTO_QUALITY_NO_CONTROL_MONTHS = 6
    evaluate(by=auditor, version=version, outcomes=["pass"] * 3, touchpoint_id=touchpoint.pk)
    assert "Reception" not in {u.name for u in selectors.uncontrolled_areas(manager)}
    # The agent owns nothing and plans nothing: no warning for them.
    assert selectors.uncontrolled_areas(agent) == []
    http = HttpClient()
    http.force_login(manager)
    home = http.get("/")
    assert "quality-no-control" in home.content.decode()
    assert team.name in home.content.decode()
