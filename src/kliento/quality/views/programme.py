"""Planned control: the audit calendar and plans, mystery-shop assignments (the internal
shopper's page; the external one is in `public`), corrective actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.quality import selectors
from kliento.quality.forms import AssignmentForm, CloseActionForm, PlanForm
from kliento.quality.models import AuditPlan, CorrectiveAction, Outcome, ShopAssignment
from kliento.quality.services import programme
from kliento.quality.views.answering import blank_rows, handle_post, result_context, rows

VIEW = "quality.view_evaluation"
PLAN = "quality.plan_control"
PERFORM = "quality.perform_evaluations"
MANAGE_ACTIONS = "quality.manage_corrective_actions"


def _pk(value: Any) -> int | None:
    return value.pk if value is not None else None


@require(PLAN)
def plans(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PlanForm(request.POST or None, initial={"next_due": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme.save_plan(
                actor=request.user,
                checklist=data["checklist"],
                next_due=data["next_due"],
                every_months=data["every_months"],
                auditor=data["auditor"],
                touchpoint_id=_pk(data["touchpoint"]),
                stage_id=_pk(data["stage"]),
                team_id=_pk(data["team"]),
                employee_id=_pk(data["employee"]),
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Audit planned."))
            return HttpResponseRedirect(reverse("quality:plans"))
    today = timezone.localdate()
    context = {
        "form": form,
        "days": selectors.calendar(until=programme.add_months(today, 12), today=today),
        "may_perform": request.user.has_perm(PERFORM),
    }
    return render(request, "quality/plans.html", context)


@require_POST
@require(PLAN, writes=[PERFORM])
def perform_plan(request: AuthenticatedHttpRequest, plan_id: int) -> HttpResponse:
    plan = get_object_or_404(AuditPlan, pk=plan_id)
    try:
        evaluation = programme.perform_plan(actor=request.user, plan=plan)
    except ValidationError as exc:
        for text in exc.messages:
            messages.error(request, text)
        return HttpResponseRedirect(reverse("quality:plans"))
    return HttpResponseRedirect(reverse("quality:evaluation", args=[evaluation.pk]))


@require(VIEW, writes=[PLAN])
def assignments(request: AuthenticatedHttpRequest) -> HttpResponse:
    may_plan = request.user.has_perm(PLAN)
    form = AssignmentForm(request.POST or None) if may_plan else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            made = programme.assign_shop(
                actor=request.user,
                checklist=data["checklist"],
                channel=data["channel"],
                scenario=data["scenario"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                touchpoint_id=_pk(data["touchpoint"]),
                stage_id=_pk(data["stage"]),
                employee_id=_pk(data["employee"]),
                shopper=data["shopper"],
                external_name=data["external_name"],
                external_email=data["external_email"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Mystery shop assigned."))
            return HttpResponseRedirect(reverse("quality:assignment", args=[made.pk]))
    start, end = programme.period_of(timezone.localdate())
    context = {
        "assignments": selectors.assignments_for(request.user).order_by("-window_start", "-id")[
            :200
        ],
        "form": form,
        "period": (start, end),
    }
    return render(request, "quality/assignments.html", context)


def _assignment(request: AuthenticatedHttpRequest, assignment_id: int) -> ShopAssignment:
    found = selectors.assignments_for(request.user).filter(pk=assignment_id).first()
    if found is None:
        raise Http404(_("No such assignment."))
    return found


@require(VIEW)
def assignment(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    """The assignment: its scenario, then the checklist form for its shopper."""
    found = _assignment(request, assignment_id)
    is_shopper = found.shopper_id == request.user.pk
    errors: dict[str, list[str]] = {}
    posted = None
    if request.method == "POST":
        if not is_shopper or found.status != ShopAssignment.Status.PLANNED:
            messages.error(request, _("Only the assigned shopper fills this in, while it is open."))
            return HttpResponseRedirect(reverse("quality:assignment", args=[found.pk]))
        evaluation = programme.start_shop(actor=request.user, assignment=found)
        done, errors = handle_post(
            request,
            actor=request.user,
            evaluation=evaluation,
            finish=lambda: programme.finish_shop(
                actor=request.user, assignment=found, summary=request.POST.get("summary", "")
            ),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("quality:assignment", args=[found.pk]))
        posted = request.POST.dict()
        found.refresh_from_db()
    context: dict[str, Any] = {
        "assignment": found,
        "is_shopper": is_shopper,
        "outcomes": Outcome.choices,
        "may_plan": request.user.has_perm(PLAN),
        "link": (
            request.build_absolute_uri(reverse("quality:shop", args=[programme.link_token(found)]))
            if found.external and request.user.has_perm(PLAN)
            else ""
        ),
    }
    shown = found.evaluation
    if shown is not None:
        context.update(rows=rows(shown, posted, errors), evaluation=shown, **result_context(shown))
    elif is_shopper:
        version = selectors.published_version(found.checklist)
        context["rows"] = blank_rows(list(version.items.all()) if version else [])
    context["errors"] = [m for f, ms in errors.items() if not f.startswith("item-") for m in ms]
    context["form_action"] = reverse("quality:assignment", args=[found.pk])
    return render(request, "quality/assignment.html", context, status=400 if errors else 200)


@require_POST
@require(PLAN)
def reissue_link(request: AuthenticatedHttpRequest, assignment_id: int) -> HttpResponse:
    found = _assignment(request, assignment_id)
    if request.POST.get("cancel"):
        programme.cancel_shop(actor=request.user, assignment=found)
    else:
        programme.reissue_link(actor=request.user, assignment=found)
        messages.success(request, _("A new link was made; the old one no longer works."))
    return HttpResponseRedirect(reverse("quality:assignment", args=[found.pk]))


@require(VIEW)
def actions(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = selectors.actions_for(request.user)
    status = request.GET.get("status", CorrectiveAction.Status.OPEN)
    if status in CorrectiveAction.Status.values:
        found = found.filter(status=status)
    context = {
        "actions": found[:300],
        "status": status,
        "statuses": CorrectiveAction.Status.choices,
        "today": timezone.localdate(),
        "close_form": CloseActionForm(),
    }
    return render(request, "quality/actions.html", context)


@require_POST
@require(VIEW)
def close_action(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    found = selectors.actions_for(request.user).filter(pk=action_id).first()
    if found is None:
        raise Http404(_("No such corrective action."))
    form = CloseActionForm(request.POST)
    if form.is_valid():
        try:
            programme.close_corrective_action(
                actor=request.user,
                action=found,
                done=form.cleaned_data["done"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            for text in exc.messages:
                messages.error(request, text)
    return HttpResponseRedirect(reverse("quality:actions"))
