"""The mission page: the published mission, and the discussion of the next one (comments and
brainstorm proposals from staff; managers edit the agreed text, adopt a proposal, publish)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.standards import selectors, services
from kliento.standards.forms import ContributionForm, MissionForm
from kliento.standards.models import MissionContribution

VIEW = "standards.view_standard"
MANAGE = "standards.manage_standards"


def _page(
    request: AuthenticatedHttpRequest,
    *,
    contribution_form: ContributionForm | None = None,
    mission_form: MissionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = selectors.mission_draft()
    mission = selectors.current_mission()
    context = {
        "mission": mission,
        # How the published text was agreed: its round's proposals and comments.
        "agreed_from": list(mission.contributions.select_related("author")) if mission else [],
        "draft": draft,
        "manager": request.user.has_perm(MANAGE),
        "contribution_form": contribution_form or ContributionForm(),
        "mission_form": mission_form
        or (
            MissionForm(initial={"text": draft.text, "criteria": draft.criteria}) if draft else None
        ),
        "comments": [c for c in draft.contributions.all() if c.kind == "comment"] if draft else [],
        "proposals": [c for c in draft.contributions.all() if c.kind == "proposal"]
        if draft
        else [],
    }
    return render(request, "standards/mission.html", context, status=status)


def _back() -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("standards:mission"))


def _no_draft(request: AuthenticatedHttpRequest) -> HttpResponse:
    # A stale form (the mission was published meanwhile): say so rather than a bare 404.
    messages.error(request, _("No discussion of the mission is open."))
    return _back()


@require(VIEW)
def mission(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _page(request)


@require_POST
@require(VIEW, MANAGE)
def start(request: AuthenticatedHttpRequest) -> HttpResponse:
    services.start_mission_draft(actor=request.user)
    messages.success(request, _("The discussion is open: staff can comment and propose."))
    return _back()


@require_POST
@require(VIEW, MANAGE)
def edit(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = selectors.mission_draft()
    if draft is None:
        return _no_draft(request)
    form = MissionForm(request.POST)
    if form.is_valid():
        try:
            services.edit_mission(actor=request.user, mission=draft, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Draft saved."))
            return _back()
    return _page(request, mission_form=form, status=400)


@require_POST
@require(VIEW)
def contribute(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = selectors.mission_draft()
    if draft is None:
        return _no_draft(request)
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.contribute(actor=request.user, mission=draft, **form.cleaned_data)
        except ValidationError as exc:
            form.apply(exc)
        else:
            messages.success(request, _("Thank you for your contribution."))
            return _back()
    return _page(request, contribution_form=form, status=400)


@require_POST
@require(VIEW, MANAGE)
def adopt(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_object_or_404(MissionContribution, pk=proposal_id)
    try:
        services.adopt_proposal(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The proposal is now the agreed text."))
    return _back()


@require_POST
@require(VIEW, MANAGE)
def publish(request: AuthenticatedHttpRequest) -> HttpResponse:
    draft = selectors.mission_draft()
    if draft is None:
        return _no_draft(request)
    try:
        services.publish_mission(actor=request.user, mission=draft)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The mission is published on everyone's home page."))
    return _back()
