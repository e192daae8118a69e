"""What the policy pages share: permissions, redirects, one form page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy.models import PolicyVersion

VIEW = "policy.view_policy"
MANAGE = "policy.manage_policies"
UNPUBLISHED = "policy.view_unpublished_policies"
ACKS = "policy.view_policy_acknowledgements"
FEEDBACK = "policy.give_policy_feedback"
Status = PolicyVersion.Status


def back_to(policy_id: int, version: PolicyVersion | None = None) -> HttpResponseRedirect:
    if version is not None and version.status == Status.DRAFT:
        return HttpResponseRedirect(reverse("policy:version", args=[policy_id, version.pk]))
    return HttpResponseRedirect(reverse("policy:detail", args=[policy_id]))


def act(
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


def form_page(
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


def version_or_404(policy_id: int, version_id: int) -> PolicyVersion:
    return get_object_or_404(PolicyVersion, pk=version_id, policy_id=policy_id)
