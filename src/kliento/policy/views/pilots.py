"""Pilots (plan, start, end, clients joining from the card) and feedback on a policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.policy import selectors, services
from kliento.policy.forms import (
    FeedbackForm,
    FinishPilotForm,
    PilotForm,
)
from kliento.policy.models import Pilot, Policy
from kliento.policy.views.common import (
    FEEDBACK,
    MANAGE,
    VIEW,
    act,
    back_to,
    form_page,
    version_or_404,
)


@require(VIEW, MANAGE)
def pilot_create(
    request: AuthenticatedHttpRequest, policy_id: int, policy_version_id: int
) -> HttpResponse:
    version = version_or_404(policy_id, policy_version_id)
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
            return back_to(policy_id)
    back = reverse("policy:version", args=[policy_id, version.pk])
    return form_page(request, form, _("Plan a pilot"), back)


def _pilot(policy_id: int, pilot_id: int) -> Pilot:
    return get_object_or_404(
        Pilot.objects.select_related("version"), pk=pilot_id, version__policy_id=policy_id
    )


@require_POST
@require(VIEW, MANAGE)
def pilot_start(request: AuthenticatedHttpRequest, policy_id: int, pilot_id: int) -> HttpResponse:
    pilot = _pilot(policy_id, pilot_id)
    return act(
        request,
        lambda: services.start_pilot(actor=request.user, pilot=pilot),
        _("The pilot has started: its staff are told."),
        back_to(policy_id),
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
            return back_to(policy_id)
    back = reverse("policy:detail", args=[policy_id])
    summary = selectors.pilot_summary(pilot)
    return form_page(request, form, _("End the pilot"), back, summary=summary)


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
        else back_to(pilot.version.policy_id)
    )
    return act(
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
            return back_to(policy_id)
    back = reverse("policy:detail", args=[policy_id])
    return form_page(request, form, _("Comment on the policy"), back)
