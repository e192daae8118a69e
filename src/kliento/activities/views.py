"""The card's activity panels: logging an activity, the tasks block, completing a task."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.activities import rules, services
from kliento.activities.forms import LogActivityForm, ReassignTaskForm
from kliento.activities.models import Activity, Task
from kliento.activities.panels import tasks_context
from kliento.clients import selectors as clients
from kliento.clients.registry import TIMELINE_CHANGED
from kliento.core.permissions import require
from kliento.core.types import HtmxHttpRequest

TASKS_CHANGED = "kliento:tasks-changed"


def client_or_404(client_id: int) -> Any:
    label = clients.client_labels([client_id]).get(client_id)
    if label is None:
        raise Http404
    return label


def card_url(client_id: int) -> str:
    return reverse("clients:detail", args=[client_id])


@require_POST
@require("clients.view_client", "activities.add_activity")
def log_activity(request: HtmxHttpRequest, client_id: int) -> HttpResponse:
    client = client_or_404(client_id)
    form = LogActivityForm(request.POST, client_id=client_id, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        follow_up = None
        if data["follow_up"]:
            follow_up = services.FollowUp(
                title=data["follow_up_title"],
                due_on=data["follow_up_due_on"],
                due_time=data["follow_up_due_time"],
                assignee=form.assignee(),
            )
        try:
            services.log_activity(
                actor=request.user,
                client_id=client_id,
                kind=data["kind"],
                direction=data["direction"] if data["kind"] in Activity.DIRECTED else "",
                occurred_at=data["occurred_at"],
                duration_minutes=(
                    data["duration_minutes"] if data["kind"] in Activity.TIMED else None
                ),
                contact_id=data["contact"],
                subject=data["subject"],
                body=data["body"],
                follow_up=follow_up,
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            if not request.htmx:
                messages.success(request, _("Activity logged."))
                return HttpResponseRedirect(card_url(client_id))
            fresh = LogActivityForm(client_id=client_id, user=request.user)
            context = {"form": fresh, "client": client, "logged": True}
            response = render(request, "activities/panel_log.html#log_form", context)
            response["HX-Trigger"] = f"{TIMELINE_CHANGED}, {TASKS_CHANGED}"
            return response
    context = {"form": form, "client": client}
    if request.htmx:
        # 200, so htmx swaps the form in with its errors beside the fields.
        return render(request, "activities/panel_log.html#log_form", context)
    return render(request, "activities/log_page.html", context, status=400)


@require("clients.view_client", "activities.view_task")
def client_tasks(request: HtmxHttpRequest, client_id: int) -> HttpResponse:
    client_or_404(client_id)
    return render(
        request, "activities/panel_tasks.html#tasks", tasks_context(request.user, client_id)
    )


def _next_url(request: HtmxHttpRequest, task: Task) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return card_url(task.client_id)


def _task_action(request: HtmxHttpRequest, task_id: int, action: Any, done: str) -> HttpResponse:
    task = get_object_or_404(Task, pk=task_id)
    # Someone else's task without managing tasks: services raise PermissionDenied (a 403).
    action(actor=request.user, task=task)
    if request.htmx and request.POST.get("panel") == "card":
        response = render(
            request,
            "activities/panel_tasks.html#tasks",
            tasks_context(request.user, task.client_id),
        )
        response["HX-Trigger"] = TIMELINE_CHANGED
        return response
    messages.success(request, done)
    return HttpResponseRedirect(_next_url(request, task))


@require_POST
@require("activities.change_task")
def task_complete(request: HtmxHttpRequest, task_id: int) -> HttpResponse:
    return _task_action(request, task_id, services.complete_task, _("Task done."))


@require_POST
@require("activities.change_task")
def task_reopen(request: HtmxHttpRequest, task_id: int) -> HttpResponse:
    return _task_action(request, task_id, services.reopen_task, _("Task reopened."))


@require("activities.change_task")
def task_reassign(request: HtmxHttpRequest, task_id: int) -> HttpResponse:
    """Hand a task on to someone else: its assignee, or whoever manages tasks."""
    task = get_object_or_404(Task.objects.select_related("assignee"), pk=task_id)
    if not rules.may_handle(request.user, task):
        raise PermissionDenied(_("Only the assignee or a manager can change this task."))
    client = client_or_404(task.client_id)
    form = ReassignTaskForm(request.POST or None, task=task)
    if request.method == "POST" and form.is_valid():
        try:
            services.reassign_task(actor=request.user, task=task, assignee=form.chosen())
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Task handed on."))
            return HttpResponseRedirect(_next_url(request, task))
    context = {
        "form": form,
        "task": task,
        "client": client,
        "next": _next_url(request, task) if request.method == "POST" else _next_get(request, task),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "activities/task_reassign.html", context, status=status)


def _next_get(request: HtmxHttpRequest, task: Task) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return card_url(task.client_id)
