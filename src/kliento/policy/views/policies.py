"""Pages of a policy and its versions: list, create, edit, read, publish, acknowledge, review."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
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
    PolicyForm,
)
from kliento.policy.models import Pilot, Policy, PolicyVersion
from kliento.policy.views.common import (
    MANAGE,
    UNPUBLISHED,
    VIEW,
    Status,
    act,
    back_to,
    form_page,
    version_or_404,
)


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
            return back_to(policy.pk, policy.versions.get())
    return form_page(request, form, _("New service policy"), reverse("policy:list"))


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
            return back_to(policy.pk)
    back = reverse("policy:detail", args=[policy.pk])
    return form_page(request, form, _("Edit policy details"), back)


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


@require(VIEW)
def version_detail(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    found = version_or_404(policy_id, policy_version_id)
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
    version = version_or_404(policy_id, policy_version_id)
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
            return back_to(policy_id, version)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return form_page(request, form, _("Edit the statement"), back)


@require_POST
@require(VIEW, MANAGE)
def revise(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    try:
        draft = services.start_revision(actor=request.user, policy=policy)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return back_to(policy_id)
    return back_to(policy_id, draft)


@require_POST
@require(VIEW, MANAGE)
def publish(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = version_or_404(policy_id, policy_version_id)
    try:
        services.publish(actor=request.user, version=version)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return back_to(policy_id, version)
    messages.success(request, _("Published: staff are asked to read it."))
    return back_to(policy_id)


@require_POST
@require(VIEW)
def acknowledge(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    version = selectors.published_version(policy)
    if version is None:
        raise Http404
    return act(
        request,
        lambda: services.acknowledge(actor=request.user, version=version),
        _("Thank you: your acknowledgement is recorded."),
        back_to(policy_id),
    )


@require_POST
@require(VIEW, MANAGE)
def reviewed(request: AuthenticatedHttpRequest, policy_id: int) -> HttpResponse:
    policy = get_object_or_404(Policy, pk=policy_id)
    return act(
        request,
        lambda: services.mark_reviewed(
            actor=request.user, policy=policy, note=request.POST.get("note", "")
        ),
        _("Review recorded."),
        back_to(policy_id),
    )
