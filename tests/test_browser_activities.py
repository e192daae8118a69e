"""An agent on a phone (390 px wide), in Russian, logs a call with a follow-up task on the card:
errors show beside the fields, then the call reaches the timeline and the task the tasks block
without a page load, and one click completes it."""

from __future__ import annotations

import datetime as dt
import os

import pytest

from kliento.activities.models import Activity, Task
from kliento.core import roles
from tests.factories import ClientFactory, UserFactory
from tests.test_browser import browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("KLIENTO_SCREENSHOTS")


def test_agent_logs_a_call_with_a_follow_up_in_russian_on_a_phone(live_server, browser):  # noqa: F811
    agent = UserFactory(username="olena", first_name="Олена", last_name="Мельник", role=roles.AGENT)
    client = ClientFactory(name="Анна Новак")
    context = browser.new_context(
        locale="ru-RU", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/login/?next=/clients/{client.pk}/")
    page.fill("#id_username", "olena")
    page.fill("#id_password", "secret-pass-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/clients/{client.pk}/")
    assert page.evaluate("document.documentElement.lang") == "ru"

    form = page.locator("#log-activity-form")
    # Only what applies to a call shows: direction and duration yes, the task's fields not yet.
    assert form.locator("select[name=direction]").is_visible()
    assert not form.locator("input[name=follow_up_title]").is_visible()
    form.locator("select[name=kind]").select_option("note")
    assert not form.locator("select[name=direction]").is_visible()
    form.locator("select[name=kind]").select_option("call")

    form.locator("input[name=duration_minutes]").fill("15")
    form.locator("input[name=follow_up]").check()
    form.locator("input[name=follow_up_title]").fill("Перезвонить после оплаты")
    page.locator("#log-activity-submit").click()
    # No subject, no details, no due date: refused beside the fields, nothing saved.
    page.locator("#log-activity-form .invalid-feedback").first.wait_for()
    assert page.locator("#log-activity-form .invalid-feedback").count() == 2
    assert not Activity.objects.exists()

    form = page.locator("#log-activity-form")
    form.locator("input[name=subject]").fill("Звонок по поводу заказа")
    form.locator("textarea[name=body]").fill("Клиент просит доставку в пятницу.")
    due = dt.date.today() + dt.timedelta(days=1)
    form.locator("input[name=follow_up_due_on]").fill(due.isoformat())
    page.locator("#log-activity-submit").click()
    page.locator("#log-activity-form .alert-success").wait_for()
    page.locator("#timeline", has_text="Звонок по поводу заказа").wait_for()
    page.locator("#client-tasks", has_text="Перезвонить после оплаты").wait_for()

    activity = Activity.objects.get()
    assert (activity.kind, activity.direction, activity.duration_minutes) == ("call", "out", 15)
    task = Task.objects.get()
    assert task.assignee == agent and task.due_on == due and task.activity == activity
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    if SHOTS:
        page.locator("#tasks-panel").scroll_into_view_if_needed()
        page.screenshot(path=f"{SHOTS}/activities-390-ru.png", full_page=True)

    page.locator("#client-tasks button").click()
    page.locator("#client-tasks [data-task-state]").wait_for(state="detached")
    task.refresh_from_db()
    assert task.done_by == agent
    context.close()
