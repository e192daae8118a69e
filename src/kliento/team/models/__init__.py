"""The team app's tables, one module per concept."""

from kliento.team.models.hiring import Candidate, CandidateScore, Stage
from kliento.team.models.onboarding import (
    Checkpoint,
    CheckpointKind,
    Onboarding,
    OnboardingPlan,
    PlanCheckpoint,
)
from kliento.team.models.profiles import AssessedBy, Competency, Group, IdealProfile
from kliento.team.models.refresher import RefresherRule, TrainingProposal
from kliento.team.models.training import Attendance, Course, TrainingSession

__all__ = [
    "AssessedBy",
    "Attendance",
    "Candidate",
    "CandidateScore",
    "Checkpoint",
    "CheckpointKind",
    "Competency",
    "Course",
    "Group",
    "IdealProfile",
    "Onboarding",
    "OnboardingPlan",
    "PlanCheckpoint",
    "RefresherRule",
    "Stage",
    "TrainingProposal",
    "TrainingSession",
]
