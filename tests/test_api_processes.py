"""The processes API: definitions (read for staff, write for managers), starting a run,
completing a step (multipart), signing off, the overdue list, and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from django.utils import timezone

from kliento.core import roles
from kliento.core.tokens import issue_token
from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep
from tests.api_support import BASE, api_as, error_locs
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STEPS = [
    {"title": "Meeting", "result": "Meeting summary written", "role": "agent", "duration_days": 2},
    {
        "title": "Contract",
        "result": "Contract signed",
        "role": "stage_owner",
        "duration_days": 5,
        "control_point": True,
        "review_days": 2,
    },
]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def process(manager):
    response = api_as(manager).post("/processes", {"name": "Onboarding", "steps": STEPS})
    assert response.status_code == 201, response.content
    return response.json()


def _multipart(user, path: str, data: dict):
    _token, raw = issue_token(actor=user, user=user, name="tests")
    return HttpClient().post(BASE + path, data, headers={"Authorization": f"Bearer {raw}"})


def test_manager_creates_and_edits_staff_read(manager, agent, auditor, process):
    assert process["version"] == 1
    assert [s["result"] for s in process["steps"]] == ["Meeting summary written", "Contract signed"]
    assert process["steps"][1]["control_point"] and process["steps"][1]["review_days"] == 2
    edited = api_as(manager).put(
        f"/processes/{process['id']}", {"name": "Onboarding v2", "steps": STEPS[:1]}
    )
    assert edited.status_code == 200 and edited.json()["version"] == 2
    for reader in (agent, auditor):
        listed = api_as(reader).get("/processes")
        assert listed.status_code == 200
        assert [p["name"] for p in listed.json()["items"]] == ["Onboarding v2"]
        assert api_as(reader).get(f"/processes/{process['id']}").json()["version"] == 2


@pytest.mark.parametrize("persona", ["agent", "auditor", "outsider"])
def test_only_managers_write_definitions(persona, request, process):
    user = request.getfixturevalue(persona)
    created = api_as(user).post("/processes", {"name": "Mine", "steps": STEPS})
    assert created.status_code == 403
    edited = api_as(user).put(f"/processes/{process['id']}", {"name": "X", "steps": STEPS})
    assert edited.status_code == 403
    assert ProcessDefinition.objects.get().current.number == 1


def test_bad_definitions_are_refused_at_their_fields(manager, process):
    api = api_as(manager)
    assert ("body", "payload", "steps") in error_locs(
        api.post("/processes", {"name": "Empty", "steps": []})
    )
    assert ("body", "payload", "name") in error_locs(
        api.post("/processes", {"name": "onboarding", "steps": STEPS})
    )
    blank = [{**STEPS[0], "title": "  "}]
    assert ("body", "payload", "steps", 0, "title") in error_locs(
        api.post("/processes", {"name": "Blank", "steps": blank})
    )
    wrong_role = [{**STEPS[0], "role": "boss"}]
    assert api.post("/processes", {"name": "Role", "steps": wrong_role}).status_code == 422
    assert ProcessDefinition.objects.count() == 1
    assert api.put("/processes/999", {"name": "X", "steps": STEPS}).status_code == 404


def test_a_run_through_the_api(agent, manager, client_card, process):
    stage_owner = UserFactory(username="stage", role=roles.STAGE_OWNER)
    started = api_as(agent).post(
        f"/clients/{client_card.pk}/process-runs",
        {"process_id": process["id"], "subject": "Spring event"},
    )
    assert started.status_code == 201, started.content
    run = started.json()
    assert run["subject"] == "Spring event" and run["owner_id"] == agent.pk
    first, second = run["steps"]
    assert (first["state"], second["state"]) == ("open", "waiting")
    base = f"/process-runs/{run['id']}/steps"
    # Empty result: refused.
    empty = _multipart(agent, f"{base}/{first['id']}/complete", {"result": " "})
    assert error_locs(empty) == [("form", "result")]
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF", content_type="application/pdf")
    done = _multipart(agent, f"{base}/{first['id']}/complete", {"attachment": upload})
    assert done.status_code == 200, done.content
    assert done.json()["steps"][0]["attachment_name"] == "minutes.pdf"
    # The contract is the stage owner's: the agent is refused, the stage owner completes it.
    refused = _multipart(agent, f"{base}/{second['id']}/complete", {"result": "x"})
    assert refused.status_code == 403
    done = _multipart(stage_owner, f"{base}/{second['id']}/complete", {"result": "Signed"})
    assert done.json()["steps"][1]["state"] == "review"
    # Only a manager signs off; a send-back needs a comment.
    assert (
        api_as(agent).post(f"{base}/{second['id']}/sign-off", {"decision": "accept"}).status_code
        == 403
    )
    assert error_locs(
        api_as(manager).post(f"{base}/{second['id']}/sign-off", {"decision": "return"})
    ) == [("body", "payload", "comment")]
    accepted = api_as(manager).post(f"{base}/{second['id']}/sign-off", {"decision": "accept"})
    assert accepted.status_code == 200
    assert accepted.json()["completed_at"] is not None
    listed = api_as(agent).get(f"/clients/{client_card.pk}/process-runs").json()["items"]
    assert [(r["done_count"], r["step_count"]) for r in listed] == [(2, 2)]


def test_a_step_of_another_run_or_a_missing_process_is_refused(agent, client_card, process):
    api = api_as(agent)
    one = api.post(f"/clients/{client_card.pk}/process-runs", {"process_id": process["id"]}).json()
    two = api.post(f"/clients/{client_card.pk}/process-runs", {"process_id": process["id"]}).json()
    foreign = two["steps"][0]["id"]
    response = _multipart(
        agent, f"/process-runs/{one['id']}/steps/{foreign}/complete", {"result": "x"}
    )
    assert response.status_code == 404
    assert RunStep.objects.get(pk=foreign).state == "open"
    missing = api.post(f"/clients/{client_card.pk}/process-runs", {"process_id": 999})
    assert error_locs(missing) == [("body", "payload", "process_id")]
    assert (
        api.post("/clients/999999/process-runs", {"process_id": process["id"]}).status_code == 404
    )
    assert ProcessRun.objects.count() == 2


def test_forbidden_attachment_type_is_refused(agent, client_card, process):
    run = (
        api_as(agent)
        .post(f"/clients/{client_card.pk}/process-runs", {"process_id": process["id"]})
        .json()
    )
    step = run["steps"][0]["id"]
    page = SimpleUploadedFile("evil.html", b"<script>alert(1)</script>", content_type="text/html")
    response = _multipart(
        agent, f"/process-runs/{run['id']}/steps/{step}/complete", {"attachment": page}
    )
    assert error_locs(response) == [("form", "attachment")]
    assert RunStep.objects.get(pk=step).state == "open"


def test_overdue_list_for_managers(manager, agent, auditor, client_card, process):
    run = (
        api_as(agent)
        .post(f"/clients/{client_card.pk}/process-runs", {"process_id": process["id"]})
        .json()
    )
    step = run["steps"][0]["id"]
    RunStep.objects.filter(pk=step).update(due_at=timezone.now() - dt.timedelta(hours=3))
    listed = api_as(manager).get("/process-runs/overdue")
    assert listed.status_code == 200
    (row,) = listed.json()
    assert row["step_id"] == step and row["kind"] == "step"
    assert 3 * 3600 <= row["late_seconds"] < 3 * 3600 + 60
    assert api_as(agent).get("/process-runs/overdue").status_code == 403
    assert api_as(auditor).get("/process-runs/overdue").status_code == 403
    got = api_as(auditor).get(f"/process-runs/{run['id']}").json()
    assert got["steps"][0]["overdue"] is True
