"""The team API's bodies. Names carry the app's prefix: OpenAPI keys schemas by class name."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import AfterValidator

from kliento.core.api_types import Id


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store NUL in text: refuse it here as a 422, never a database error.
    if "\x00" in value:
        raise ValueError("Text cannot contain NUL characters.")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]


class TeamMessage(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: TeamMessage, 403: TeamMessage, 404: TeamMessage, 422: Any}


class TeamCompetencyOut(Schema):
    id: int
    name: str
    group: str = Field(description="must, learnable or nice.")
    is_attitude: bool
    description: str
    assessed_by: str = Field(description="interview, test_task or observation.")
    assessment: str


class TeamCompetencyIn(Schema):
    name: Text = Field(min_length=1, max_length=200)
    group: str = Field(examples=["must"])
    is_attitude: bool = False
    description: Text = Field("", max_length=2_000)
    assessed_by: str = Field(examples=["interview"])
    assessment: Text = Field("", max_length=2_000)
    position: int = Field(0, ge=0, le=10_000)


class TeamProfileOut(Schema):
    id: int
    role: str
    summary: str
    competencies: list[TeamCompetencyOut]

    @staticmethod
    def resolve_competencies(obj: Any) -> list[Any]:
        return list(obj.competencies.all())


class TeamProfileIn(Schema):
    role: str = Field(examples=["agent"])
    summary: Text = Field("", max_length=2_000)


class TeamCandidateOut(Schema):
    id: int
    profile_id: int
    name: str
    email: str
    phone: str
    notes: str
    stage: str
    erased: bool
    created_at: dt.datetime

    @staticmethod
    def resolve_erased(obj: Any) -> bool:
        return obj.erased_at is not None


class TeamCandidateIn(Schema):
    profile_id: Id
    name: Text = Field(min_length=1, max_length=200)
    email: str = Field("", max_length=254, pattern=r"^$|^[^@\s]+@[^@\s]+$")
    phone: Text = Field("", max_length=50)
    notes: Text = Field("", max_length=5_000)


class TeamMoveIn(Schema):
    stage: str = Field(description="interview, test_task, offer, hired or rejected.")


class TeamScoreIn(Schema):
    competency_id: Id
    score: int = Field(ge=1, le=5, strict=True)
    note: Text = Field("", max_length=2_000)


class TeamScoreOut(Schema):
    competency_id: int
    interviewer_id: int
    score: int
    note: str


class TeamRankedOut(Schema):
    candidate_id: int
    rank: int
    attitude: float | None
    weighted: float | None
    passes_attitude: bool
    scored: int
    total: int


class TeamPlanCheckpointOut(Schema):
    id: int
    title: str
    kind: str
    due_day: int
    description: str


class TeamPlanOut(Schema):
    id: int
    role: str
    title: str
    checkpoints: list[TeamPlanCheckpointOut]

    @staticmethod
    def resolve_checkpoints(obj: Any) -> list[Any]:
        return list(obj.checkpoints.all())


class TeamPlanIn(Schema):
    role: str = Field(examples=["agent"])
    title: Text = Field(min_length=1, max_length=200)


class TeamPlanCheckpointIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    kind: str = Field(description="standards, shadow, supervised, audit or other.")
    due_day: int = Field(ge=0, le=365)
    description: Text = Field("", max_length=2_000)


class TeamCheckpointOut(Schema):
    id: int
    title: str
    kind: str
    due_on: dt.date
    done_at: dt.datetime | None
    signed_off_by_id: int | None
    note: str


class TeamOnboardingOut(Schema):
    id: int
    employee_id: int
    mentor_id: int
    plan_id: int
    started_on: dt.date
    done: int
    total: int
    overdue: int
    checkpoints: list[TeamCheckpointOut]


class TeamOnboardingIn(Schema):
    employee_id: Id
    mentor_id: Id
    plan_id: Id
    started_on: dt.date


class TeamSignOffIn(Schema):
    note: Text = Field("", max_length=2_000)


class TeamCourseOut(Schema):
    id: int
    title: str
    kind: str
    description: str
    materials: str
    competency_ids: list[int]
    is_active: bool

    @staticmethod
    def resolve_competency_ids(obj: Any) -> list[int]:
        return sorted(c.pk for c in obj.competencies.all())


class TeamCourseIn(Schema):
    title: Text = Field(min_length=1, max_length=200)
    kind: str = Field(description="product, process or soft_skills.")
    description: Text = Field("", max_length=5_000)
    materials: Text = Field("", max_length=10_000, description="Markdown.")
    competency_ids: list[Id] = Field([], max_length=50)


class TeamSessionOut(Schema):
    id: int
    course_id: int
    starts_at: dt.datetime
    place: str
    trainer_id: int | None


class TeamSessionIn(Schema):
    starts_at: dt.datetime
    place: Text = Field("", max_length=200)
    trainer_id: Id | None = None


class TeamAttendanceOut(Schema):
    session_id: int
    employee_id: int
    status: str
    recorded_at: dt.datetime


class TeamAttendanceIn(Schema):
    employee_id: Id
    status: str = Field(description="enrolled, attended or absent.")
