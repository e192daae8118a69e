"""Writing a draft's goals and procedures with their escalation lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy import services
from kliento.policy.forms import (
    GoalForm,
    ProcedureForm,
    level_formset,
    level_specs,
)
from kliento.policy.models import Goal, Procedure
from kliento.policy.views.common import (
    MANAGE,
    VIEW,
    act,
    back_to,
    form_page,
    version_or_404,
)

GOAL_FIELDS = (
    "kind",
    "title",
    "owner",
    "mission_link",
    "metric_name",
    "metric_target",
    "metric_unit",
    "competitors",
)


def _goal_values(data: dict[str, Any]) -> dict[str, Any]:
    return {key: data[key] for key in GOAL_FIELDS}


@require(VIEW, MANAGE)
def goal_create(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = version_or_404(policy_id, policy_version_id)
    form = GoalForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_goal(
                actor=request.user, version=version, **_goal_values(form.cleaned_data)
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Goal added."))
            return back_to(policy_id, version)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return form_page(request, form, _("New goal"), back)


def _goal(policy_id: int, goal_id: int) -> Goal:
    return get_object_or_404(
        Goal.objects.select_related("version"), pk=goal_id, version__policy_id=policy_id
    )


@require(VIEW, MANAGE)
def goal_edit(request: AuthenticatedHttpRequest, policy_id: int, goal_id: int) -> HttpResponse:
    goal = _goal(policy_id, goal_id)
    initial = {key: getattr(goal, key) for key in GOAL_FIELDS}
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_goal(actor=request.user, goal=goal, **_goal_values(form.cleaned_data))
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Goal saved."))
            return back_to(policy_id, goal.version)
    back = reverse("policy:version", args=[policy_id, goal.version_id])
    return form_page(request, form, _("Edit goal"), back)


@require_POST
@require(VIEW, MANAGE)
def goal_delete(request: AuthenticatedHttpRequest, policy_id: int, goal_id: int) -> HttpResponse:
    goal = _goal(policy_id, goal_id)
    return act(
        request,
        lambda: services.delete_goal(actor=request.user, goal=goal),
        _("Goal deleted."),
        back_to(policy_id, goal.version),
    )


def _procedure_page(
    request: AuthenticatedHttpRequest,
    goal: Goal,
    procedure: Procedure | None,
) -> HttpResponse:
    initial = (
        {
            "title": procedure.title,
            "description": procedure.description,
            "channels": procedure.channels,
            "standards": [s.pk for s in procedure.standards.all()],
        }
        if procedure is not None
        else {}
    )
    form = ProcedureForm(request.POST or None, initial=initial)
    levels = level_formset(request.POST or None, procedure)
    level_errors: list[str] = []
    policy_id = goal.version.policy_id
    if request.method == "POST":
        valid = form.is_valid()
        if levels.is_valid() and valid:
            data = form.cleaned_data
            values = {
                "title": data["title"],
                "description": data["description"],
                "channels": data["channels"],
                "standard_ids": data["standards"],
                "levels": level_specs(levels),
            }
            try:
                if procedure is None:
                    services.add_procedure(actor=request.user, goal=goal, **values)
                else:
                    services.update_procedure(actor=request.user, procedure=procedure, **values)
            except ValidationError as exc:
                errors = exc.message_dict
                level_errors = errors.pop("levels", [])
                if errors:
                    form.apply(ValidationError(errors))
            else:
                messages.success(request, _("Procedure saved."))
                return back_to(policy_id, goal.version)
    back = reverse("policy:version", args=[policy_id, goal.version_id])
    heading = _("New procedure") if procedure is None else _("Edit procedure")
    return form_page(
        request,
        form,
        heading,
        back,
        levels=levels,
        level_errors=level_errors,
        goal=goal,
        template="policy/procedure_form.html",
    )


@require(VIEW, MANAGE)
def procedure_create(
    request: AuthenticatedHttpRequest, policy_id: int, goal_id: int
) -> HttpResponse:
    return _procedure_page(request, _goal(policy_id, goal_id), None)


def _procedure(policy_id: int, procedure_id: int) -> Procedure:
    return get_object_or_404(
        Procedure.objects.select_related("goal__version"),
        pk=procedure_id,
        goal__version__policy_id=policy_id,
    )


@require(VIEW, MANAGE)
def procedure_edit(
    request: AuthenticatedHttpRequest, policy_id: int, procedure_id: int
) -> HttpResponse:
    procedure = _procedure(policy_id, procedure_id)
    return _procedure_page(request, procedure.goal, procedure)


@require_POST
@require(VIEW, MANAGE)
def procedure_delete(
    request: AuthenticatedHttpRequest, policy_id: int, procedure_id: int
) -> HttpResponse:
    procedure = _procedure(policy_id, procedure_id)
    return act(
        request,
        lambda: services.delete_procedure(actor=request.user, procedure=procedure),
        _("Procedure deleted."),
        back_to(policy_id, procedure.goal.version),
    )
