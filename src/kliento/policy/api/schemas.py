"""The policy API's input and output schemas, and its shared path and id types."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Path, Schema

from kliento.core.api_types import MAX_ID, Id, QueryId
from kliento.policy.models import (
    EscalationLevel,
    Goal,
    Pilot,
    PolicyVersion,
    Procedure,
)
from kliento.policy.rules import level_problem

PolicyId = Annotated[int, Path(ge=1, le=MAX_ID, description="Policy id.")]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Policy version id.")]
GoalId = Annotated[int, Path(ge=1, le=MAX_ID, description="Goal id.")]
ProcedureId = Annotated[int, Path(ge=1, le=MAX_ID, description="Procedure id.")]
PilotId = Annotated[int, Path(ge=1, le=MAX_ID, description="Pilot id.")]
VIEW = "policy.view_policy"
MANAGE = "policy.manage_policies"
UNPUBLISHED = "policy.view_unpublished_policies"
ACKS = "policy.view_policy_acknowledgements"
FEEDBACK = "policy.give_policy_feedback"
Draft = PolicyVersion.Status.DRAFT


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 409: Any, 422: Any}


def level_out(level: EscalationLevel) -> dict[str, Any]:
    return {
        "level": level.number,
        "after_minutes": level.after_minutes,
        "role": level.role or None,
        "team_id": level.unit_id,
        "person_id": level.user_id,
        "notify": list(level.notify),
        "problem": level_problem(level),
    }


class LevelOut(Schema):
    level: int
    after_minutes: int = Field(
        description="Minutes since the matter was opened after which, unresolved, it reaches "
        "this level."
    )
    role: str | None
    team_id: int | None
    person_id: int | None
    notify: list[str] = Field(description="in_app, email, phone.")
    problem: str | None = Field(description="Why the level can no longer be used, if so.")


class LevelIn(Schema):
    after_minutes: int = Field(ge=0, le=10_080)
    role: str | None = Field(None, max_length=30, description="A role name, or …")
    team_id: Id | None = Field(None, description="… a team (organisation unit) id, or …")
    person_id: Id | None = Field(None, description="… a user id: exactly one of the three.")
    notify: list[str] = Field(["in_app"], min_length=1, max_length=3)


class ProcedureOut(Schema):
    id: int
    goal_id: int
    title: str
    description: str = Field(description="Markdown.")
    channels: list[str]
    standard_ids: list[int]
    levels: list[LevelOut]

    @staticmethod
    def resolve_standard_ids(obj: Procedure) -> list[int]:
        return sorted(s.pk for s in obj.standards.all())

    @staticmethod
    def resolve_levels(obj: Procedure) -> list[dict[str, Any]]:
        return [level_out(level) for level in obj.levels.all()]


class ProcedureIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=10_000)
    channels: list[str] = Field(min_length=1, max_length=20)
    standard_ids: list[Id] = Field([], max_length=100)
    levels: list[LevelIn] = Field(min_length=1, max_length=10)


class GoalOut(Schema):
    id: int
    kind: str = Field(
        description="retention, new_products, product_feedback, purchasing_power or custom."
    )
    title: str
    mission_id: int
    mission_link: str
    owner_id: int
    metric_name: str
    metric_target: Decimal
    metric_unit: str
    competitors: str = Field(description="Markdown: how competitors handle the same goal.")
    procedures: list[ProcedureOut]

    @staticmethod
    def resolve_procedures(obj: Goal) -> list[Procedure]:
        return list(obj.procedures.all())


class GoalIn(Schema):
    kind: str = Field(examples=["retention"])
    title: str = Field("", max_length=200)
    mission_link: str = Field(min_length=1, max_length=1_000)
    owner_id: Id
    metric_name: str = Field(min_length=1, max_length=100)
    metric_target: Decimal = Field(max_digits=14, decimal_places=4)
    metric_unit: str = Field("", max_length=30)
    competitors: str = Field("", max_length=5_000)


class PolicyVersionOut(Schema):
    id: int
    policy_id: int
    number: int
    status: str = Field(description="draft, published or superseded.")
    summary: str = Field(description="Markdown: the policy's statement.")
    change_note: str
    published_at: dt.datetime | None
    goals: list[GoalOut]

    @staticmethod
    def resolve_goals(obj: PolicyVersion) -> list[Goal]:
        return list(obj.goals.all())


class PolicyDraftIn(Schema):
    summary: str = Field("", max_length=20_000)
    change_note: str = Field("", max_length=300)


class PolicyOut(Schema):
    id: int
    title: str
    owner_id: int
    review_every_months: int
    reviewed_on: dt.date
    review_due_on: dt.date
    review_overdue: bool
    roles: list[str]
    unit_ids: list[int]
    published_version_id: int | None
    draft_version_id: int | None = Field(description="Null unless the caller may read drafts.")


class PolicyFields(Schema):
    title: str = Field(min_length=1, max_length=200)
    owner_id: Id
    review_every_months: int = Field(12, ge=1, le=60)
    roles: list[str] = Field([], max_length=10, description="Role names; empty: every role.")
    unit_ids: list[Id] = Field([], max_length=200, description="Teams; empty: everyone.")


class PolicyIn(PolicyFields):
    summary: str = Field("", max_length=20_000)


class PilotOut(Schema):
    id: int
    version_id: int
    status: str = Field(description="planned, running or ended.")
    outcome: str = Field(description="'', promoted or revised.")
    starts_on: dt.date
    ends_on: dt.date
    staff_ids: list[int]
    client_ids: list[int]
    note: str

    @staticmethod
    def resolve_staff_ids(obj: Pilot) -> list[int]:
        return sorted(u.pk for u in obj.staff.all())

    @staticmethod
    def resolve_client_ids(obj: Pilot) -> list[int]:
        return sorted(obj.clients.values_list("client_id", flat=True))


class PilotIn(Schema):
    starts_on: dt.date
    ends_on: dt.date
    staff_ids: list[Id] = Field(min_length=1, max_length=500)
    client_ids: list[Id] = Field([], max_length=10_000)


class PilotClientsIn(Schema):
    client_ids: list[Id] = Field(min_length=1, max_length=10_000)


class FinishIn(Schema):
    decision: Literal["promote", "revise"]
    note: str = Field("", max_length=500)


class FeedbackIn(Schema):
    aspect: str = Field(
        examples=["response_speed"],
        description="delivery_time, response_speed, complaints, communication, procedure, other.",
    )
    text: str = Field(min_length=1, max_length=2_000)
    client_id: Id | None = Field(None, description="The client who said it (else: the caller).")
    pilot_id: Id | None = None


class FeedbackOut(Schema):
    id: int
    policy_id: int
    version_id: int | None
    pilot_id: int | None
    source: str = Field(description="staff or client.")
    client_id: int | None
    recorded_by_id: int | None
    aspect: str
    text: str
    created_at: dt.datetime


class ReviewIn(Schema):
    note: str = Field("", max_length=500)


class AckOut(Schema):
    version_id: int
    user_id: int
    acknowledged_at: dt.datetime


class PolicyUnreadOut(Schema):
    policy_id: int
    version_id: int
    title: str
    number: int


class PolicyShareOut(Schema):
    policy_id: int
    version_id: int
    title: str
    required: int
    acknowledged: int
    percent: int


class ProcedureFilters(Schema):
    channel: str | None = Field(None, max_length=20, description="Only procedures using it.")
    goal: str | None = Field(None, max_length=20, description="A goal kind, e.g. retention.")
    client_id: QueryId | None = Field(
        None, description="For a client in a running pilot: the piloted version's procedures."
    )


class ProcedureItemOut(Schema):
    id: int
    policy_id: int
    version_id: int
    goal_id: int
    goal_kind: str
    title: str
    description: str
    channels: list[str]
    standard_ids: list[int]
    in_pilot: bool


class WhoOut(Schema):
    kind: str = Field(description="role, team or person.")
    role: str | None
    team_id: int | None
    person_id: int | None


class DocLevelOut(Schema):
    level: int
    after_minutes: int
    who: WhoOut
    notify: list[str]
    problem: str | None


class PolicyRefOut(Schema):
    id: int
    title: str


class VersionRefOut(Schema):
    id: int
    status: str


class EscalationDocumentOut(Schema):
    format: str = Field(description="kliento.escalation-list/1")
    procedure: PolicyRefOut
    policy_id: int
    version: VersionRefOut
    channels: list[str]
    valid: bool = Field(description="False when a level names a deleted team or gone person.")
    levels: list[DocLevelOut]
