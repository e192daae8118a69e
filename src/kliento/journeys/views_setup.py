"""Setting journeys up (managers): a new journey, its stages and owners, its move rules."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.journeys import rules, services
from kliento.journeys.forms import JourneyForm, RuleForm, StageForm
from kliento.journeys.models import Journey, MoveRule, Stage

SETUP = (rules.VIEW, rules.MANAGE)


@require(*SETUP)
def create_journey(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = JourneyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        specs = [
            services.StageSpec(name=name, owner=data["owner"])
            for name in form.lines(data["main_stages"])
        ] + [
            services.StageSpec(name=name, owner=data["owner"], is_exit=True)
            for name in form.lines(data["exit_stages"])
        ]
        try:
            journey = services.create_journey(
                actor=request.user,
                name=data["name"],
                description=data["description"],
                stages=specs,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "stages" in exc.error_dict:
                form.add_error("main_stages", exc.error_dict.pop("stages"))
            if getattr(exc, "error_dict", None):
                form.apply(exc)
        else:
            messages.success(request, _("Journey created."))
            return redirect("journeys:setup", journey.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "journeys/journey_form.html", {"form": form}, status=status)


@require(*SETUP)
def setup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    journey = get_object_or_404(Journey, pk=pk)
    return render(
        request,
        "journeys/setup.html",
        {
            "journey": journey,
            "stages": Stage.objects.filter(journey=journey).select_related("owner"),
            "rules": MoveRule.objects.filter(journey=journey)
            .select_related("to_stage")
            .prefetch_related("from_stages"),
        },
    )


def _stage_form(
    request: AuthenticatedHttpRequest, journey: Journey, stage: Stage | None
) -> HttpResponse:
    initial = StageForm.initial_of(stage) if stage else {}
    form = StageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        owner = data.pop("owner")
        try:
            services.save_stage(
                actor=request.user, journey=journey, stage=stage, owner=owner, **data
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Stage saved."))
            return redirect("journeys:setup", journey.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "journey": journey, "stage": stage}
    return render(request, "journeys/stage_form.html", context, status=status)


@require(*SETUP)
def stage_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _stage_form(request, get_object_or_404(Journey, pk=pk), None)


@require(*SETUP)
def stage_edit(request: AuthenticatedHttpRequest, stage_id: int) -> HttpResponse:
    stage = get_object_or_404(Stage.objects.select_related("journey"), pk=stage_id)
    return _stage_form(request, stage.journey, stage)


def _rule_form(
    request: AuthenticatedHttpRequest, journey: Journey, rule: MoveRule | None
) -> HttpResponse:
    initial = RuleForm.initial_of(rule) if rule else {}
    form = RuleForm(request.POST or None, initial=initial, journey=journey)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(actor=request.user, journey=journey, rule=rule, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Rule saved."))
            return redirect("journeys:setup", journey.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "journey": journey, "rule": rule}
    return render(request, "journeys/rule_form.html", context, status=status)


@require(*SETUP)
def rule_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _rule_form(request, get_object_or_404(Journey, pk=pk), None)


@require(*SETUP)
def rule_edit(request: AuthenticatedHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(MoveRule.objects.select_related("journey"), pk=rule_id)
    return _rule_form(request, rule.journey, rule)


@require_POST
@require(*SETUP)
def rule_delete(request: AuthenticatedHttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(MoveRule, pk=rule_id)
    journey_id = rule.journey_id
    services.delete_rule(actor=request.user, rule=rule)
    messages.success(request, _("Rule deleted."))
    return redirect("journeys:setup", journey_id)
