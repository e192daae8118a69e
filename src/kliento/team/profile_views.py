"""Pages of ideal-employee profiles and of hiring (candidates, scores, ranking)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kliento.core.permissions import require
from kliento.core.types import AuthenticatedHttpRequest
from kliento.team import selectors
from kliento.team.forms import (
    CandidateForm,
    CompetencyForm,
    MoveForm,
    ProfileForm,
    ScoreForm,
    apply,
)
from kliento.team.models import Candidate, Group, IdealProfile, Stage
from kliento.team.services import hiring, profiles

VIEW = "team.view_idealprofile"
MANAGE = "team.manage_profiles"
HIRE = "team.hire"


@require(VIEW, writes=[MANAGE])
def profile_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile = apply(
            form,
            lambda: profiles.save_profile(
                actor=request.user,
                role=form.cleaned_data["role"],
                summary=form.cleaned_data["summary"],
            ),
        )
        if profile is not None:
            return HttpResponseRedirect(reverse("team:profile", args=[profile.pk]))
    context = {
        "profiles": IdealProfile.objects.prefetch_related("competencies"),
        "form": form,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "team/profiles.html", context, status=422 if form.errors else 200)


@require(VIEW, writes=[MANAGE])
def profile_detail(request: AuthenticatedHttpRequest, profile_id: int) -> HttpResponse:
    profile = get_object_or_404(IdealProfile, pk=profile_id)
    form = CompetencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = apply(
            form,
            lambda: profiles.save_competency(
                actor=request.user,
                profile=profile,
                name=data["name"],
                group=data["group"],
                is_attitude=data["is_attitude"],
                description=data["description"],
                assessed_by=data["assessed_by"],
                assessment=data["assessment"],
                position=profile.competencies.count(),
            ),
        )
        if saved is not None:
            messages.success(request, _("Competency saved."))
            return HttpResponseRedirect(reverse("team:profile", args=[profile.pk]))
    competencies = list(profile.competencies.all())
    attitude = [c for c in competencies if c.is_attitude]
    groups = [
        (label, [c for c in competencies if c.group == value and not c.is_attitude])
        for value, label in Group.choices
    ]
    context = {
        "profile": profile,
        "attitude": attitude,
        "groups": groups,
        "form": form,
        "manager": request.user.has_perm(MANAGE),
    }
    return render(request, "team/profile.html", context, status=422 if form.errors else 200)


@require(HIRE)
def candidate_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidate = apply(
            form,
            lambda: hiring.create_candidate(
                actor=request.user,
                profile=data["profile"],
                name=data["name"],
                email=data["email"],
                phone=data["phone"],
                notes=data["notes"],
            ),
        )
        if candidate is not None:
            return HttpResponseRedirect(reverse("team:candidate", args=[candidate.pk]))
    rounds = []
    for profile in IdealProfile.objects.all():
        candidates = list(
            selectors.candidates_for(request.user)
            .filter(profile=profile, erased_at__isnull=True)
            .exclude(stage="rejected")
        )
        if candidates:
            rounds.append((profile, selectors.ranking_for(profile, candidates)))
    rejected = selectors.candidates_for(request.user).filter(stage="rejected")[:50]
    context = {
        "rounds": rounds,
        "rejected": rejected,
        "form": form,
        "retention_days": hiring.retention_days(),
    }
    return render(request, "team/candidates.html", context, status=422 if form.errors else 200)


def _candidate(request: AuthenticatedHttpRequest, candidate_id: int) -> Candidate:
    candidate = selectors.candidates_for(request.user).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404
    return candidate


@require(HIRE)
def candidate_detail(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    return _candidate_page(request, candidate_id)


def _candidate_page(
    request: AuthenticatedHttpRequest,
    candidate_id: int,
    score_form: ScoreForm | None = None,
    move_form: MoveForm | None = None,
) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    competencies = list(candidate.profile.competencies.all())
    scores = list(candidate.scores.select_related("interviewer", "competency"))
    mine = {s.competency_id: s for s in scores if s.interviewer_id == request.user.pk}
    assessed = selectors.ranking_for(candidate.profile, [candidate])[0]
    context = {
        "candidate": candidate,
        "rows": [
            (c, [s for s in scores if s.competency_id == c.pk], mine.get(c.pk))
            for c in competencies
        ],
        "assessed": assessed,
        "next_stages": [
            (value, label)
            for value, label in Stage.choices
            if value in hiring.TRANSITIONS.get(candidate.stage, ())
        ],
        "score_form": score_form or ScoreForm(),
        "move_form": move_form,
    }
    status = 422 if (score_form and score_form.errors) or (move_form and move_form.errors) else 200
    return render(request, "team/candidate.html", context, status=status)


@require_POST
@require(HIRE)
def candidate_move(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    form = MoveForm(request.POST)
    if (
        form.is_valid()
        and apply(
            form,
            lambda: hiring.move_candidate(
                actor=request.user, candidate=candidate, to=form.cleaned_data["stage"]
            ),
        )
        is not None
    ):
        return HttpResponseRedirect(reverse("team:candidate", args=[candidate.pk]))
    return _candidate_page(request, candidate_id, move_form=form)


@require_POST
@require(HIRE)
def candidate_score(request: AuthenticatedHttpRequest, candidate_id: int) -> HttpResponse:
    candidate = _candidate(request, candidate_id)
    form = ScoreForm(request.POST)
    if form.is_valid():
        competency = candidate.profile.competencies.filter(
            pk=form.cleaned_data["competency"]
        ).first()
        if competency is None:
            form.add_error(None, _("This competency is not in the candidate's profile."))
        elif (
            apply(
                form,
                lambda: hiring.score_candidate(
                    interviewer=request.user,
                    candidate=candidate,
                    competency=competency,
                    score=form.cleaned_data["score"],
                    note=form.cleaned_data["note"],
                ),
            )
            is not None
        ):
            return HttpResponseRedirect(reverse("team:candidate", args=[candidate.pk]) + "#scores")
    return _candidate_page(request, candidate_id, score_form=form)
