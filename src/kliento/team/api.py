"""The team API: profiles, candidates (hiring roles only), onboarding plans, onboardings and
checkpoint sign-off, courses, sessions and attendance. Mounted at /api/v1 (see docs/api.md)."""

from __future__ import annotations

from typing import Annotated, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Path, Router
from ninja.errors import AuthorizationError
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID
from kliento.team import selectors
from kliento.team.api_schemas import (
    ERRORS,
    TeamAttendanceIn,
    TeamAttendanceOut,
    TeamCandidateIn,
    TeamCandidateOut,
    TeamCheckpointOut,
    TeamCompetencyIn,
    TeamCompetencyOut,
    TeamCourseIn,
    TeamCourseOut,
    TeamMoveIn,
    TeamOnboardingIn,
    TeamOnboardingOut,
    TeamPlanCheckpointIn,
    TeamPlanCheckpointOut,
    TeamPlanIn,
    TeamPlanOut,
    TeamProfileIn,
    TeamProfileOut,
    TeamRankedOut,
    TeamScoreIn,
    TeamScoreOut,
    TeamSessionIn,
    TeamSessionOut,
    TeamSignOffIn,
)
from kliento.team.models import (
    Checkpoint,
    Course,
    IdealProfile,
    Onboarding,
    OnboardingPlan,
    TrainingSession,
)
from kliento.team.services import hiring, onboarding, profiles, training

router = Router(tags=["team"])

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
VIEW = "team.view_idealprofile"
COURSES = "team.view_course"
MANAGE = "team.manage_profiles"
HIRE = "team.hire"
ONBOARD = "team.manage_onboarding"
TRAIN = "team.manage_training"


def _user(user_id: int | None, field: str) -> Any:
    if user_id is None:
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({field: ["There is no such active person."]})
    return user


def _one[T](model: type[T], pk: int, field: str) -> T:
    found = model.objects.filter(pk=pk).first()  # type: ignore[attr-defined]
    if found is None:
        raise ValidationError({field: ["There is no such object."]})
    return found


# --- Profiles ---------------------------------------------------------------------------------


@router.get(
    "/team/profiles",
    response={200: list[TeamProfileOut], **ERRORS},
    summary="Ideal-employee profiles",
    **needs(VIEW),
)
def list_profiles(request: Any) -> list[IdealProfile]:
    return list(IdealProfile.objects.prefetch_related("competencies"))


@router.post(
    "/team/profiles",
    response={201: TeamProfileOut, **ERRORS},
    summary="Create or update the profile of a role",
    **needs(VIEW, MANAGE),
)
def save_profile(request: Any, payload: TeamProfileIn) -> Status[IdealProfile]:
    return Status(
        201, profiles.save_profile(actor=request.user, role=payload.role, summary=payload.summary)
    )


@router.post(
    "/team/profiles/{profile_id}/competencies",
    response={201: TeamCompetencyOut, **ERRORS},
    summary="Add a competency to a profile",
    **needs(VIEW, MANAGE),
)
def add_competency(request: Any, profile_id: PathId, payload: TeamCompetencyIn) -> Status[Any]:
    profile = get_object_or_404(IdealProfile, pk=profile_id)
    return Status(
        201, profiles.save_competency(actor=request.user, profile=profile, **payload.dict())
    )


# --- Candidates -------------------------------------------------------------------------------


def _candidate(request: Any, candidate_id: int) -> Any:
    candidate = selectors.candidates_for(request.user).filter(pk=candidate_id).first()
    if candidate is None:
        raise Http404
    return candidate


@router.get(
    "/team/candidates",
    response={200: list[TeamCandidateOut], **ERRORS},
    summary="Candidates (hiring roles)",
    **needs(HIRE),
)
def list_candidates(request: Any) -> list[Any]:
    return list(selectors.candidates_for(request.user)[:500])


@router.post(
    "/team/candidates",
    response={201: TeamCandidateOut, **ERRORS},
    summary="Add a candidate",
    **needs(HIRE),
)
def create_candidate(request: Any, payload: TeamCandidateIn) -> Status[Any]:
    profile = _one(IdealProfile, payload.profile_id, "profile_id")
    candidate = hiring.create_candidate(
        actor=request.user,
        profile=profile,
        name=payload.name,
        email=payload.email,
        phone=payload.phone,
        notes=payload.notes,
    )
    return Status(201, candidate)


@router.get(
    "/team/candidates/{candidate_id}",
    response={200: TeamCandidateOut, **ERRORS},
    summary="One candidate",
    **needs(HIRE),
)
def get_candidate(request: Any, candidate_id: PathId) -> Any:
    return _candidate(request, candidate_id)


@router.post(
    "/team/candidates/{candidate_id}/move",
    response={200: TeamCandidateOut, **ERRORS},
    summary="Move a candidate in the pipeline",
    **needs(HIRE),
)
def move_candidate(request: Any, candidate_id: PathId, payload: TeamMoveIn) -> Any:
    return hiring.move_candidate(
        actor=request.user, candidate=_candidate(request, candidate_id), to=payload.stage
    )


@router.post(
    "/team/candidates/{candidate_id}/scores",
    response={200: TeamScoreOut, **ERRORS},
    summary="Score a competency (the caller is the interviewer)",
    **needs(HIRE),
)
def score_candidate(request: Any, candidate_id: PathId, payload: TeamScoreIn) -> Any:
    candidate = _candidate(request, candidate_id)
    competency = candidate.profile.competencies.filter(pk=payload.competency_id).first()
    if competency is None:
        raise ValidationError(
            {"competency_id": ["This competency is not in the candidate's profile."]}
        )
    return hiring.score_candidate(
        interviewer=request.user,
        candidate=candidate,
        competency=competency,
        score=payload.score,
        note=payload.note,
    )


@router.get(
    "/team/profiles/{profile_id}/ranking",
    response={200: list[TeamRankedOut], **ERRORS},
    summary="Open candidates of a profile, ranked attitude first",
    **needs(HIRE),
)
def ranking(request: Any, profile_id: PathId) -> list[dict[str, Any]]:
    profile = get_object_or_404(IdealProfile, pk=profile_id)
    open_ones = list(
        selectors.candidates_for(request.user)
        .filter(profile=profile, erased_at__isnull=True)
        .exclude(stage="rejected")
    )
    return [
        {
            "candidate_id": r.candidate.pk,
            "rank": r.rank,
            "attitude": r.attitude,
            "weighted": r.weighted,
            "passes_attitude": r.passes_attitude,
            "scored": r.scored,
            "total": r.total,
        }
        for r in selectors.ranking_for(profile, open_ones)
    ]


# --- Onboarding -------------------------------------------------------------------------------


@router.get(
    "/team/onboarding-plans",
    response={200: list[TeamPlanOut], **ERRORS},
    summary="Onboarding plans per role",
    **needs(VIEW),
)
def list_plans(request: Any) -> list[OnboardingPlan]:
    return list(OnboardingPlan.objects.prefetch_related("checkpoints"))


@router.post(
    "/team/onboarding-plans",
    response={201: TeamPlanOut, **ERRORS},
    summary="Create or rename the plan of a role",
    **needs(VIEW, ONBOARD),
)
def save_plan(request: Any, payload: TeamPlanIn) -> Status[OnboardingPlan]:
    return Status(
        201, onboarding.save_plan(actor=request.user, role=payload.role, title=payload.title)
    )


@router.post(
    "/team/onboarding-plans/{onboarding_plan_id}/checkpoints",
    response={201: TeamPlanCheckpointOut, **ERRORS},
    summary="Add a checkpoint to a plan",
    **needs(VIEW, ONBOARD),
)
def add_plan_checkpoint(
    request: Any, onboarding_plan_id: PathId, payload: TeamPlanCheckpointIn
) -> Status[Any]:
    plan = get_object_or_404(OnboardingPlan, pk=onboarding_plan_id)
    return Status(201, onboarding.add_plan_checkpoint(plan=plan, **payload.dict()))


def _onboarding_out(o: Onboarding) -> dict[str, Any]:
    progress = selectors.onboarding_progress(o)
    return {
        "id": o.pk,
        "employee_id": o.employee_id,
        "mentor_id": o.mentor_id,
        "plan_id": o.plan_id,
        "started_on": o.started_on,
        "done": progress.done,
        "total": progress.total,
        "overdue": progress.overdue,
        "checkpoints": list(o.checkpoints.all()),
    }


@router.get(
    "/team/onboardings",
    response={200: list[TeamOnboardingOut], **ERRORS},
    summary="Onboardings the caller takes part in (all for onboarding managers)",
    **needs(VIEW),
)
def list_onboardings(request: Any) -> list[dict[str, Any]]:
    return [_onboarding_out(o) for o in selectors.onboardings_for(request.user)[:200]]


@router.post(
    "/team/onboardings",
    response={201: TeamOnboardingOut, **ERRORS},
    summary="Start an onboarding with a mentor",
    **needs(VIEW, ONBOARD),
)
def start_onboarding(request: Any, payload: TeamOnboardingIn) -> Status[dict[str, Any]]:
    started = onboarding.start_onboarding(
        actor=request.user,
        employee=_user(payload.employee_id, "employee_id"),
        mentor=_user(payload.mentor_id, "mentor_id"),
        plan=_one(OnboardingPlan, payload.plan_id, "plan_id"),
        started_on=payload.started_on,
    )
    return Status(201, _onboarding_out(started))


@router.get(
    "/team/onboardings/{onboarding_id}",
    response={200: TeamOnboardingOut, **ERRORS},
    summary="One onboarding with its checkpoints",
    **needs(VIEW),
)
def get_onboarding(request: Any, onboarding_id: PathId) -> dict[str, Any]:
    return _onboarding_out(
        get_object_or_404(selectors.onboardings_for(request.user), pk=onboarding_id)
    )


@router.post(
    "/team/checkpoints/{checkpoint_id}/sign-off",
    response={200: TeamCheckpointOut, **ERRORS},
    summary="The mentor signs off a checkpoint",
    **needs(VIEW),
)
def sign_off(request: Any, checkpoint_id: PathId, payload: TeamSignOffIn) -> Checkpoint:
    checkpoint = get_object_or_404(
        Checkpoint.objects.select_related("onboarding"), pk=checkpoint_id
    )
    get_object_or_404(selectors.onboardings_for(request.user), pk=checkpoint.onboarding_id)
    try:
        return onboarding.sign_off(actor=request.user, checkpoint=checkpoint, note=payload.note)
    except PermissionDenied:
        raise AuthorizationError(
            message="Only the mentor or an onboarding manager has permission to sign off."
        ) from None


# --- Training ---------------------------------------------------------------------------------


@router.get(
    "/team/courses",
    response={200: list[TeamCourseOut], **ERRORS},
    summary="The training catalogue",
    **needs(COURSES),
)
def list_courses(request: Any) -> list[Course]:
    return list(Course.objects.prefetch_related("competencies"))


@router.post(
    "/team/courses",
    response={201: TeamCourseOut, **ERRORS},
    summary="Add a course",
    **needs(COURSES, TRAIN),
)
def create_course(request: Any, payload: TeamCourseIn) -> Status[Course]:
    return Status(201, training.save_course(actor=request.user, **payload.dict()))


@router.get(
    "/team/courses/{course_id}/sessions",
    response={200: list[TeamSessionOut], **ERRORS},
    summary="A course's sessions",
    **needs(COURSES),
)
def list_sessions(request: Any, course_id: PathId) -> list[TrainingSession]:
    return list(get_object_or_404(Course, pk=course_id).sessions.all())


@router.post(
    "/team/courses/{course_id}/sessions",
    response={201: TeamSessionOut, **ERRORS},
    summary="Plan a session",
    **needs(COURSES, TRAIN),
)
def add_session(request: Any, course_id: PathId, payload: TeamSessionIn) -> Status[TrainingSession]:
    course = get_object_or_404(Course, pk=course_id)
    session = training.add_session(
        actor=request.user,
        course=course,
        starts_at=payload.starts_at,
        place=payload.place,
        trainer=_user(payload.trainer_id, "trainer_id"),
    )
    return Status(201, session)


@router.get(
    "/team/sessions/{training_session_id}/attendance",
    response={200: list[TeamAttendanceOut], **ERRORS},
    summary="Who was enrolled and who attended",
    **needs(COURSES),
)
def list_attendance(request: Any, training_session_id: PathId) -> list[Any]:
    return list(get_object_or_404(TrainingSession, pk=training_session_id).attendances.all())


@router.post(
    "/team/sessions/{training_session_id}/attendance",
    response={200: TeamAttendanceOut, **ERRORS},
    summary="Record one person's attendance",
    **needs(COURSES, TRAIN),
)
def record_attendance(request: Any, training_session_id: PathId, payload: TeamAttendanceIn) -> Any:
    session = get_object_or_404(TrainingSession, pk=training_session_id)
    return training.record_attendance(
        actor=request.user,
        session=session,
        employee=_user(payload.employee_id, "employee_id"),
        status=payload.status,
    )
