"""Refresher training pages: the rules, the proposals and a proposal's before/after."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.team import selectors
from kliento.team.forms import RuleForm, TrainedForm, apply
from kliento.team.models import RefresherRule, TrainingProposal
from kliento.team.registry import signals
from kliento.team.services import refresher

MANAGE = "team.manage_training"


@require(MANAGE)
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = RuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if (
            apply(
                form,
                lambda: refresher.save_rule(
                    actor=request.user,
                    signal=data["signal"],
                    threshold=data["threshold"],
                    drop=data["drop"],
                    period_days=data["period_days"],
                    min_n=data["min_n"],
                    course=data["course"],
                ),
            )
            is not None
        ):
            return HttpResponseRedirect(reverse("team:proposals"))
    labels = {s.key: s.label for s in signals}
    context = {
        "proposals": TrainingProposal.objects.select_related("employee", "team", "course")[:200],
        # A rule of a signal no longer registered still shows, under its key.
        "rules": [
            (rule, labels.get(rule.signal, rule.signal))
            for rule in RefresherRule.objects.select_related("course")
        ],
        "form": form,
    }
    return render(request, "team/proposals.html", context, status=422 if form.errors else 200)


@require(MANAGE)
def proposal_detail(request: AuthenticatedHttpRequest, refresher_id: int) -> HttpResponse:
    return _proposal_page(request, refresher_id)


def _proposal_page(
    request: AuthenticatedHttpRequest, refresher_id: int, form: TrainedForm | None = None
) -> HttpResponse:
    proposal = get_object_or_404(
        TrainingProposal.objects.select_related("employee", "team", "course", "rule"),
        pk=refresher_id,
    )
    signal = signals.get(proposal.signal)
    context = {
        "proposal": proposal,
        "label": signal.label if signal else proposal.signal,
        "result": selectors.before_after(proposal),
        "baselines": selectors.training_baselines(proposal, viewer=request.user),
        "form": form or TrainedForm(initial={"trained_on": timezone.localdate()}),
    }
    return render(
        request, "team/proposal.html", context, status=422 if form and form.errors else 200
    )


@require_POST
@require(MANAGE)
def proposal_decide(request: AuthenticatedHttpRequest, refresher_id: int) -> HttpResponse:
    proposal = get_object_or_404(TrainingProposal, pk=refresher_id)
    form = TrainedForm(request.POST)
    action = request.POST.get("action", "")
    if action == "trained":
        if (
            form.is_valid()
            and apply(
                form,
                lambda: refresher.mark_trained(
                    actor=request.user,
                    proposal=proposal,
                    trained_on=form.cleaned_data["trained_on"],
                ),
            )
            is not None
        ):
            return HttpResponseRedirect(reverse("team:proposal", args=[proposal.pk]))
        return _proposal_page(request, refresher_id, form=form)
    status = {"assign": "assigned", "dismiss": "dismissed"}.get(action, "")
    try:
        refresher.decide(actor=request.user, proposal=proposal, status=status)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return HttpResponseRedirect(reverse("team:proposal", args=[proposal.pk]))
