"""The activities API: listing and logging activities, listing, adding and completing tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kliento.activities.models import Activity, Task
from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import Notification
from tests.api_support import api_as, error_locs
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def anna(db):
    return ClientFactory(name="Anna Nowak")


def test_log_a_call_with_a_follow_up_for_a_colleague(agent, manager, anna):
    contact = ContactFactory(client=anna)
    due = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = api_as(manager).post(
        f"/clients/{anna.pk}/activities",
        {
            "kind": "call",
            "direction": "in",
            "duration_minutes": 4,
            "subject": "Asked for a discount",
            "body": "<b>bold</b> stays text",
            "contact_id": contact.pk,
            "follow_up": {"title": "Prepare an offer", "due_on": due, "assignee_id": agent.pk},
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "call" and body["author"]["username"] == "manager"
    assert body["body"] == "<b>bold</b> stays text" and body["contact_id"] == contact.pk
    task = Task.objects.get()
    assert task.assignee == agent and task.activity_id == body["id"]
    assert Notification.objects.get().recipient == agent
    kinds = set(TimelineEntry.objects.values_list("kind", flat=True))
    assert kinds == {"activity.logged", "task.added"}

    listed = api_as(agent).get(f"/clients/{anna.pk}/activities").json()
    assert listed["count"] == 1 and listed["items"][0]["subject"] == "Asked for a discount"
    tasks = api_as(agent).get(f"/clients/{anna.pk}/tasks", {"open": "true"}).json()
    assert [t["title"] for t in tasks["items"]] == ["Prepare an offer"]
    assert tasks["items"][0]["state"] == "upcoming"


def test_invalid_input_answers_at_the_payloads_locations(agent, anna):
    response = api_as(agent).post(
        f"/clients/{anna.pk}/activities",
        {
            "kind": "note",
            "direction": "out",
            "subject": "",
            "follow_up": {"title": " ", "due_on": "2026-01-01", "assignee_id": 999_999},
        },
    )
    assert error_locs(response) == [("body", "payload", "follow_up", "assignee_id")]
    response = api_as(agent).post(
        f"/clients/{anna.pk}/activities",
        {"kind": "note", "direction": "out", "follow_up": {"title": " ", "due_on": "2026-01-01"}},
    )
    assert set(error_locs(response)) == {
        ("body", "payload", "direction"),
        ("body", "payload", "subject"),
        ("body", "payload", "follow_up", "title"),
    }
    assert not Activity.objects.exists()


def test_a_follow_up_needs_the_task_permission(auditor, anna):
    from django.contrib.auth.models import Permission

    auditor.user_permissions.add(Permission.objects.get(codename="add_activity"))
    response = api_as(auditor).post(
        f"/clients/{anna.pk}/activities",
        {"kind": "note", "subject": "x", "follow_up": {"title": "t", "due_on": "2026-01-01"}},
    )
    assert response.status_code == 403
    assert not Activity.objects.exists()


def test_add_complete_and_reopen_a_task(agent, manager, anna):
    today = timezone.localdate()
    response = api_as(agent).post(
        f"/clients/{anna.pk}/tasks",
        {"title": "Ring back", "due_on": (today - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["assignee"]["username"] == "agent" and task["state"] == "overdue"

    stage_owner = UserFactory(username="stage", role=roles.STAGE_OWNER)
    refused = api_as(stage_owner).post(f"/tasks/{task['id']}/complete")
    assert refused.status_code == 403

    done = api_as(agent).post(f"/tasks/{task['id']}/complete")
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert done.json()["done_by"]["username"] == "agent"
    again = api_as(agent).post(f"/tasks/{task['id']}/complete")
    assert again.json()["done_at"] == done.json()["done_at"]
    assert TimelineEntry.objects.filter(kind="task.done").count() == 1

    reopened = api_as(manager).post(f"/tasks/{task['id']}/reopen")
    assert reopened.status_code == 200 and reopened.json()["state"] == "overdue"
    assert api_as(agent).get(f"/clients/{anna.pk}/tasks", {"open": "false"}).json()["count"] == 0


def test_a_task_for_someone_who_cannot_work_on_tasks_is_refused(agent, auditor, anna):
    response = api_as(agent).post(
        f"/clients/{anna.pk}/tasks",
        {"title": "x", "due_on": "2026-01-01", "assignee_id": auditor.pk},
    )
    assert error_locs(response) == [("body", "payload", "assignee_id")]


def test_a_task_follows_only_an_activity_of_its_client(agent, anna):
    other = Activity.objects.create(client=ClientFactory(), kind="note", subject="x")
    response = api_as(agent).post(
        f"/clients/{anna.pk}/tasks",
        {"title": "x", "due_on": "2026-01-01", "activity_id": other.pk},
    )
    assert error_locs(response) == [("body", "payload", "activity_id")]


def test_unknown_clients_and_tasks_are_404(agent):
    assert api_as(agent).get("/clients/999999/activities").status_code == 404
    assert api_as(agent).get("/clients/999999/tasks").status_code == 404
    assert api_as(agent).post("/tasks/999999/complete").status_code == 404


def test_the_auditor_reads_but_does_not_write(auditor, anna):
    api = api_as(auditor)
    assert api.get(f"/clients/{anna.pk}/activities").status_code == 200
    assert api.get(f"/clients/{anna.pk}/tasks").status_code == 200
    response = api.post(f"/clients/{anna.pk}/activities", {"kind": "note", "subject": "x"})
    assert response.status_code == 403
    response = api.post(f"/clients/{anna.pk}/tasks", {"title": "x", "due_on": "2026-01-01"})
    assert response.status_code == 403
