"""The demo's activities and tasks: logged by the clients' account managers in the operator's
language, tasks in every state (overdue ones among them), loaded once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.utils import timezone

from kliento.activities import demo, selectors
from kliento.activities.models import Activity, Task
from kliento.clients.models import TimelineEntry


def _texts(language):
    subjects = {demo.pick(subject, language) for *_rest, subject, _details in demo.ACTIVITIES}
    titles = {demo.pick(title, language) for title in demo.TASKS}
    return subjects, titles


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "uk"])
def test_demo_staff_logged_activities_and_tasks_in_the_operators_language(
    tmp_path, settings, language
):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=60, language=language)

    activities = list(Activity.objects.select_related("client", "author"))
    assert len(activities) >= 30
    subjects, titles = _texts(language)
    assert {a.subject for a in activities} <= subjects
    assert {t.title for t in Task.objects.all()} <= titles
    assert all(a.author_id == a.client.account_manager_id for a in activities)
    assert all(a.occurred_at <= timezone.now() for a in activities)

    now = timezone.now()
    states = {task.due_state(now) for task in Task.objects.all()}
    assert {"overdue", "today", "upcoming", "done"} <= states
    # The clients' timelines carry the entries real use writes.
    assert TimelineEntry.objects.filter(kind="activity.logged").count() == len(activities)
    assert TimelineEntry.objects.filter(kind="task.done").exists()
    # Some staff member opens Kliento to overdue tasks of their own.
    assignees = {task.assignee for task in Task.objects.select_related("assignee")}
    assert any(selectors.my_tasks(person).group("overdue").total for person in assignees)


@pytest.mark.django_db
def test_the_demo_activities_load_once(tmp_path, settings):
    settings.DATA_DIR = tmp_path
    call_command("demo", no_serve=True, clients=40)
    counts = (Activity.objects.count(), Task.objects.count(), TimelineEntry.objects.count())
    assert counts[0] > 0
    call_command("demo", no_serve=True, clients=40, language="ru")
    assert (
        Activity.objects.count(),
        Task.objects.count(),
        TimelineEntry.objects.count(),
    ) == counts
