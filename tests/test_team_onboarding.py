"""Onboarding: checkpoints from the plan, the mentor's sign-off, progress on the employee's and
the mentor's home pages, standards acknowledgements as a checkpoint, overdue notices once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kliento.core import roles
from kliento.core.models import Notification
from kliento.standards import services as standards
from kliento.team import selectors
from kliento.team.models import Checkpoint
from kliento.team.services import onboarding
from tests.api_support import api_as
from tests.factories import UserFactory
from tests.standards_support import published
from tests.team_support import plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(manager):
    return {
        "new": UserFactory(username="nina", first_name="Nina", role=roles.AGENT),
        "mentor": UserFactory(username="olek", first_name="Olek", role=roles.AGENT),
        "other": UserFactory(username="pawel", role=roles.AGENT),
    }


def _start(manager, people, started_on=None, **kw):
    return onboarding.start_onboarding(
        actor=manager,
        employee=people["new"],
        mentor=people["mentor"],
        plan=plan(manager, **kw),
        started_on=started_on or timezone.localdate(),
    )


def test_checkpoints_are_copied_with_due_dates_and_both_are_told(manager, people):
    start = dt.date(2026, 3, 2)
    o = _start(manager, people, started_on=start)
    assert [(c.title, c.due_on) for c in o.checkpoints.all()] == [
        ("Shadow a colleague", start + dt.timedelta(days=7)),
        ("First audit", start + dt.timedelta(days=30)),
    ]
    told = Notification.objects.filter(kind=onboarding.ONBOARDING_STARTED)
    assert {n.recipient for n in told} == {people["new"], people["mentor"]}


def test_an_employee_cannot_mentor_themselves(manager, people):
    with pytest.raises(ValidationError) as exc:
        onboarding.start_onboarding(
            actor=manager,
            employee=people["new"],
            mentor=people["new"],
            plan=plan(manager),
            started_on=timezone.localdate(),
        )
    assert "mentor_id" in exc.value.message_dict


def test_only_the_mentor_or_a_manager_signs_off_and_only_once(manager, people):
    o = _start(manager, people)
    first = o.checkpoints.first()
    with pytest.raises(PermissionDenied):
        onboarding.sign_off(actor=people["new"], checkpoint=first)
    with pytest.raises(PermissionDenied):
        onboarding.sign_off(actor=people["other"], checkpoint=first)
    onboarding.sign_off(actor=people["mentor"], checkpoint=first, note="Good")
    assert selectors.onboarding_progress(o).done == 1
    with pytest.raises(ValidationError):
        onboarding.sign_off(actor=manager, checkpoint=first)
    first.refresh_from_db()
    assert first.signed_off_by == people["mentor"] and first.note == "Good"
    assert (
        Notification.objects.filter(
            kind=onboarding.CHECKPOINT_SIGNED, recipient=people["new"]
        ).count()
        == 1
    )


def test_progress_shows_on_both_home_pages_and_moves(manager, people, client):
    o = _start(manager, people)
    client.force_login(people["new"])
    home = client.get("/").content.decode()
    assert 'id="my-onboarding"' in home and 'onboarding-done">0</span> / 2' in home
    client.force_login(people["mentor"])
    assert 'id="mentoring"' in client.get("/").content.decode()
    client.force_login(people["other"])
    other = client.get("/").content.decode()
    assert 'id="mentoring"' not in other and 'id="my-onboarding"' not in other
    assert client.get(f"/team/onboarding/{o.pk}/").status_code == 404

    client.force_login(people["mentor"])
    checkpoint = o.checkpoints.first()
    assert client.post(f"/team/checkpoints/{checkpoint.pk}/sign/", {"note": ""}).status_code == 302
    client.force_login(people["new"])
    assert 'onboarding-done">1</span> / 2' in client.get("/").content.decode()
    # The new employee sees their onboarding but cannot sign off their own checkpoint.
    assert client.get(f"/team/onboarding/{o.pk}/").status_code == 200
    last = o.checkpoints.last()
    assert client.post(f"/team/checkpoints/{last.pk}/sign/").status_code == 403


def test_acknowledging_the_standards_completes_that_checkpoint(manager, people):
    _standard, version = published(by=manager)
    o = _start(manager, people, with_standards=True)
    reading = o.checkpoints.get(kind="standards")
    assert selectors.onboarding_progress(o).done == 0
    with pytest.raises(ValidationError):  # not acknowledged yet: the mentor cannot sign it off
        onboarding.sign_off(actor=people["mentor"], checkpoint=reading)
    assert onboarding.complete_acknowledged() == 0

    standards.acknowledge(actor=people["new"], version=version)

    assert selectors.onboarding_progress(o).done == 1  # counted at once
    assert onboarding.complete_acknowledged() == 1  # and written down by the job
    reading.refresh_from_db()
    assert reading.done_at is not None and reading.signed_off_by is None
    assert onboarding.complete_acknowledged() == 0


def test_overdue_checkpoints_are_notified_once(manager, people):
    o = _start(manager, people, started_on=timezone.localdate() - dt.timedelta(days=10))
    today = timezone.localdate()
    assert onboarding.notify_overdue(today=today) == 1  # the shadowing (day 7) only
    assert onboarding.notify_overdue(today=today) == 0
    assert onboarding.notify_overdue(today=today + dt.timedelta(days=40)) == 1  # the audit
    notices = Notification.objects.filter(kind=onboarding.CHECKPOINT_OVERDUE)
    assert notices.count() == 4  # two checkpoints, each to the employee and the mentor
    assert {n.recipient for n in notices} == {people["new"], people["mentor"]}
    assert selectors.onboarding_progress(o, today).overdue == 1


def test_a_signed_off_checkpoint_is_not_reported_overdue(manager, people):
    o = _start(manager, people, started_on=timezone.localdate() - dt.timedelta(days=10))
    onboarding.sign_off(actor=people["mentor"], checkpoint=o.checkpoints.first())
    assert onboarding.notify_overdue() == 0


def test_api_onboarding_and_sign_off(manager, people):
    api = api_as(manager)
    p = plan(manager)
    body = {
        "employee_id": people["new"].pk,
        "mentor_id": people["new"].pk,
        "plan_id": p.pk,
        "started_on": "2026-03-02",
    }
    assert api.post("/team/onboardings", body).status_code == 422
    assert api.post("/team/onboardings", {**body, "mentor_id": 999999}).status_code == 422
    assert api.post("/team/onboardings", {**body, "started_on": "soon"}).status_code == 422
    made = api.post("/team/onboardings", {**body, "mentor_id": people["mentor"].pk})
    assert made.status_code == 201 and made.json()["total"] == 2
    checkpoint_id = made.json()["checkpoints"][0]["id"]
    as_new = api_as(people["new"])
    refused = as_new.post(f"/team/checkpoints/{checkpoint_id}/sign-off", {})
    assert refused.status_code == 403
    assert (
        api_as(people["other"]).post(f"/team/checkpoints/{checkpoint_id}/sign-off", {}).status_code
        == 404
    )
    signed = api_as(people["mentor"]).post(f"/team/checkpoints/{checkpoint_id}/sign-off", {})
    assert signed.status_code == 200
    again = api_as(people["mentor"]).post(f"/team/checkpoints/{checkpoint_id}/sign-off", {})
    assert again.status_code == 422
    assert as_new.get(f"/team/onboardings/{made.json()['id']}").json()["done"] == 1
    assert Checkpoint.objects.filter(done_at__isnull=False).count() == 1
    bad = api.post(
        f"/team/onboarding-plans/{p.pk}/checkpoints", {"title": "X", "kind": "nap", "due_day": 3}
    )
    assert bad.status_code == 422
