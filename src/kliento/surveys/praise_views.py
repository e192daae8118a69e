"""The recognition feed: its page and sharing an answer or a touchpoint impression to it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.surveys import selectors
from kliento.surveys.forms import PraiseForm, apply_errors
from kliento.surveys.services import praising
from kliento.touchpoints import selectors as touchpoints

PAGE = 25


@require("surveys.view_praise")
def praise_feed(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.praise_feed(), PAGE).get_page(request.GET.get("page"))
    to_share = praising.impressions_to_share(request.user) if page.number == 1 else []
    return render(request, "surveys/praise.html", {"page": page, "to_share": to_share})


@require("surveys.view_praise", praising.SEE_IMPRESSIONS, writes=[praising.SHARE_OWN])
def praise_share_impression(request: AuthenticatedHttpRequest, impression_id: int) -> HttpResponse:
    impression = touchpoints.impression(impression_id)
    if impression is None:
        raise Http404
    refusal = praising.impression_refusal(impression)
    if praising.impression_shared(impression.pk):
        refusal = _("This impression is already on the recognition feed.")
    may = refusal is None and praising.may_share_impression(request.user, impression)
    form = PraiseForm(initial={"employee": impression.touchpoint.owner_id})
    status = 200
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        form = PraiseForm(request.POST)
        if form.is_valid():
            try:
                praising.share_impression(
                    actor=request.user,
                    impression_id=impression.pk,
                    employee=form.cleaned_data["employee"],
                    team=form.cleaned_data["team"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Shared to the recognition feed."))
                return HttpResponseRedirect(reverse("surveys:praise"))
        status = 400
    return render(
        request,
        "surveys/praise_share_impression.html",
        {
            "impression": impression,
            "client_label": praising.short_name(impression.client.name),
            "form": form,
            "refusal": refusal,
            "may_share": may,
        },
        status=status,
    )


@require("surveys.view_response", "surveys.view_praise", writes=[praising.SHARE_OWN])
def praise_share(request: AuthenticatedHttpRequest, response_id: int) -> HttpResponse:
    response = get_object_or_404(
        selectors.responses_for(request.user).select_related("team", "touchpoint"),
        pk=response_id,
    )
    refusal = praising.refusal(response)
    if hasattr(response, "praise"):
        refusal = _("This answer is already on the recognition feed.")
    may = refusal is None and praising.may_share(request.user, response)
    initial = {"employee": response.agent_id, "team": response.team_id}
    form = PraiseForm(initial=initial)
    status = 200
    if request.method == "POST":
        if not may:
            raise PermissionDenied
        form = PraiseForm(request.POST)
        if form.is_valid():
            try:
                praising.share_praise(
                    actor=request.user,
                    response=response,
                    employee=form.cleaned_data["employee"],
                    team=form.cleaned_data["team"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Shared to the recognition feed."))
                return HttpResponseRedirect(reverse("surveys:praise"))
        status = 400
    return render(
        request,
        "surveys/praise_share.html",
        {
            "response": response,
            "client_label": praising.short_name(response.client.name) if response.client else "",
            "form": form,
            "refusal": refusal,
            "may_share": may,
        },
        status=status,
    )
