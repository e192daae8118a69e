"""The quality pages and API: the phone form with evidence, the result page with its rule,
permissions (owner / member / outsider), corrective actions, the exemplary feed, 422s."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.tokens import issue_token
from kliento.quality import services
from kliento.quality.models import CorrectiveAction, Evaluation
from tests.factories import UserFactory
from tests.quality_support import checklist, evaluate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_form_with_evidence_and_critical_failure(as_auditor, auditor, agent):
    _made, version = checklist(by=auditor)
    start = as_auditor.post(
        reverse("quality:start"),
        {"checklist": version.checklist_id, "kind": "audit", "employee": agent.pk},
    )
    assert start.status_code == 302
    evaluation = Evaluation.objects.get()
    url = reverse("quality:evaluation", args=[evaluation.pk])
    assert as_auditor.get(url).status_code == 200
    first, critical, optional = version.items.all()
    # Completing with an item unanswered: refused, nothing half-written.
    refused = as_auditor.post(
        url,
        {
            f"item-{first.pk}-outcome": "pass",
            f"item-{first.pk}-file": SimpleUploadedFile("a.jpg", b"x", "image/jpeg"),
            "complete": "1",
        },
    )
    assert refused.status_code == 400
    assert evaluation.results.count() == 0
    done = as_auditor.post(
        url,
        {
            f"item-{first.pk}-outcome": "pass",
            f"item-{first.pk}-file": SimpleUploadedFile("photo.jpg", b"jpeg", "image/jpeg"),
            f"item-{critical.pk}-outcome": "fail",
            f"item-{critical.pk}-note": "No greeting",
            f"item-{optional.pk}-outcome": "na",
            "complete": "1",
        },
    )
    assert done.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.score == Decimal("0.00") and evaluation.critical_failed
    page = as_auditor.get(url).content.decode()
    assert "A critical item was not met, so the score is 0." in page
    assert "Items marked “not applicable” count in neither" in page
    evidence = evaluation.results.get(item=first).evidence.get()
    download = as_auditor.get(reverse("quality:evidence", args=[evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"jpeg"


def test_agent_sees_own_result_not_others(as_agent, auditor, agent):
    other = UserFactory(username="other-agent", role="agent")
    _made, version = checklist(by=auditor)
    mine = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=agent.pk)
    theirs = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=other.pk)
    assert as_agent.get(reverse("quality:evaluation", args=[mine.pk])).status_code == 200
    assert as_agent.get(reverse("quality:evaluation", args=[theirs.pk])).status_code == 404
    listing = as_agent.get(reverse("quality:evaluations")).content.decode()
    assert reverse("quality:evaluation", args=[theirs.pk]) not in listing
    assert as_agent.get(reverse("quality:compliance")).status_code == 403
    # An agent cannot answer or mark anything.
    assert as_agent.post(reverse("quality:mark_exemplary", args=[mine.pk])).status_code == 403


def test_outsider_is_refused(as_outsider, auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=agent.pk)
    assert as_outsider.get(reverse("quality:evaluation", args=[done.pk])).status_code == 403
    assert as_outsider.get(reverse("quality:checklists")).status_code == 403


def test_corrective_action_from_a_failed_item(as_auditor, auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(
        by=auditor, version=version, outcomes=["fail", "pass", "pass"], employee_id=agent.pk
    )
    failed = done.results.get(outcome="fail")
    due = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = as_auditor.post(
        reverse("quality:open_action", args=[failed.pk]),
        {"description": "Coach the greeting", "owner": agent.pk, "due_on": due},
    )
    assert response.status_code == 302
    action = CorrectiveAction.objects.get()
    assert action.owner == agent
    page = as_auditor.get(reverse("quality:actions")).content.decode()
    assert "Coach the greeting" in page


def test_exemplary_feed_hides_unseen_cases(as_manager, manager, auditor, agent):
    _made, version = checklist(by=auditor)
    done = evaluate(by=auditor, version=version, outcomes=["pass"] * 3, employee_id=agent.pk)
    # The manager marks the work of their own team (they see no other team's evaluations).
    unit = OrgUnit.objects.create(name="Front", kind=OrgUnit.Kind.TEAM)
    for person in (manager, agent):
        StaffProfile.objects.update_or_create(user=person, defaults={"unit": unit})
    response = as_manager.post(
        reverse("quality:mark_exemplary", args=[done.pk]),
        {"exemplary": "on", "note": "Textbook greeting"},
    )
    assert response.status_code == 302
    feed = as_manager.get(reverse("quality:exemplary")).content.decode()
    assert "Textbook greeting" in feed


def test_checklist_pages_build_and_publish(as_auditor, auditor):
    from tests.standards_support import published

    standard, _v = published(by=auditor, title="Greeting", body="Say hello within 5 s.")
    built = as_auditor.post(
        reverse("quality:build"),
        {
            "name": "Front desk",
            "area_kind": "touchpoint",
            "owner": auditor.pk,
            "standards": [str(standard.pk)],
        },
    )
    assert built.status_code == 302
    checklist_url = built["Location"]
    page = as_auditor.get(checklist_url).content.decode()
    assert "Greeting: Say hello within 5 s." in page
    from kliento.quality.models import Checklist

    made = Checklist.objects.get()
    bad = as_auditor.post(reverse("quality:add_item", args=[made.pk]), {"text": "", "weight": "0"})
    assert bad.status_code == 400
    assert as_auditor.post(reverse("quality:publish", args=[made.pk])).status_code == 302
    assert made.versions.get().status == "published"


def _api(user):
    from django.test import Client

    _token, raw = issue_token(actor=None, user=user, name="t")
    return Client(headers={"authorization": f"Bearer {raw}"})


def test_api_records_an_audit_and_answers_422(auditor, agent):
    _made, version = checklist(by=auditor)
    api = _api(auditor)
    items = list(version.items.all())
    response = api.post(
        "/api/v1/quality/evaluations",
        {
            "checklist_id": version.checklist_id,
            "employee_id": agent.pk,
            "answers": [{"item_id": i.pk, "outcome": "pass"} for i in items],
            "complete": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["score"] == "100.00"
    bad = api.post(
        "/api/v1/quality/evaluations",
        {
            "checklist_id": version.checklist_id,
            "employee_id": agent.pk,
            "answers": [{"item_id": items[0].pk, "outcome": "maybe"}],
        },
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert Evaluation.objects.count() == 1  # nothing half-written
    assert api.get("/api/v1/quality/compliance?start=2026-01-01&end=2025-01-01").status_code == 422
    agent_api = _api(agent)
    assert (
        agent_api.post(
            "/api/v1/quality/evaluations",
            {"checklist_id": version.checklist_id},
            content_type="application/json",
        ).status_code
        == 403
    )
    mine = agent_api.get("/api/v1/quality/evaluations")
    assert [e["employee_id"] for e in mine.json()] == [agent.pk]
    services.start_revision(actor=auditor, checklist=version.checklist)
