"""Pages of the service policy: the policies, a policy and its versions, writing goals,
procedures and escalation lists, publishing, acknowledging, pilots, feedback, and the
manager's views (who has read what; what needs attention)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy import selectors, services
from kliento.policy.forms import (
    DraftForm,
    FeedbackForm,
    FinishPilotForm,
    GoalForm,
    PilotForm,
    PolicyForm,
    ProcedureForm,
    level_formset,
    level_specs,
)
from kliento.policy.models import Goal, Pilot, Policy, PolicyVersion, Procedure

VIEW = "policy.view_policy"
MANAGE = "policy.manage_policies"
UNPUBLISHED = "policy.view_unpublished_policies"
ACKS = "policy.view_policy_acknowledgements"
FEEDBACK = "policy.give_policy_feedback"
Status = PolicyVersion.Status


def _back(policy_id: int, version: PolicyVersion | None = None) -> HttpResponseRedirect:
    if version is not None and version.status == Status.DRAFT:
        return HttpResponseRedirect(reverse("policy:version", args=[policy_id, version.pk]))
    return HttpResponseRedirect(reverse("policy:detail", args=[policy_id]))


def _act(
    request: AuthenticatedHttpRequest, run: Callable[[], Any], done: str, to: HttpResponse
) -> HttpResponse:
    try:
        run()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return to


def _form_page(
    request: AuthenticatedHttpRequest, form: Any, heading: str, back: str, **extra: Any
) -> HttpResponse:
    context = {"form": form, "heading": heading, "back": back, **extra}
    failed = (
        form.errors
        or extra.get("level_errors")
        or (extra.get("levels") is not None and not extra["levels"].is_valid())
    )
    status = 400 if request.method == "POST" and failed else 200
    return render(request, extra.pop("template", "policy/form.html"), context, status=status)


# ---------------------------------------------------------------------------------------------
# Policies


@require(VIEW)
def policy_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    found = selectors.policies()
    if not request.user.has_perm(UNPUBLISHED):
        found = found.filter(versions__status=Status.PUBLISHED)
    unread = {v.policy_id for v in selectors.unread_for(request.user)}
    rows = []
    for p in found.distinct():
        current: list[PolicyVersion] = getattr(p, "current_versions", [])
        rows.append(
            {
                "policy": p,
                "published": next((v for v in current if v.status == Status.PUBLISHED), None),
                "draft": next((v for v in current if v.status == Status.DRAFT), None),
                "overdue": p.review_overdue(),
                "unread": p.pk in unread,
            }
        )
    return render(request, "policy/list.html", {"rows": rows})


@require(VIEW, MANAGE)
def create(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PolicyForm(request.POST or None, initial={"owner": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            policy = services.create_policy(
                actor=request.user,
                title=data["title"],
                owner=data["owner"],
                review_every_months=data["review_every_months"],
                summary=data["summary"],
                roles=data["roles"],
                unit_ids=[u.pk for u in data["units"]],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Policy created: add its goals to the draft."))
            return _back(policy.pk, policy.versions.get())
    return _form_page(request, form, _("New service policy"), reverse("policy:list"))


@require(VIEW, MANAGE)
def edit(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    initial = {
        "title": policy.title,
        "owner": policy.owner,
        "review_every_months": policy.review_every_months,
        "roles": policy.roles,
        "units": policy.units.all(),
    }
    form = PolicyForm(request.POST or None, initial=initial, with_text=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_policy(
                actor=request.user,
                policy=policy,
                title=data["title"],
                owner=data["owner"],
                review_every_months=data["review_every_months"],
                roles=data["roles"],
                unit_ids=[u.pk for u in data["units"]],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Policy saved."))
            return _back(policy.pk)
    back = reverse("policy:detail", args=[policy.pk])
    return _form_page(request, form, _("Edit policy details"), back)


def _page_context(request: AuthenticatedHttpRequest, policy: Policy) -> dict[str, Any]:
    manager = request.user.has_perm(MANAGE)
    unpublished = request.user.has_perm(UNPUBLISHED)
    found_pilots = list(selectors.pilots(policy)) if unpublished else []
    return {
        "policy": policy,
        "manager": manager,
        "unpublished": unpublished,
        "overdue": policy.review_overdue(),
        "draft": selectors.draft_version(policy) if unpublished else None,
        "pilots": [selectors.pilot_summary(p) for p in found_pilots],
        "broken": selectors.invalid_escalation_lists(policy=policy) if unpublished else [],
    }


@require(VIEW)
def detail(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("owner"), pk=policy_id)
    published = selectors.published_version(policy)
    context = _page_context(request, policy)
    if published is None and not context["unpublished"]:
        raise Http404
    version = selectors.version_tree(published.pk) if published else None
    open_pilots = selectors.feedback_pilots(policy, request.user, all_pilots=context["manager"])
    context |= {
        "version": version,
        "applies": version is not None and selectors.applies_to(policy, request.user),
        "acknowledged": version is not None and selectors.acknowledged(version, request.user),
        "versions": policy.versions.all()
        if context["unpublished"]
        else policy.versions.exclude(status=Status.DRAFT),
        "feedback": selectors.feedback(policy)[:50],
        "feedback_form": FeedbackForm(pilots=open_pilots),
    }
    return render(request, "policy/detail.html", context)


def _version(policy_id: int, version_id: int) -> PolicyVersion:
    return get_object_or_404(PolicyVersion, pk=version_id, policy_id=policy_id)


@require(VIEW)
def version_detail(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    found = _version(policy_id, policy_version_id)
    if found.status == Status.DRAFT and not request.user.has_perm(UNPUBLISHED):
        raise Http404
    version = selectors.version_tree(found.pk)
    assert version is not None
    context = _page_context(request, version.policy)
    running = version.pilots.filter(status=Pilot.Status.RUNNING).exists()
    context |= {
        "version": version,
        "editable": context["manager"] and version.status == Status.DRAFT and not running,
        "running_pilot": running,
    }
    return render(request, "policy/version.html", context)


@require(VIEW, MANAGE)
def edit_draft(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = _version(policy_id, policy_version_id)
    initial = {"summary": version.summary, "change_note": version.change_note}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_draft(
                actor=request.user,
                version=version,
                summary=form.cleaned_data["summary"],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Draft saved."))
            return _back(policy_id, version)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return _form_page(request, form, _("Edit the statement"), back)


@require_POST
@require(VIEW, MANAGE)
def revise(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    try:
        draft = services.start_revision(actor=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(policy_id)
    return _back(policy_id, draft)


@require_POST
@require(VIEW, MANAGE)
def publish(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = _version(policy_id, policy_version_id)
    try:
        services.publish(actor=request.user, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _back(policy_id, version)
    messages.success(request, _("Published: staff are asked to read it."))
    return _back(policy_id)


@require_POST
@require(VIEW)
def acknowledge(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    version = selectors.published_version(policy)
    if version is None:
        raise Http404
    return _act(
        request,
        lambda: services.acknowledge(actor=request.user, version=version),
        _("Thank you: your acknowledgement is recorded."),
        _back(policy_id),
    )


@require_POST
@require(VIEW, MANAGE)
def reviewed(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    return _act(
        request,
        lambda: services.mark_reviewed(
            actor=request.user, policy=policy, note=request.POST.get("note", "")
        ),
        _("Review recorded."),
        _back(policy_id),
    )


# ---------------------------------------------------------------------------------------------
# Goals and procedures


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
    version = _version(policy_id, policy_version_id)
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
            return _back(policy_id, version)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return _form_page(request, form, _("New goal"), back)


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
            return _back(policy_id, goal.version)
    back = reverse("policy:version", args=[policy_id, goal.version_id])
    return _form_page(request, form, _("Edit goal"), back)


@require_POST
@require(VIEW, MANAGE)
def goal_delete(request: AuthenticatedHttpRequest, policy_id: int, goal_id: int) -> HttpResponse:
    goal = _goal(policy_id, goal_id)
    return _act(
        request,
        lambda: services.delete_goal(actor=request.user, goal=goal),
        _("Goal deleted."),
        _back(policy_id, goal.version),
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
                return _back(policy_id, goal.version)
    back = reverse("policy:version", args=[policy_id, goal.version_id])
    heading = _("New procedure") if procedure is None else _("Edit procedure")
    return _form_page(
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
    return _act(
        request,
        lambda: services.delete_procedure(actor=request.user, procedure=procedure),
        _("Procedure deleted."),
        _back(policy_id, procedure.goal.version),
    )


# ---------------------------------------------------------------------------------------------
# Pilots and feedback


@require(VIEW, MANAGE)
def pilot_create(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = _version(policy_id, policy_version_id)
    form = PilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.create_pilot(
                actor=request.user,
                version=version,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                staff_ids=[u.pk for u in data["staff"]],
                client_ids=data["clients"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Pilot planned."))
            return _back(policy_id)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return _form_page(request, form, _("Plan a pilot"), back)


def _pilot(policy_id: int, pilot_id: int) -> Pilot:
    return get_object_or_404(
        Pilot.objects.select_related("version"), pk=pilot_id, version__policy_id=policy_id
    )


@require_POST
@require(VIEW, MANAGE)
def pilot_start(request: AuthenticatedHttpRequest, policy_id: int, pilot_id: int) -> HttpResponse:
    pilot = _pilot(policy_id, pilot_id)
    return _act(
        request,
        lambda: services.start_pilot(actor=request.user, pilot=pilot),
        _("The pilot has started: its staff are told."),
        _back(policy_id),
    )


@require(VIEW, MANAGE)
def pilot_finish(request: AuthenticatedHttpRequest, policy_id: int, pilot_id: int) -> HttpResponse:
    pilot = _pilot(policy_id, pilot_id)
    form = FinishPilotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.finish_pilot(
                actor=request.user,
                pilot=pilot,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("The pilot has ended."))
            return _back(policy_id)
    back = reverse("policy:detail", args=[policy_id])
    summary = selectors.pilot_summary(pilot)
    return _form_page(request, form, _("End the pilot"), back, summary=summary)


@require_POST
@require(VIEW, MANAGE)
def pilot_join(request: AuthenticatedHttpRequest, pilot_id: int) -> HttpResponse:
    """From the client card: put this client in a pilot."""
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    raw = request.POST.get("client", "")
    client_id = int(raw) if raw.isdigit() and len(raw) < 19 else 0
    to = (
        HttpResponseRedirect(reverse("clients:detail", args=[client_id]))
        if client_id
        else _back(pilot.version.policy_id)
    )
    return _act(
        request,
        lambda: services.add_pilot_clients(actor=request.user, pilot=pilot, client_ids=[client_id]),
        _("The client is in the pilot."),
        to,
    )


@require_POST
@require(VIEW, FEEDBACK)
def feedback(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    open_pilots = selectors.feedback_pilots(
        policy, request.user, all_pilots=request.user.has_perm(MANAGE)
    )
    form = FeedbackForm(request.POST, pilots=open_pilots)
    if form.is_valid():
        data = form.cleaned_data
        pilot = next((p for p in open_pilots if p.pk == data["pilot"]), None)
        try:
            services.give_feedback(
                actor=request.user,
                policy=policy,
                aspect=data["aspect"],
                text=data["text"],
                client_id=data["client"],
                pilot=pilot,
            )
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Thank you: the comment is recorded."))
            return _back(policy_id)
    back = reverse("policy:detail", args=[policy_id])
    return _form_page(request, form, _("Comment on the policy"), back)


# ---------------------------------------------------------------------------------------------
# The manager's views


@require(VIEW, ACKS)
def acknowledgements(request: AuthenticatedHttpRequest) -> HttpResponse:
    raw = request.GET.get("unit", "")
    unit_id = int(raw) if raw.isdigit() and len(raw) < 12 else None
    context = {
        "shares": selectors.acknowledgement_shares(),
        "people": selectors.people_unread(unit_id),
        "unit_id": unit_id,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "policy/acknowledgements.html", context)


@require_POST
@require(VIEW, MANAGE)
def remind(request: AuthenticatedHttpRequest, policy_version_id: int) -> HttpResponse:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id, status=Status.PUBLISHED)
    services.request_reminders(version=version)
    messages.success(request, _("Reminders are on their way to those who have not read it."))
    return HttpResponseRedirect(reverse("policy:acknowledgements"))


@require(VIEW, UNPUBLISHED)
def attention(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Overdue reviews and escalation lists that broke after they were saved."""
    context = {
        "overdue": selectors.overdue_reviews(),
        "broken": selectors.invalid_escalation_lists(),
    }
    return render(request, "policy/attention.html", context)
