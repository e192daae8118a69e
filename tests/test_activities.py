"""Activities and follow-up tasks on the client card: services, rules, permissions per role,
timeline and notification side effects, the card's panels and the "My tasks" home widget."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kliento.activities import selectors, services
from kliento.activities.models import Activity, Task
from kliento.clients.models import TimelineEntry
from kliento.clients.selectors import timeline_page
from kliento.core import roles
from kliento.core.models import Notification
from tests.factories import ClientFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 14)


@pytest.fixture
def stage_owner(db):
    return UserFactory(username="stage", role=roles.STAGE_OWNER)


@pytest.fixture
def administrator(db):
    return UserFactory(username="admin", role=roles.ADMINISTRATOR)


def log_call(actor, client, **kw):
    args = {"kind": "call", "direction": "out", "subject": "Asked about the offer"} | kw
    return services.log_activity(actor=actor, client_id=client.pk, **args)


def add_task(actor, client, **kw):
    args = {"title": "Send the offer", "due_on": timezone.localdate()} | kw
    return services.add_task(actor=actor, client_id=client.pk, **args)


def entries(client, kind):
    return list(TimelineEntry.objects.filter(client=client, kind=kind))


# --- Logging activities --------------------------------------------------------------------


def test_logging_a_call_stores_it_and_tells_the_timeline(agent, client_card):
    contact = ContactFactory(client=client_card)
    activity = log_call(
        agent, client_card, duration_minutes=12, body="She wants 20 units.", contact_id=contact.pk
    )
    assert (activity.kind, activity.direction, activity.duration_minutes) == ("call", "out", 12)
    assert activity.author == agent and activity.contact == contact
    (entry,) = entries(client_card, "activity.logged")
    assert entry.actor == agent and entry.summary == "Asked about the offer"
    assert entry.occurred_at == activity.occurred_at
    page = timeline_page(client_card, user=agent)
    (shown,) = [e for e in page.entries if e.kind == "activity.logged"]
    assert shown.lines() == [
        "Call · Outgoing · 12 minutes",
        "Asked about the offer",
        "She wants 20 units.",
    ]


def test_a_backdated_activity_sits_at_its_moment_in_the_timeline(agent, client_card):
    yesterday = timezone.now() - dt.timedelta(days=1)
    log_call(agent, client_card, occurred_at=yesterday)
    (entry,) = entries(client_card, "activity.logged")
    assert entry.occurred_at == yesterday


def test_text_is_stored_plain_and_shown_escaped(as_agent, agent, client_card):
    log_call(
        agent, client_card, kind="note", direction="", body="<script>alert(1)</script>\x00ok\r\n"
    )
    activity = Activity.objects.get()
    assert activity.body == "<script>alert(1)</script>ok"
    html = as_agent.get(client_card.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;ok" in html


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "fax"}, "kind"),
        ({"direction": ""}, "direction"),  # a call needs a direction
        ({"kind": "note", "direction": "in"}, "direction"),
        ({"kind": "note", "direction": "", "duration_minutes": 5}, "duration_minutes"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"subject": "", "body": "  "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"body": "x" * 10_001}, "body"),
        ({"occurred_at": timezone.now() + dt.timedelta(hours=2)}, "occurred_at"),
    ],
)
def test_invalid_activities_are_refused_with_the_field(agent, client_card, kw, field):
    with pytest.raises(ValidationError) as caught:
        log_call(agent, client_card, **kw)
    assert field in caught.value.message_dict
    assert not Activity.objects.exists() and not TimelineEntry.objects.exists()


def test_a_contact_of_another_client_is_refused(agent, client_card):
    other = ContactFactory(client=ClientFactory())
    with pytest.raises(ValidationError) as caught:
        log_call(agent, client_card, contact_id=other.pk)
    assert "contact_id" in caught.value.message_dict


def test_an_unknown_client_is_not_found(agent):
    with pytest.raises(services.ClientNotFound):
        services.log_activity(actor=agent, client_id=999_999, kind="note", subject="x")


def test_a_call_with_a_follow_up_adds_both_in_one_go(agent, manager, client_card):
    due = timezone.localdate() + dt.timedelta(days=2)
    activity = log_call(
        agent,
        client_card,
        follow_up=services.FollowUp(title="Call back", due_on=due, due_time=dt.time(10, 30)),
    )
    (task,) = Task.objects.all()
    assert task.activity == activity and task.assignee == agent and task.author == agent
    assert (task.due_on, task.due_time) == (due, dt.time(10, 30))
    assert len(entries(client_card, "task.added")) == 1
    # Nobody is told of a task they gave themselves.
    assert not Notification.objects.exists()


def test_an_invalid_follow_up_saves_nothing(agent, client_card):
    with pytest.raises(ValidationError) as caught:
        log_call(agent, client_card, follow_up=services.FollowUp(title="", due_on=None))
    assert {"follow_up_title", "follow_up_due_on"} <= set(caught.value.message_dict)
    assert not Activity.objects.exists() and not Task.objects.exists()


# --- Tasks ----------------------------------------------------------------------------------


def test_a_task_for_someone_else_notifies_them(agent, manager, client_card):
    task = add_task(manager, client_card, assignee=agent, due_time=dt.time(9, 0))
    (note,) = Notification.objects.all()
    assert note.recipient == agent and note.actor == manager and note.kind == "task.assigned"
    assert note.target_url == reverse("clients:detail", args=[client_card.pk])
    assert note.params["title"] == task.title and note.params["client"] == "Anna Nowak"
    text = notifications_text(note)
    assert "gave you a task for Anna Nowak: Send the offer" in text


def notifications_text(note):
    from kliento.core.notifications import render_text

    return render_text(note)


def test_a_rolled_back_task_leaves_no_notification(agent, manager, client_card):
    with pytest.raises(RuntimeError), transaction.atomic():
        add_task(manager, client_card, assignee=agent)
        raise RuntimeError
    assert not Task.objects.exists() and not Notification.objects.exists()


def test_the_assignee_must_be_able_to_work_on_tasks(manager, auditor, outsider, client_card):
    for person in (auditor, outsider):
        with pytest.raises(ValidationError) as caught:
            add_task(manager, client_card, assignee=person)
        assert "assignee" in caught.value.message_dict
    inactive = UserFactory(username="gone", role=roles.AGENT, is_active=False)
    with pytest.raises(ValidationError):
        add_task(manager, client_card, assignee=inactive)


def test_completing_records_once_and_reopening_records_again(agent, client_card):
    task = add_task(agent, client_card)
    done = services.complete_task(actor=agent, task=task)
    assert done.done_at is not None and done.done_by == agent
    services.complete_task(actor=agent, task=task)  # a second click changes nothing
    assert len(entries(client_card, "task.done")) == 1
    reopened = services.reopen_task(actor=agent, task=task)
    assert reopened.done_at is None and reopened.done_by is None
    assert len(entries(client_card, "task.reopened")) == 1


def test_only_the_assignee_or_a_manager_handles_a_task(
    agent, stage_owner, manager, administrator, client_card
):
    task = add_task(agent, client_card)
    with pytest.raises(PermissionDenied):
        services.complete_task(actor=stage_owner, task=task)
    with pytest.raises(PermissionDenied):
        services.reassign_task(actor=stage_owner, task=task, assignee=stage_owner)
    assert services.complete_task(actor=manager, task=task).done_by == manager
    assert services.reopen_task(actor=administrator, task=task).done_at is None


def test_reassigning_tells_the_new_assignee(agent, stage_owner, client_card):
    task = add_task(agent, client_card)
    services.reassign_task(actor=agent, task=task, assignee=stage_owner)
    task.refresh_from_db()
    assert task.assignee == stage_owner
    (note,) = Notification.objects.all()
    assert note.recipient == stage_owner and note.actor == agent


def test_due_state_is_computed_when_read(agent, client_card):
    warsaw = zoneinfo.ZoneInfo("Europe/Warsaw")
    now = dt.datetime(2026, 5, 14, 12, 0, tzinfo=warsaw)
    make = lambda **kw: Task(title="t", assignee=agent, client=client_card, **kw)  # noqa: E731
    with timezone.override(warsaw):
        assert make(due_on=TODAY - dt.timedelta(days=1)).due_state(now) == "overdue"
        assert make(due_on=TODAY, due_time=dt.time(11, 0)).due_state(now) == "overdue"
        assert make(due_on=TODAY, due_time=dt.time(13, 0)).due_state(now) == "today"
        assert make(due_on=TODAY).due_state(now) == "today"
        assert make(due_on=TODAY + dt.timedelta(days=1)).due_state(now) == "upcoming"
        assert make(due_on=TODAY, done_at=now).due_state(now) == "done"


def test_my_tasks_groups_open_tasks_by_due_state(agent, manager, client_card):
    warsaw = zoneinfo.ZoneInfo("Europe/Warsaw")
    now = dt.datetime(2026, 5, 14, 12, 0, tzinfo=warsaw)

    def task(title, due_on, due_time=None, assignee=agent, done=False):
        return Task.objects.create(
            client=client_card,
            title=title,
            due_on=due_on,
            due_time=due_time,
            assignee=assignee,
            done_at=now if done else None,
        )

    task("late", TODAY - dt.timedelta(days=3))
    task("this morning", TODAY, dt.time(9, 0))
    task("this afternoon", TODAY, dt.time(15, 0))
    task("some time today", TODAY)
    task("next week", TODAY + dt.timedelta(days=7))
    task("done long ago", TODAY - dt.timedelta(days=9), done=True)
    task("the manager's", TODAY - dt.timedelta(days=1), assignee=manager)
    with timezone.override(warsaw):
        mine = selectors.my_tasks(agent, now=now)
    titles = {g.state: [r.task.title for r in g.rows] for g in mine.groups}
    assert titles == {
        "overdue": ["late", "this morning"],
        "today": ["some time today", "this afternoon"],
        "upcoming": ["next week"],
    }
    assert mine.total == 5
    assert {r.client_name for g in mine.groups for r in g.rows} == {"Anna Nowak"}


# --- Pages: the card's panels, the log form, completing, the home widget ---------------------


def test_the_card_shows_the_panels_by_permission(as_agent, as_auditor, client_card):
    card = client_card.get_absolute_url()
    html = as_agent.get(card).content.decode()
    assert 'id="log-activity-form"' in html and 'id="tasks-panel"' in html
    html = as_auditor.get(card).content.decode()
    assert 'id="log-activity-form"' not in html  # read-only
    assert 'id="tasks-panel"' in html


def log_url(client):
    return reverse("activities:log", args=[client.pk])


FORM = {
    "kind": "call",
    "direction": "in",
    "occurred_at": "2026-01-10T09:15",
    "duration_minutes": "7",
    "subject": "Complaint about delivery",
    "body": "",
}


def test_logging_through_htmx_swaps_a_fresh_form_and_refreshes_the_timeline(
    as_agent, agent, client_card
):
    data = FORM | {
        "follow_up": "on",
        "follow_up_title": "Check with the courier",
        "follow_up_due_on": "2026-01-12",
        "follow_up_assignee": str(agent.pk),
    }
    response = as_agent.post(log_url(client_card), data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "kliento:timeline-changed" in response["HX-Trigger"]
    assert "Activity logged." in response.content.decode()
    activity = Activity.objects.get()
    assert activity.duration_minutes == 7 and activity.direction == "in"
    assert Task.objects.get().title == "Check with the courier"
    # The timeline's refresh shows the call.
    html = as_agent.get(reverse("clients:timeline", args=[client_card.pk])).content.decode()
    assert "Complaint about delivery" in html and "Check with the courier" in html


def test_errors_show_beside_the_fields(as_agent, client_card):
    data = FORM | {"subject": "", "follow_up": "on", "follow_up_title": ""}
    response = as_agent.post(log_url(client_card), data, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Trigger" not in response
    html = response.content.decode()
    assert re.search(r'id="id_subject".*?Write a subject or some details', html, re.S)
    assert re.search(r'id="id_follow_up_title".*?Say what is to be done', html, re.S)
    assert re.search(r'id="id_follow_up_due_on".*?Give a due date', html, re.S)
    assert not Activity.objects.exists()


def test_without_htmx_the_form_redirects_or_shows_its_errors(as_agent, client_card):
    response = as_agent.post(log_url(client_card), FORM)
    assert response.status_code == 302 and response["Location"] == client_card.get_absolute_url()
    response = as_agent.post(log_url(client_card), FORM | {"kind": ""})
    assert response.status_code == 400 and "invalid-feedback" in response.content.decode()


def test_the_auditor_and_a_user_without_a_role_cannot_log(as_auditor, as_outsider, client_card):
    for http in (as_auditor, as_outsider):
        assert http.post(log_url(client_card), FORM).status_code == 403
    assert not Activity.objects.exists()


def test_an_unknown_client_is_a_404(as_agent):
    assert as_agent.post("/activities/clients/999999/log/", FORM).status_code == 404


@pytest.mark.parametrize("persona", ["agent", "stage_owner", "manager", "administrator"])
def test_every_caring_role_may_log_and_add_tasks(persona, client_card):
    from django.test import Client as HttpClient

    user = UserFactory(username=f"p-{persona}", role=persona)
    http = HttpClient()
    http.force_login(user)
    data = FORM | {
        "follow_up": "on",
        "follow_up_title": "Follow up",
        "follow_up_due_on": "2026-01-12",
    }
    assert http.post(log_url(client_card), data).status_code == 302
    assert Task.objects.get(assignee=user).author == user


def test_completing_from_the_card_needs_the_assignee_or_a_manager(
    as_agent, agent, as_manager, stage_owner, client_card
):
    from django.test import Client as HttpClient

    task = add_task(agent, client_card)
    url = reverse("activities:task_complete", args=[task.pk])
    other = HttpClient()
    other.force_login(stage_owner)
    assert other.post(url).status_code == 403
    response = as_agent.post(url, {"panel": "card"}, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Trigger"] == "kliento:timeline-changed"
    assert "No open tasks." in response.content.decode()
    task.refresh_from_db()
    assert task.done_by == agent
    response = as_manager.post(reverse("activities:task_reopen", args=[task.pk]))
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is None


def test_completing_never_redirects_elsewhere(as_agent, agent, client_card):
    task = add_task(agent, client_card)
    url = reverse("activities:task_complete", args=[task.pk])
    response = as_agent.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == client_card.get_absolute_url()


def test_the_card_lists_open_tasks_and_offers_done_only_where_allowed(
    as_agent, agent, manager, client_card
):
    mine = add_task(agent, client_card, title="Mine", due_on=timezone.localdate() - dt.timedelta(1))
    add_task(manager, client_card, title="The manager's own")
    html = as_agent.get(client_card.get_absolute_url()).content.decode()
    panel = html[html.index('id="tasks-panel"') : html.index('id="log-activity"')]
    assert "Mine" in panel and "The manager&#x27;s own" in panel
    assert 'data-task-state="overdue"' in panel and "Overdue" in panel
    assert panel.count('hx-post="/activities/tasks/') == 1
    assert f"/activities/tasks/{mine.pk}/done/" in panel


def test_home_widget_highlights_overdue_tasks(as_agent, agent, client_card):
    today = timezone.localdate()
    add_task(agent, client_card, title="Late one", due_on=today - dt.timedelta(days=2))
    add_task(agent, client_card, title="Today's one", due_on=today)
    add_task(agent, client_card, title="Later one", due_on=today + dt.timedelta(days=3))
    html = as_agent.get("/").content.decode()
    widget = html[html.index('id="widget-activitiesmy_tasks"') :]
    overdue = re.search(r'<li class="[^"]*task-overdue[^"]*"[^>]*>(.*?)</li>', widget, re.S)
    assert overdue and "Late one" in overdue.group(1)
    assert widget.count("task-overdue") == 1
    assert "Due today" in widget and "Upcoming" in widget and "Today&#x27;s one" in widget


def test_home_widget_is_hidden_without_open_tasks(as_agent, as_auditor):
    assert 'id="widget-activitiesmy_tasks"' not in as_agent.get("/").content.decode()
    assert 'id="widget-activitiesmy_tasks"' not in as_auditor.get("/").content.decode()


def test_timeline_hides_activities_from_users_who_may_not_see_them(agent, client_card):
    log_call(agent, client_card)
    blind = UserFactory(username="blind")
    from django.contrib.auth.models import Permission

    blind.user_permissions.add(Permission.objects.get(codename="view_client"))
    page = timeline_page(client_card, user=blind)
    assert [e.kind for e in page.entries] == []
