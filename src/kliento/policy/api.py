"""The service policy API: policies, versions with their goals, procedures and escalation lists,
the escalation list as a JSON document other systems read, pilots, feedback and
acknowledgements. Read for all staff (drafts and pilots for managers and auditors), write for
managers. Mounted at /api/v1 (see docs/api.md)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.policy import selectors, services
from kliento.policy.models import (
    EscalationLevel,
    Feedback,
    Goal,
    Pilot,
    Policy,
    PolicyVersion,
    Procedure,
)
from kliento.policy.rules import level_problem

router = Router(tags=["policy"])

MAX_ID = 2**63 - 1
PolicyId = Annotated[int, Path(ge=1, le=MAX_ID, description="Policy id.")]
VersionId = Annotated[int, Path(ge=1, le=MAX_ID, description="Policy version id.")]
GoalId = Annotated[int, Path(ge=1, le=MAX_ID, description="Goal id.")]
ProcedureId = Annotated[int, Path(ge=1, le=MAX_ID, description="Procedure id.")]
PilotId = Annotated[int, Path(ge=1, le=MAX_ID, description="Pilot id.")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
VIEW = "policy.view_policy"
MANAGE = "policy.manage_policies"
UNPUBLISHED = "policy.view_unpublished_policies"
ACKS = "policy.view_policy_acknowledgements"
FEEDBACK = "policy.give_policy_feedback"
Draft = PolicyVersion.Status.DRAFT


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 409: Any, 422: Any}


# ---------------------------------------------------------------------------------------------
# Schemas


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
        return [_level(level) for level in obj.levels.all()]


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


class VersionOut(Schema):
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


class DraftIn(Schema):
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


class UnreadOut(Schema):
    policy_id: int
    version_id: int
    title: str
    number: int


class ShareOut(Schema):
    policy_id: int
    version_id: int
    title: str
    required: int
    acknowledged: int
    percent: int


class ProcedureFilters(Schema):
    channel: str | None = Field(None, max_length=20, description="Only procedures using it.")
    goal: str | None = Field(None, max_length=20, description="A goal kind, e.g. retention.")
    client_id: Id | None = Field(
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


class RefOut(Schema):
    id: int
    title: str


class VersionRefOut(Schema):
    id: int
    status: str


class EscalationDocumentOut(Schema):
    format: str = Field(description="kliento.escalation-list/1")
    procedure: RefOut
    policy_id: int
    version: VersionRefOut
    channels: list[str]
    valid: bool = Field(description="False when a level names a deleted team or gone person.")
    levels: list[DocLevelOut]


# ---------------------------------------------------------------------------------------------
# Helpers


def _level(level: EscalationLevel) -> dict[str, Any]:
    return {
        "level": level.number,
        "after_minutes": level.after_minutes,
        "role": level.role or None,
        "team_id": level.unit_id,
        "person_id": level.user_id,
        "notify": list(level.notify),
        "problem": level_problem(level),
    }


def _policy_out(request: Any, policy: Policy) -> dict[str, Any]:
    published = selectors.published_version(policy)
    draft = selectors.draft_version(policy) if request.user.has_perm(UNPUBLISHED) else None
    return {
        "id": policy.pk,
        "title": policy.title,
        "owner_id": policy.owner_id,
        "review_every_months": policy.review_every_months,
        "reviewed_on": policy.reviewed_on,
        "review_due_on": policy.review_due_on,
        "review_overdue": policy.review_overdue(),
        "roles": list(policy.roles),
        "unit_ids": sorted(u.pk for u in policy.units.all()),
        "published_version_id": published.pk if published else None,
        "draft_version_id": draft.pk if draft else None,
    }


def _visible_policy(request: Any, policy_id: int) -> Policy:
    policy = get_object_or_404(Policy, pk=policy_id)
    if not request.user.has_perm(UNPUBLISHED) and selectors.published_version(policy) is None:
        raise Http404
    return policy


def _visible(request: Any, version: PolicyVersion) -> None:
    if version.status == Draft and not request.user.has_perm(UNPUBLISHED):
        raise Http404


def _tree(version_id: int) -> PolicyVersion:
    version = selectors.version_tree(version_id)
    if version is None:
        raise Http404
    return version


def _user(user_id: int, field: str) -> Any:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        raise ValidationError({field: ["There is no such person."]})
    return user


def _specs(levels: list[LevelIn]) -> list[services.LevelSpec]:
    return [
        services.LevelSpec(
            after_minutes=level.after_minutes,
            role=level.role or "",
            unit_id=level.team_id,
            user_id=level.person_id,
            notify=level.notify,
        )
        for level in levels
    ]


def _procedure(procedure_id: int) -> Procedure:
    return get_object_or_404(
        Procedure.objects.select_related("goal__version").prefetch_related(
            "standards", "levels__user"
        ),
        pk=procedure_id,
    )


def _goal_values(payload: GoalIn) -> dict[str, Any]:
    return {
        "kind": payload.kind,
        "title": payload.title,
        "mission_link": payload.mission_link,
        "owner": _user(payload.owner_id, "owner_id"),
        "metric_name": payload.metric_name,
        "metric_target": payload.metric_target,
        "metric_unit": payload.metric_unit,
        "competitors": payload.competitors,
    }


def _procedure_values(payload: ProcedureIn) -> dict[str, Any]:
    return {
        "title": payload.title,
        "description": payload.description,
        "channels": payload.channels,
        "standard_ids": payload.standard_ids,
        "levels": _specs(payload.levels),
    }


# ---------------------------------------------------------------------------------------------
# Policies


@router.get(
    "/policies",
    response={200: list[PolicyOut], **ERRORS},
    summary="Service policies (drafts-only ones for managers and auditors)",
    **needs(VIEW),
)
def list_policies(request: Any) -> list[dict[str, Any]]:
    found = Policy.objects.select_related("owner").prefetch_related("units")
    if not request.user.has_perm(UNPUBLISHED):
        found = found.filter(versions__status=PolicyVersion.Status.PUBLISHED)
    return [_policy_out(request, p) for p in found.distinct()]


@router.post(
    "/policies",
    response={201: PolicyOut, **ERRORS},
    summary="Create a policy; its first version is an empty draft",
    **needs(VIEW, MANAGE),
)
def create_policy(request: Any, payload: PolicyIn) -> Status[dict[str, Any]]:
    policy = services.create_policy(
        actor=request.user,
        title=payload.title,
        owner=_user(payload.owner_id, "owner_id"),
        review_every_months=payload.review_every_months,
        summary=payload.summary,
        roles=payload.roles,
        unit_ids=payload.unit_ids,
    )
    return Status(201, _policy_out(request, policy))


@router.get(
    "/policies/acknowledgements",
    response={200: list[ShareOut], **ERRORS},
    summary="Each published policy version: how many must acknowledge it and how many have",
    **needs(VIEW, ACKS),
)
def acknowledgement_shares(request: Any) -> list[dict[str, Any]]:
    return [
        {
            "policy_id": s.version.policy_id,
            "version_id": s.version.pk,
            "title": s.version.policy.title,
            "required": s.required,
            "acknowledged": s.done,
            "percent": s.percent,
        }
        for s in selectors.acknowledgement_shares()
    ]


@router.get(
    "/policies/unread",
    response={200: list[UnreadOut], **ERRORS},
    summary="The published policy versions the caller must still acknowledge",
    **needs(VIEW),
)
def my_unread(request: Any) -> list[dict[str, Any]]:
    return [
        {"policy_id": v.policy_id, "version_id": v.pk, "title": v.policy.title, "number": v.number}
        for v in selectors.unread_for(request.user)
    ]


@router.get(
    "/policies/procedures",
    response={200: list[ProcedureItemOut], **ERRORS},
    summary="The procedures in force, by channel and goal (a pilot client's: the piloted ones)",
    **needs(VIEW),
)
def procedures_in_force(request: Any, filters: Query[ProcedureFilters]) -> list[Any]:
    return selectors.procedures_for(
        channel=filters.channel, goal=filters.goal, client_id=filters.client_id
    )


@router.get(
    "/policies/escalation-lists/invalid",
    response={200: list[EscalationDocumentOut], **ERRORS},
    summary="Escalation lists that name a deleted team or a person no longer active",
    **needs(VIEW, UNPUBLISHED),
)
def invalid_lists(request: Any) -> list[dict[str, Any]]:
    return [selectors.escalation_document(item) for item in selectors.invalid_escalation_lists()]


@router.get(
    "/policies/{policy_id}",
    response={200: PolicyOut, **ERRORS},
    summary="One policy",
    **needs(VIEW),
)
def get_policy(request: Any, policy_id: PolicyId) -> dict[str, Any]:
    return _policy_out(request, _visible_policy(request, policy_id))


@router.patch(
    "/policies/{policy_id}",
    response={200: PolicyOut, **ERRORS},
    summary="Change a policy's title, owner, review cadence and audience",
    **needs(VIEW, MANAGE),
)
def update_policy(request: Any, policy_id: PolicyId, payload: PolicyFields) -> dict[str, Any]:
    policy = get_object_or_404(Policy, pk=policy_id)
    policy = services.update_policy(
        actor=request.user,
        policy=policy,
        title=payload.title,
        owner=_user(payload.owner_id, "owner_id"),
        review_every_months=payload.review_every_months,
        roles=payload.roles,
        unit_ids=payload.unit_ids,
    )
    return _policy_out(request, policy)


@router.post(
    "/policies/{policy_id}/versions",
    response={201: VersionOut, **ERRORS},
    summary="Start a new draft, a copy of the published version",
    **needs(VIEW, MANAGE),
)
def start_revision(request: Any, policy_id: PolicyId) -> Status[PolicyVersion]:
    policy = get_object_or_404(Policy, pk=policy_id)
    draft = services.start_revision(actor=request.user, policy=policy)
    return Status(201, _tree(draft.pk))


@router.post(
    "/policies/{policy_id}/acknowledge",
    response={200: AckOut, **ERRORS},
    summary="Acknowledge the published version (it must apply to the caller); again: unchanged",
    **needs(VIEW),
)
def acknowledge(request: Any, policy_id: PolicyId) -> Any:
    policy = get_object_or_404(Policy, pk=policy_id)
    version = selectors.published_version(policy)
    if version is None:
        raise Http404
    return services.acknowledge(actor=request.user, version=version)


@router.post(
    "/policies/{policy_id}/reviewed",
    response={200: PolicyOut, **ERRORS},
    summary="Record a review: the next one is due a cadence from today",
    **needs(VIEW, MANAGE),
)
def mark_reviewed(request: Any, policy_id: PolicyId, payload: ReviewIn) -> dict[str, Any]:
    policy = get_object_or_404(Policy, pk=policy_id)
    policy = services.mark_reviewed(actor=request.user, policy=policy, note=payload.note)
    return _policy_out(request, policy)


@router.get(
    "/policies/{policy_id}/feedback",
    response={200: list[FeedbackOut], **ERRORS},
    summary="Feedback on the policy from staff and clients, newest first",
    **needs(VIEW),
)
def list_feedback(request: Any, policy_id: PolicyId) -> Any:
    return selectors.feedback(_visible_policy(request, policy_id))[:500]


@router.post(
    "/policies/{policy_id}/feedback",
    response={201: FeedbackOut, **ERRORS},
    summary="A comment on an aspect of the policy: the caller's own, or a client's",
    **needs(VIEW, FEEDBACK),
)
def give_feedback(request: Any, policy_id: PolicyId, payload: FeedbackIn) -> Status[Feedback]:
    policy = _visible_policy(request, policy_id)
    pilot = None
    if payload.pilot_id is not None:
        pilot = Pilot.objects.filter(pk=payload.pilot_id).first()
        if pilot is None:
            raise ValidationError({"pilot_id": ["There is no such pilot."]})
    found = services.give_feedback(
        actor=request.user,
        policy=policy,
        aspect=payload.aspect,
        text=payload.text,
        client_id=payload.client_id,
        pilot=pilot,
    )
    return Status(201, found)


@router.get(
    "/policies/{policy_id}/pilots",
    response={200: list[PilotOut], **ERRORS},
    summary="The pilots of a policy's versions",
    **needs(VIEW, UNPUBLISHED),
)
def list_pilots(request: Any, policy_id: PolicyId) -> Any:
    return selectors.pilots(get_object_or_404(Policy, pk=policy_id))


# ---------------------------------------------------------------------------------------------
# Versions, goals, procedures


@router.get(
    "/policy-versions/{policy_version_id}",
    response={200: VersionOut, **ERRORS},
    summary="A version with its goals, procedures and escalation lists",
    **needs(VIEW),
)
def get_version(request: Any, policy_version_id: VersionId) -> PolicyVersion:
    version = _tree(policy_version_id)
    _visible(request, version)
    return version


@router.put(
    "/policy-versions/{policy_version_id}",
    response={200: VersionOut, **ERRORS},
    summary="Rewrite a draft's statement and change note",
    **needs(VIEW, MANAGE),
)
def edit_draft(request: Any, policy_version_id: VersionId, payload: DraftIn) -> PolicyVersion:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    services.edit_draft(
        actor=request.user,
        version=version,
        summary=payload.summary,
        change_note=payload.change_note,
    )
    return _tree(version.pk)


@router.post(
    "/policy-versions/{policy_version_id}/publish",
    response={200: VersionOut, **ERRORS},
    summary="Publish a draft company-wide (the previous version is superseded; staff are asked "
    "to read it)",
    **needs(VIEW, MANAGE),
)
def publish(request: Any, policy_version_id: VersionId) -> PolicyVersion:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    services.publish(actor=request.user, version=version)
    return _tree(version.pk)


@router.post(
    "/policy-versions/{policy_version_id}/goals",
    response={201: GoalOut, **ERRORS},
    summary="Add a goal to a draft (linked to the published mission)",
    **needs(VIEW, MANAGE),
)
def add_goal(request: Any, policy_version_id: VersionId, payload: GoalIn) -> Status[Goal]:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    goal = services.add_goal(actor=request.user, version=version, **_goal_values(payload))
    return Status(201, goal)


@router.put(
    "/policy-goals/{goal_id}",
    response={200: GoalOut, **ERRORS},
    summary="Rewrite a draft's goal",
    **needs(VIEW, MANAGE),
)
def update_goal(request: Any, goal_id: GoalId, payload: GoalIn) -> Goal:
    goal = get_object_or_404(Goal, pk=goal_id)
    return services.update_goal(actor=request.user, goal=goal, **_goal_values(payload))


@router.delete(
    "/policy-goals/{goal_id}",
    response={204: None, **ERRORS},
    summary="Delete a draft's goal with its procedures",
    **needs(VIEW, MANAGE),
)
def delete_goal(request: Any, goal_id: GoalId) -> Status[None]:
    services.delete_goal(actor=request.user, goal=get_object_or_404(Goal, pk=goal_id))
    return Status(204, None)


@router.post(
    "/policy-goals/{goal_id}/procedures",
    response={201: ProcedureOut, **ERRORS},
    summary="Add a procedure with its channels, standards and escalation list",
    **needs(VIEW, MANAGE),
)
def add_procedure(request: Any, goal_id: GoalId, payload: ProcedureIn) -> Status[Procedure]:
    goal = get_object_or_404(Goal, pk=goal_id)
    procedure = services.add_procedure(actor=request.user, goal=goal, **_procedure_values(payload))
    return Status(201, _procedure(procedure.pk))


@router.get(
    "/policy-procedures/{procedure_id}",
    response={200: ProcedureOut, **ERRORS},
    summary="One procedure with its escalation list",
    **needs(VIEW),
)
def get_procedure(request: Any, procedure_id: ProcedureId) -> Procedure:
    procedure = _procedure(procedure_id)
    _visible(request, procedure.goal.version)
    return procedure


@router.put(
    "/policy-procedures/{procedure_id}",
    response={200: ProcedureOut, **ERRORS},
    summary="Rewrite a draft's procedure (its escalation list is replaced whole)",
    **needs(VIEW, MANAGE),
)
def update_procedure(request: Any, procedure_id: ProcedureId, payload: ProcedureIn) -> Procedure:
    procedure = _procedure(procedure_id)
    services.update_procedure(actor=request.user, procedure=procedure, **_procedure_values(payload))
    return _procedure(procedure_id)


@router.delete(
    "/policy-procedures/{procedure_id}",
    response={204: None, **ERRORS},
    summary="Delete a draft's procedure",
    **needs(VIEW, MANAGE),
)
def delete_procedure(request: Any, procedure_id: ProcedureId) -> Status[None]:
    services.delete_procedure(actor=request.user, procedure=_procedure(procedure_id))
    return Status(204, None)


@router.get(
    "/policy-procedures/{procedure_id}/escalation.json",
    response={200: EscalationDocumentOut, **ERRORS},
    summary="The procedure's escalation list as a small JSON document (format "
    "kliento.escalation-list/1)",
    **needs(VIEW),
)
def escalation_json(request: Any, procedure_id: ProcedureId) -> dict[str, Any]:
    found = selectors.escalation_list(procedure_id)
    if found is None or (found.version_status == Draft and not request.user.has_perm(UNPUBLISHED)):
        raise Http404
    return selectors.escalation_document(found)


# ---------------------------------------------------------------------------------------------
# Pilots


@router.post(
    "/policy-versions/{policy_version_id}/pilots",
    response={201: PilotOut, **ERRORS},
    summary="Plan a pilot of a draft for some staff and clients",
    **needs(VIEW, MANAGE),
)
def create_pilot(request: Any, policy_version_id: VersionId, payload: PilotIn) -> Status[Pilot]:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    pilot = services.create_pilot(
        actor=request.user,
        version=version,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        staff_ids=payload.staff_ids,
        client_ids=payload.client_ids,
    )
    return Status(201, pilot)


@router.get(
    "/policy-pilots/{pilot_id}",
    response={200: PilotOut, **ERRORS},
    summary="One pilot",
    **needs(VIEW, UNPUBLISHED),
)
def get_pilot(request: Any, pilot_id: PilotId) -> Pilot:
    return get_object_or_404(Pilot, pk=pilot_id)


@router.post(
    "/policy-pilots/{pilot_id}/clients",
    response={200: PilotOut, **ERRORS},
    summary="Put more clients in a planned or running pilot",
    **needs(VIEW, MANAGE),
)
def add_pilot_clients(request: Any, pilot_id: PilotId, payload: PilotClientsIn) -> Pilot:
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    services.add_pilot_clients(actor=request.user, pilot=pilot, client_ids=payload.client_ids)
    return get_object_or_404(Pilot, pk=pilot_id)


@router.post(
    "/policy-pilots/{pilot_id}/start",
    response={200: PilotOut, **ERRORS},
    summary="Start a planned pilot (the metrics baseline hook runs)",
    **needs(VIEW, MANAGE),
)
def start_pilot(request: Any, pilot_id: PilotId) -> Pilot:
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    return services.start_pilot(actor=request.user, pilot=pilot)


@router.post(
    "/policy-pilots/{pilot_id}/finish",
    response={200: PilotOut, **ERRORS},
    summary="End a running pilot: promote the draft company-wide, or revise it",
    **needs(VIEW, MANAGE),
)
def finish_pilot(request: Any, pilot_id: PilotId, payload: FinishIn) -> Pilot:
    pilot = get_object_or_404(Pilot, pk=pilot_id)
    return services.finish_pilot(
        actor=request.user, pilot=pilot, decision=payload.decision, note=payload.note
    )
