"""Onboarding pages: plans, onboardings with their mentor, and the mentor's sign-off."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.team import selectors
from kliento.team.forms import OnboardingForm, PlanCheckpointForm, PlanForm, SignOffForm, apply
from kliento.team.models import Checkpoint, Onboarding, OnboardingPlan
from kliento.team.services import onboarding as service

VIEW = "team.view_idealprofile"
MANAGE = "team.manage_onboarding"


@require(VIEW, writes=[MANAGE])
def onboarding_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OnboardingForm(request.POST or None, initial={"started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        started = apply(
            form,
            lambda: service.start_onboarding(
                actor=request.user,
                employee=data["employee"],
                mentor=data["mentor"],
                plan=data["plan"],
                started_on=data["started_on"],
            ),
        )
        if started is not None:
            return HttpResponseRedirect(reverse("team:onboarding", args=[started.pk]))
    rows = [
        (o, selectors.onboarding_progress(o)) for o in selectors.onboardings_for(request.user)[:100]
    ]
    context = {"rows": rows, "form": form, "manager": request.user.has_perm(MANAGE)}
    return render(request, "team/onboardings.html", context, status=422 if form.errors else 200)


def _visible(request: AuthenticatedHttpRequest, onboarding_id: int) -> Onboarding:
    onboarding = selectors.onboardings_for(request.user).filter(pk=onboarding_id).first()
    if onboarding is None:
        raise Http404
    return onboarding


@require(VIEW)
def onboarding_detail(request: AuthenticatedHttpRequest, onboarding_id: int) -> HttpResponse:
    onboarding = _visible(request, onboarding_id)
    checkpoints = list(onboarding.checkpoints.select_related("signed_off_by"))
    acknowledged = selectors.standards_acknowledged(onboarding.employee)
    today = timezone.localdate()
    rows = []
    for c in checkpoints:
        done = selectors.checkpoint_done(c, acknowledged)
        rows.append({"checkpoint": c, "done": done, "overdue": not done and c.due_on < today})
    context = {
        "onboarding": onboarding,
        "rows": rows,
        "progress": selectors.onboarding_progress(onboarding, today),
        "may_sign": service.may_sign_off(request.user, onboarding),
    }
    return render(request, "team/onboarding.html", context)


@require_POST
@require(VIEW)
def sign_off(request: AuthenticatedHttpRequest, checkpoint_id: int) -> HttpResponse:
    checkpoint = get_object_or_404(
        Checkpoint.objects.select_related("onboarding"), pk=checkpoint_id
    )
    onboarding = _visible(request, checkpoint.onboarding_id)
    if not service.may_sign_off(request.user, onboarding):
        raise PermissionDenied
    form = SignOffForm(request.POST)
    if (
        form.is_valid()
        and apply(
            form,
            lambda: service.sign_off(
                actor=request.user, checkpoint=checkpoint, note=form.cleaned_data["note"]
            ),
        )
        is not None
    ):
        messages.success(request, _("Checkpoint signed off."))
    else:
        for error in form.non_field_errors():
            messages.error(request, str(error))
    return HttpResponseRedirect(reverse("team:onboarding", args=[onboarding.pk]))


@require(MANAGE)
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = apply(
            form,
            lambda: service.save_plan(
                actor=request.user, role=form.cleaned_data["role"], title=form.cleaned_data["title"]
            ),
        )
        if plan is not None:
            return HttpResponseRedirect(reverse("team:plan", args=[plan.pk]))
    context = {"plans": OnboardingPlan.objects.prefetch_related("checkpoints"), "form": form}
    return render(request, "team/plans.html", context, status=422 if form.errors else 200)


@require(MANAGE)
def plan_detail(request: AuthenticatedHttpRequest, onboarding_plan_id: int) -> HttpResponse:
    plan = get_object_or_404(OnboardingPlan, pk=onboarding_plan_id)
    form = PlanCheckpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            apply(
                form,
                lambda: service.add_plan_checkpoint(
                    plan=plan,
                    title=data["title"],
                    kind=data["kind"],
                    due_day=data["due_day"],
                    description=data["description"],
                ),
            )
            is not None
        ):
            return HttpResponseRedirect(reverse("team:plan", args=[plan.pk]))
    context = {"plan": plan, "checkpoints": plan.checkpoints.all(), "form": form}
    return render(request, "team/plan.html", context, status=422 if form.errors else 200)
