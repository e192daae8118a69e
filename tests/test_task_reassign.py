"""Handing a task on: who may, to whom, what the new assignee is told and what the client's
timeline records; on the card, under "My tasks" and through the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from kliento.activities import services
from kliento.activities.models import Task
from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import Notification
from tests.api_support import api_as
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stage_owner(db):
    return UserFactory(username="stage", first_name="Stella", last_name="Owner", role="stage_owner")


@pytest.fixture
def colleague(db):
    return UserFactory(username="colleague", first_name="Cora", last_name="Agent", role=roles.AGENT)


def add_task(actor, client, **kw):
    args = {"title": "Send the offer", "due_on": timezone.localdate()} | kw
    return services.add_task(actor=actor, client_id=client.pk, **args)


def handed_on(client):
    return list(TimelineEntry.objects.filter(client=client, kind=services.TASK_REASSIGNED))


def login(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


# --- The service ----------------------------------------------------------------------------


def test_the_assignee_hands_a_task_on_the_new_one_is_told_and_the_timeline_says_so(
    agent, colleague, client_card
):
    task = add_task(agent, client_card)
    services.reassign_task(actor=agent, task=task, assignee=colleague)

    task.refresh_from_db()
    assert task.assignee == colleague
    (note,) = Notification.objects.filter(kind=services.TASK_ASSIGNED)
    assert note.recipient == colleague and note.actor == agent
    (entry,) = handed_on(client_card)
    assert entry.actor == agent
    assert entry.data == {"task_id": task.pk, "from_id": agent.pk, "to_id": colleague.pk}
    assert entry.lines()[0] == "Send the offer"
    assert entry.lines()[1] == f"From {agent.get_full_name() or agent.username} to Cora Agent"


def test_a_manager_hands_on_anyones_task_but_another_agent_may_not(
    agent, colleague, manager, client_card
):
    task = add_task(agent, client_card)
    with pytest.raises(PermissionDenied):
        services.reassign_task(actor=colleague, task=task, assignee=colleague)
    assert not handed_on(client_card)
    services.reassign_task(actor=manager, task=task, assignee=colleague)
    task.refresh_from_db()
    assert task.assignee == colleague


def test_handing_on_to_the_present_assignee_changes_and_records_nothing(agent, client_card):
    task = add_task(agent, client_card)
    services.reassign_task(actor=agent, task=task, assignee=agent)
    assert not handed_on(client_card)
    assert not Notification.objects.exists()


def test_nobody_is_given_a_task_they_cannot_work_on_nor_a_done_one(
    agent, colleague, auditor, outsider, client_card
):
    task = add_task(agent, client_card)
    for person in (auditor, outsider):
        with pytest.raises(ValidationError) as caught:
            services.reassign_task(actor=agent, task=task, assignee=person)
        assert "assignee" in caught.value.message_dict
    services.complete_task(actor=agent, task=task)
    with pytest.raises(ValidationError) as caught:
        services.reassign_task(actor=agent, task=task, assignee=colleague)
    assert "reopen" in caught.value.message_dict["assignee"][0]
    task.refresh_from_db()
    assert task.assignee == agent
    assert not handed_on(client_card)


# --- Pages ----------------------------------------------------------------------------------


def test_the_card_and_my_tasks_offer_handing_on_where_allowed(
    as_agent, agent, manager, client_card
):
    mine = add_task(agent, client_card, title="Mine")
    theirs = add_task(manager, client_card, title="Theirs")
    url = reverse("activities:task_reassign", args=[mine.pk])
    other_url = reverse("activities:task_reassign", args=[theirs.pk])
    card = as_agent.get(client_card.get_absolute_url()).content.decode()
    assert url in card and other_url not in card
    home = as_agent.get(reverse("home")).content.decode()
    assert f"{url}?next=/" in home


def test_handing_on_through_the_page(agent, colleague, client_card):
    task = add_task(agent, client_card)
    url = reverse("activities:task_reassign", args=[task.pk])
    http = login(agent)
    page = http.get(url, {"next": "/"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cora Agent" in html and 'name="next" value="/"' in html

    response = http.post(url, {"assignee": colleague.pk, "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    task.refresh_from_db()
    assert task.assignee == colleague
    assert len(handed_on(client_card)) == 1


def test_a_wrong_choice_shows_beside_the_field_and_changes_nothing(agent, auditor, client_card):
    task = add_task(agent, client_card)
    url = reverse("activities:task_reassign", args=[task.pk])
    response = login(agent).post(url, {"assignee": auditor.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_assignee_error"' in html
    task.refresh_from_db()
    assert task.assignee == agent


def test_a_done_task_is_refused_on_the_page(agent, colleague, client_card):
    task = add_task(agent, client_card)
    services.complete_task(actor=agent, task=task)
    response = login(agent).post(
        reverse("activities:task_reassign", args=[task.pk]), {"assignee": colleague.pk}
    )
    assert response.status_code == 400
    assert "reopen it" in response.content.decode()


def test_someone_elses_task_is_forbidden_on_the_page(agent, colleague, auditor, client_card):
    task = add_task(agent, client_card)
    url = reverse("activities:task_reassign", args=[task.pk])
    assert login(colleague).get(url).status_code == 403
    assert login(colleague).post(url, {"assignee": colleague.pk}).status_code == 403
    assert login(auditor).get(url).status_code == 403
    assert Task.objects.get(pk=task.pk).assignee == agent


def test_the_page_never_sends_elsewhere(agent, colleague, client_card):
    task = add_task(agent, client_card)
    url = reverse("activities:task_reassign", args=[task.pk])
    response = login(agent).post(url, {"assignee": colleague.pk, "next": "https://evil.example/"})
    assert response["Location"] == client_card.get_absolute_url()


# --- API ------------------------------------------------------------------------------------


def test_api_hands_a_task_on(agent, colleague, client_card):
    task = add_task(agent, client_card)
    response = api_as(agent).post(f"/tasks/{task.pk}/reassign", {"assignee_id": colleague.pk})
    assert response.status_code == 200
    assert response.json()["assignee"]["username"] == "colleague"
    assert len(handed_on(client_card)) == 1


def test_api_refuses_with_the_reason(agent, colleague, auditor, client_card):
    task = add_task(agent, client_card)
    path = f"/tasks/{task.pk}/reassign"
    forbidden = api_as(colleague).post(path, {"assignee_id": colleague.pk})
    assert forbidden.status_code == 403
    unknown = api_as(agent).post(path, {"assignee_id": 999_999})
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["loc"][-1] == "assignee_id"
    unfit = api_as(agent).post(path, {"assignee_id": auditor.pk})
    assert unfit.status_code == 422
    assert unfit.json()["detail"][0]["loc"][-1] == "assignee_id"
    wrong_type = api_as(agent).post(path, {"assignee_id": "5"})
    assert wrong_type.status_code == 422
    missing = api_as(agent).post("/tasks/999999/reassign", {"assignee_id": agent.pk})
    assert missing.status_code == 404
    assert Task.objects.get(pk=task.pk).assignee == agent
    assert not handed_on(client_card)
