"""Business processes: versions, the order of steps, control points, overdue maths, the overdue
notice, who may do what, and bad input (services and pages)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kliento.clients.models import TimelineEntry
from kliento.core import roles
from kliento.core.models import Notification
from kliento.processes import selectors, services, tasks
from kliento.processes.models import ProcessDefinition, ProcessRun, RunStep
from kliento.processes.rules import StepSpec
from tests.factories import UserFactory
from tests.processes_helpers import make_definition, spec

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def stage_owner(db):
    return UserFactory(username="stage", role=roles.STAGE_OWNER)


@pytest.fixture
def onboarding(manager):
    return make_definition(actor=manager)


@pytest.fixture
def run(agent, client_card, onboarding):
    return services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)


def steps(run) -> list[RunStep]:
    return list(RunStep.objects.filter(run=run).select_related("template").order_by("position"))


def kinds(client) -> list[str]:
    return list(
        TimelineEntry.objects.filter(client=client, kind__startswith="process.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


# ---------------------------------------------------------------------------------------------
# Versions


def test_editing_a_definition_publishes_a_version_and_leaves_running_runs_alone(
    manager, agent, client_card, onboarding, run
):
    services.publish_version(
        actor=manager,
        definition=onboarding,
        name="Onboarding (short)",
        steps=[spec("Only step", days=9)],
    )
    onboarding.refresh_from_db()
    assert onboarding.current.number == 2 and onboarding.name == "Onboarding (short)"
    # The run started before the edit keeps version 1: its three steps, names and durations.
    run.refresh_from_db()
    assert run.version.number == 1 and run.version.name == "Onboarding"
    assert [s.template.title for s in steps(run)] == ["Meeting", "Contract", "Kick-off"]
    assert steps(run)[0].template.duration_days == 2
    # Version 1's steps are still there, unchanged, beside version 2's.
    assert [s.title for s in run.version.steps.all()] == ["Meeting", "Contract", "Kick-off"]
    # A run started now follows version 2.
    fresh = services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)
    assert fresh.version.number == 2
    assert [s.template.title for s in steps(fresh)] == ["Only step"]
    assert steps(fresh)[0].due_at - steps(fresh)[0].opened_at == dt.timedelta(days=9)


def test_the_definition_page_lists_every_version(as_manager, manager, onboarding):
    services.publish_version(
        actor=manager, definition=onboarding, name="Onboarding", steps=[spec("New")]
    )
    page = as_manager.get(reverse("processes:detail", args=[onboarding.pk])).content.decode()
    assert 'id="version-2"' in page and 'id="version-1"' in page


def test_the_definition_page_shows_where_each_client_is(as_auditor, agent, client_card, run):
    services.complete_step(actor=agent, step=steps(run)[0], result="ok")
    page = as_auditor.get(reverse("processes:detail", args=[run.version.definition_id]))
    html = page.content.decode()
    assert f'data-run="{run.pk}"' in html and client_card.name in html
    assert "Contract" in html and "1 of 3 steps" in html


def test_a_definition_needs_steps_and_a_free_name(manager, onboarding):
    with pytest.raises(ValidationError) as empty:
        services.create_definition(actor=manager, name="Empty", steps=[])
    assert "steps" in empty.value.message_dict
    with pytest.raises(ValidationError) as taken:
        services.create_definition(actor=manager, name="ONBOARDING", steps=[spec("A")])
    assert "name" in taken.value.message_dict
    bad = StepSpec(
        title="", result="", role="boss", duration_days=0, control_point=True, review_days=None
    )
    with pytest.raises(ValidationError) as wrong:
        services.create_definition(actor=manager, name="Bad", steps=[spec("Fine"), bad])
    assert set(wrong.value.message_dict) == {
        "steps.1.title",
        "steps.1.result",
        "steps.1.role",
        "steps.1.duration_days",
        "steps.1.review_days",
    }
    assert ProcessDefinition.objects.count() == 1  # only the fixture's


# ---------------------------------------------------------------------------------------------
# Order of steps and control points


def test_steps_are_done_in_order_and_the_run_completes(
    manager, agent, stage_owner, client_card, run
):
    first, second, third = steps(run)
    assert [s.state for s in (first, second, third)] == ["open", "waiting", "waiting"]
    # Not the second before the first (whoever asks, a manager included).
    with pytest.raises(ValidationError) as early:
        services.complete_step(actor=manager, step=second, result="too early")
    assert "step" in early.value.message_dict
    services.complete_step(actor=agent, step=first, result="Meeting summary: two groups")
    first, second, third = steps(run)
    assert (first.state, first.completed_by, first.result_text) == (
        "done",
        agent,
        "Meeting summary: two groups",
    )
    assert second.state == "open" and second.opened_at is not None
    # Done already: a second completion is refused, the result stays.
    with pytest.raises(ValidationError):
        services.complete_step(actor=agent, step=first, result="again")
    # The contract is a control point: done, it awaits sign-off and the next step waits.
    services.complete_step(actor=stage_owner, step=second, result="Signed")
    first, second, third = steps(run)
    assert second.state == "review" and third.state == "waiting"
    assert second.review_due_at == second.completed_at + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.complete_step(actor=agent, step=third, result="not yet")
    services.sign_off(actor=manager, step=second, decision=services.ACCEPT)
    _first, second, third = steps(run)
    assert second.state == "done" and second.reviewed_by == manager
    assert third.state == "open"
    services.complete_step(actor=agent, step=third, result="Schedule sent")
    run.refresh_from_db()
    assert run.completed_at is not None
    assert kinds(client_card) == [
        services.RUN_STARTED,
        services.STEP_COMPLETED,
        services.STEP_COMPLETED,
        services.CONTROL_ACCEPTED,
        services.STEP_COMPLETED,
        services.RUN_COMPLETED,
    ]


def test_a_control_point_sent_back_opens_the_step_again(manager, agent, stage_owner, run):
    first, second, _third = steps(run)
    services.complete_step(actor=agent, step=first, result="ok")
    services.complete_step(actor=stage_owner, step=second, result="Unsigned draft")
    with pytest.raises(ValidationError) as silent:
        services.sign_off(actor=manager, step=second, decision=services.RETURN, comment=" ")
    assert "comment" in silent.value.message_dict
    services.sign_off(
        actor=manager, step=second, decision=services.RETURN, comment="Both signatures, please"
    )
    _first, second, third = steps(run)
    assert second.state == "open" and third.state == "waiting"
    assert second.review_comment == "Both signatures, please"
    assert second.completed_at is None and second.due_at > timezone.now()
    # Not awaiting a sign-off any more: a second decision is refused.
    with pytest.raises(ValidationError):
        services.sign_off(actor=manager, step=second, decision=services.ACCEPT)
    services.complete_step(actor=stage_owner, step=second, result="Signed by both")
    services.sign_off(actor=manager, step=second, decision=services.ACCEPT)
    assert steps(run)[2].state == "open"


# ---------------------------------------------------------------------------------------------
# Permissions


def test_only_the_steps_role_or_a_manager_completes_it(
    agent, stage_owner, auditor, outsider, manager, run
):
    first, second, _third = steps(run)  # first: agent's; second: stage owner's
    for someone in (stage_owner, auditor, outsider):
        with pytest.raises(PermissionDenied):
            services.complete_step(actor=someone, step=first, result="x")
    services.complete_step(actor=agent, step=first, result="x")
    with pytest.raises(PermissionDenied):
        services.complete_step(actor=agent, step=second, result="x")
    services.complete_step(actor=manager, step=second, result="the manager may")
    for someone in (agent, stage_owner, auditor):
        with pytest.raises(PermissionDenied):
            services.sign_off(actor=someone, step=second, decision=services.ACCEPT)
    assert steps(run)[1].state == "review"


@pytest.mark.parametrize(
    ("persona", "edit", "start", "overdue"),
    [
        ("manager", 200, 302, 200),
        ("agent", 403, 302, 403),
        ("auditor", 403, 403, 403),
        ("outsider", 403, 403, 403),
    ],
)
def test_who_edits_starts_and_sees_the_overdue_page(
    persona, edit, start, overdue, request, client_card, onboarding
):
    user = request.getfixturevalue(persona)
    http = request.getfixturevalue(f"as_{persona}")
    assert http.get(reverse("processes:edit", args=[onboarding.pk])).status_code == edit
    assert http.get(reverse("processes:create")).status_code == edit
    response = http.post(
        reverse("processes:start", args=[client_card.pk]), {"process": onboarding.pk}
    )
    assert response.status_code == start
    assert ProcessRun.objects.filter(started_by=user).exists() == (start == 302)
    assert http.get(reverse("processes:overdue")).status_code == overdue


def test_auditor_reads_the_run_but_gets_no_forms(as_auditor, run):
    page = as_auditor.get(reverse("processes:run", args=[run.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Meeting" in html and "complete-step-form" not in html


# ---------------------------------------------------------------------------------------------
# Pages: creating, starting, completing, signing off


def test_manager_creates_a_process_on_the_page_with_errors_beside_fields(as_manager):
    form = {
        "name": "Complaint handling",
        "description": "",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
    }
    # What a browser posts for an untouched row: every field, empty.
    for index in (0, 1):
        for field in ("title", "result", "role", "duration_days", "review_days"):
            form[f"steps-{index}-{field}"] = ""
    # No step at all: refused, nothing saved.
    response = as_manager.post(reverse("processes:create"), form)
    assert response.status_code == 400
    assert "A process needs at least one step." in response.content.decode()
    row = {
        "steps-0-title": "Acknowledge",
        "steps-0-result": "",
        "steps-0-role": "agent",
        "steps-0-duration_days": "1",
    }
    response = as_manager.post(reverse("processes:create"), form | row)
    assert (
        response.status_code == 400 and 'id="id_steps-0-result_error"' in response.content.decode()
    )
    assert not ProcessDefinition.objects.exists()
    row["steps-0-result"] = "Client told we received it"
    response = as_manager.post(reverse("processes:create"), form | row)
    assert response.status_code == 302
    definition = ProcessDefinition.objects.get()
    assert [s.result for s in definition.current.steps.all()] == ["Client told we received it"]


def test_editing_on_the_page_publishes_version_two(as_manager, onboarding):
    page = as_manager.get(reverse("processes:edit", args=[onboarding.pk])).content.decode()
    assert 'value="Meeting"' in page
    form = {
        "name": "Onboarding",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
        "steps-0-title": "Call",
        "steps-0-result": "Call summary written",
        "steps-0-role": "agent",
        "steps-0-duration_days": "1",
        "steps-1-title": "Removed",
        "steps-1-result": "x",
        "steps-1-role": "agent",
        "steps-1-duration_days": "1",
        "steps-1-DELETE": "on",
    }
    assert as_manager.post(reverse("processes:edit", args=[onboarding.pk]), form).status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.current.number == 2
    assert [s.title for s in onboarding.current.steps.all()] == ["Call"]


def test_renaming_on_the_page_keeps_the_steps_shown(as_manager, onboarding):
    """The edit form shows the current steps; saved untouched, they are the new version's."""
    form = {
        "name": "Onboarding renamed",
        "steps-TOTAL_FORMS": "4",
        "steps-INITIAL_FORMS": "3",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "50",
    }
    for index, step in enumerate(onboarding.current.steps.all()):
        form |= {
            f"steps-{index}-title": step.title,
            f"steps-{index}-result": step.result,
            f"steps-{index}-role": step.role,
            f"steps-{index}-duration_days": str(step.duration_days),
            f"steps-{index}-review_days": str(step.review_days),
        }
        if step.control_point:
            form[f"steps-{index}-control_point"] = "on"
    form["steps-1-DELETE"] = "on"
    response = as_manager.post(reverse("processes:edit", args=[onboarding.pk]), form)
    assert response.status_code == 302
    onboarding.refresh_from_db()
    assert onboarding.current.name == "Onboarding renamed"
    assert [s.title for s in onboarding.current.steps.all()] == ["Meeting", "Kick-off"]


def test_agent_completes_a_step_with_a_file_on_the_run_page(as_agent, agent, run, client_card):
    first = steps(run)[0]
    url = reverse("processes:complete", args=[run.pk, first.pk])
    # Neither text nor file: refused beside the result field.
    response = as_agent.post(url, {"result": "  "})
    assert response.status_code == 400 and 'id="id_result_error"' in response.content.decode()
    upload = SimpleUploadedFile("summary.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    response = as_agent.post(url, {"result": "", "attachment": upload})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "done" and first.attachment_name == "summary.pdf"
    # Stored under a random name, handed back as a download only through the view.
    assert "summary" not in first.attachment.name
    download = as_agent.get(reverse("processes:attachment", args=[run.pk, first.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 minutes"
    assert download["Content-Disposition"].startswith("attachment")
    entry = TimelineEntry.objects.get(client=client_card, kind=services.STEP_COMPLETED)
    assert entry.data["attachment"] == "summary.pdf"


def test_bad_attachments_are_refused_and_nothing_is_written(settings, agent, run, tmp_path):
    first = steps(run)[0]
    settings.KLIENTO_MAX_ATTACHMENT_BYTES = 10
    big = SimpleUploadedFile("big.pdf", b"x" * 11)
    with pytest.raises(ValidationError) as too_big:
        services.complete_step(actor=agent, step=first, result="r", attachment=big)
    assert "larger" in too_big.value.message_dict["attachment"][0]
    for name in ("page.html", "image.svg", "tool.exe", "noextension"):
        with pytest.raises(ValidationError) as wrong:
            services.complete_step(
                actor=agent, step=first, attachment=SimpleUploadedFile(name, b"x")
            )
        assert "attachment" in wrong.value.message_dict
    first.refresh_from_db()
    assert first.state == "open" and not first.attachment
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_step_of_another_run_is_not_found(as_agent, agent, client_card, onboarding, run):
    other = services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)
    foreign = steps(other)[0]
    url = reverse("processes:complete", args=[run.pk, foreign.pk])
    assert as_agent.post(url, {"result": "x"}).status_code == 404
    assert (
        as_agent.get(reverse("processes:attachment", args=[run.pk, foreign.pk])).status_code == 404
    )
    foreign.refresh_from_db()
    assert foreign.state == "open"


def test_manager_sends_back_on_the_page_and_needs_a_comment(
    as_manager, manager, agent, stage_owner, run
):
    first, second, _ = steps(run)
    services.complete_step(actor=agent, step=first, result="ok")
    services.complete_step(actor=stage_owner, step=second, result="draft")
    url = reverse("processes:sign_off", args=[run.pk, second.pk])
    response = as_manager.post(url, {"decision": "return", "comment": ""})
    assert response.status_code == 400 and 'id="id_comment_error"' in response.content.decode()
    assert as_manager.post(url, {"decision": "return", "comment": "Sign it"}).status_code == 302
    assert steps(run)[1].state == "open"


def test_card_panel_shows_running_processes_with_progress(as_agent, agent, run, client_card):
    services.complete_step(actor=agent, step=steps(run)[0], result="ok")
    html = as_agent.get(reverse("clients:detail", args=[client_card.pk])).content.decode()
    assert 'id="processes-panel"' in html and 'id="start-process-form"' in html
    assert "1 of 3 steps" in html and 'value="1" max="3"' in html
    assert 'id="client-runs-completed"' not in html


def test_card_panel_links_completed_runs(as_auditor, manager, client_card, onboarding):
    short = services.create_definition(actor=manager, name="Call back", steps=[spec("Call")])
    done = services.start_run(actor=manager, client_id=client_card.pk, definition=short)
    services.complete_step(actor=manager, step=steps(done)[0], result="Called")
    html = as_auditor.get(reverse("clients:detail", args=[client_card.pk])).content.decode()
    assert 'id="client-runs-completed"' in html
    assert reverse("processes:run", args=[done.pk]) in html
    assert 'id="start-process-form"' not in html  # an auditor reads, starts nothing


def test_start_refuses_a_missing_process_and_a_missing_client(as_agent, client_card):
    response = as_agent.post(reverse("processes:start", args=[client_card.pk]), {"process": 999})
    assert response.status_code == 400 and 'id="id_process_error"' in response.content.decode()
    assert as_agent.post(reverse("processes:start", args=[999999]), {}).status_code == 404
    assert not ProcessRun.objects.exists()


# ---------------------------------------------------------------------------------------------
# Overdue


def test_overdue_maths(manager, agent, stage_owner, client_card, onboarding, run):
    first = steps(run)[0]
    due = first.due_at
    assert due == first.opened_at + dt.timedelta(days=2)
    # At the due time itself a step is not yet late; a second later it is.
    assert selectors.overdue(now=due).total == 0
    late = selectors.overdue(now=due + dt.timedelta(seconds=1))
    assert [r.step.pk for r in late.steps] == [first.pk] and late.control_points == []
    assert late.steps[0].late_days == 0
    three_days = selectors.overdue(now=due + dt.timedelta(days=3, hours=5))
    assert three_days.steps[0].late_days == 3
    assert three_days.steps[0].client_name == client_card.name
    # Done, it is no longer overdue; the control point after it is late only past its sign-off
    # time, and a step of a completed run never is.
    services.complete_step(actor=agent, step=first, result="ok")
    second = steps(run)[1]
    services.complete_step(actor=stage_owner, step=second, result="signed")
    second.refresh_from_db()
    assert selectors.overdue(now=second.review_due_at).total == 0
    after = selectors.overdue(now=second.review_due_at + dt.timedelta(minutes=1))
    assert [r.kind for r in after.control_points] == ["control_point"] and after.steps == []
    # Several late: the longest overdue first.
    other = services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)
    RunStep.objects.filter(pk=steps(other)[0].pk).update(
        due_at=timezone.now() - dt.timedelta(days=5)
    )
    third = steps(run)[2]
    assert third.state == "waiting"
    rows = selectors.overdue(now=timezone.now() + dt.timedelta(days=2)).steps
    assert rows[0].step.run_id == other.pk


def test_overdue_page_and_home_widget_for_managers(as_manager, agent, run):
    first = steps(run)[0]
    RunStep.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(days=2))
    page = as_manager.get(reverse("processes:overdue")).content.decode()
    assert 'data-overdue="step"' in page and "2 days late" in page
    home = as_manager.get(reverse("home")).content.decode()
    assert "Overdue in processes" in home and "Meeting" in home


def test_overdue_notice_goes_once_to_the_owner(
    agent, manager, run, django_capture_on_commit_callbacks
):
    first = steps(run)[0]
    # Not due yet: the task (enqueued for the due time) does nothing if it runs early.
    assert services.notify_step_overdue(step_id=first.pk) is False
    RunStep.objects.filter(pk=first.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert tasks.notify_step_overdue.call(first.pk) is True
        assert tasks.notify_step_overdue.call(first.pk) is False
        assert services.notify_overdue_steps() == 0
    notices = Notification.objects.filter(kind=services.STEP_OVERDUE)
    assert [n.recipient for n in notices] == [agent]
    assert "Meeting" in notices[0].params["step"]
    # Completed before the task runs: nobody is told.
    services.complete_step(actor=agent, step=first, result="done late")
    second = steps(run)[1]
    RunStep.objects.filter(pk=second.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    services.complete_step(actor=manager, step=second, result="signed")
    assert services.notify_step_overdue(step_id=second.pk) is False
    assert notices.count() == 1


def test_a_step_sent_back_and_late_again_is_told_again(agent, manager, stage_owner, run):
    first, second, _ = steps(run)
    services.complete_step(actor=agent, step=first, result="ok")
    RunStep.objects.filter(pk=second.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert services.notify_step_overdue(step_id=second.pk)
    services.complete_step(actor=stage_owner, step=second, result="draft")
    services.sign_off(actor=manager, step=second, decision=services.RETURN, comment="again")
    RunStep.objects.filter(pk=second.pk).update(due_at=timezone.now() - dt.timedelta(hours=1))
    assert services.notify_step_overdue(step_id=second.pk)
    assert Notification.objects.filter(kind=services.STEP_OVERDUE).count() == 2


def test_catch_up_command_tells_every_overdue_step(agent, client_card, onboarding, capsys):
    runs = [
        services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)
        for _ in range(3)
    ]
    late = [steps(r)[0].pk for r in runs[:2]]
    RunStep.objects.filter(pk__in=late).update(due_at=timezone.now() - dt.timedelta(days=1))
    call_command("notify_overdue_steps")
    call_command("notify_overdue_steps")
    assert capsys.readouterr().out.split() == ["2", "0"]
    assert Notification.objects.filter(kind=services.STEP_OVERDUE).count() == 2


def test_opening_a_step_enqueues_its_overdue_check_for_the_due_time(
    agent, client_card, onboarding, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        started = services.start_run(actor=agent, client_id=client_card.pk, definition=onboarding)
    queued = DBTaskResult.objects.get(task_path__endswith="notify_step_overdue")
    first = steps(started)[0]
    assert queued.args_kwargs["args"] == [first.pk]
    assert queued.run_after == first.due_at + dt.timedelta(seconds=1)


def test_owner_must_be_able_to_work_on_processes(agent, auditor, client_card, onboarding):
    with pytest.raises(ValidationError) as refused:
        services.start_run(
            actor=agent, client_id=client_card.pk, definition=onboarding, owner=auditor
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(services.ClientNotFound):
        services.start_run(actor=agent, client_id=999999, definition=onboarding)
    assert not ProcessRun.objects.exists()


def test_demo_loads_two_processes_with_one_overdue_step(db):
    from kliento.core.demo import DemoOptions, load_demo

    load_demo(DemoOptions(clients=20, language="uk", report=lambda _m: None))
    names = set(ProcessDefinition.objects.values_list("name", flat=True))
    assert names == {"Підключення нового корпоративного клієнта", "Опрацювання скарги"}
    assert ProcessRun.objects.filter(completed_at__isnull=True).count() == 3
    assert selectors.overdue().step_total == 1
    assert RunStep.objects.filter(state=RunStep.State.REVIEW).count() == 1
    load_demo(DemoOptions(clients=20, language="uk", report=lambda _m: None))
    assert ProcessRun.objects.count() == 3  # a second load reuses what is there
