"""A version's content: goals, procedures, escalation lists (also as a JSON document)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.policy import selectors, services
from kliento.policy.api.common import (
    ensure_visible,
    goal_values,
    procedure_or_404,
    procedure_values,
    version_tree,
)
from kliento.policy.api.schemas import (
    ERRORS,
    MANAGE,
    UNPUBLISHED,
    VIEW,
    Draft,
    EscalationDocumentOut,
    GoalId,
    GoalIn,
    GoalOut,
    PolicyDraftIn,
    PolicyVersionOut,
    ProcedureId,
    ProcedureIn,
    ProcedureOut,
    VersionId,
)
from kliento.policy.models import (
    Goal,
    PolicyVersion,
    Procedure,
)

router = Router(tags=["policy"])


@router.get(
    "/policy-versions/{policy_version_id}",
    response={200: PolicyVersionOut, **ERRORS},
    summary="A version with its goals, procedures and escalation lists",
    **needs(VIEW),
)
def get_version(request: Any, policy_version_id: VersionId) -> PolicyVersion:
    version = version_tree(policy_version_id)
    ensure_visible(request, version)
    return version


@router.put(
    "/policy-versions/{policy_version_id}",
    response={200: PolicyVersionOut, **ERRORS},
    summary="Rewrite a draft's statement and change note",
    **needs(VIEW, MANAGE),
)
def edit_draft(request: Any, policy_version_id: VersionId, payload: PolicyDraftIn) -> PolicyVersion:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    services.edit_draft(
        actor=request.user,
        version=version,
        summary=payload.summary,
        change_note=payload.change_note,
    )
    return version_tree(version.pk)


@router.post(
    "/policy-versions/{policy_version_id}/publish",
    response={200: PolicyVersionOut, **ERRORS},
    summary="Publish a draft company-wide (the previous version is superseded; staff are asked "
    "to read it)",
    **needs(VIEW, MANAGE),
)
def publish(request: Any, policy_version_id: VersionId) -> PolicyVersion:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    services.publish(actor=request.user, version=version)
    return version_tree(version.pk)


@router.post(
    "/policy-versions/{policy_version_id}/goals",
    response={201: GoalOut, **ERRORS},
    summary="Add a goal to a draft (linked to the published mission)",
    **needs(VIEW, MANAGE),
)
def add_goal(request: Any, policy_version_id: VersionId, payload: GoalIn) -> Status[Goal]:
    version = get_object_or_404(PolicyVersion, pk=policy_version_id)
    goal = services.add_goal(actor=request.user, version=version, **goal_values(payload))
    return Status(201, goal)


@router.put(
    "/policy-goals/{goal_id}",
    response={200: GoalOut, **ERRORS},
    summary="Rewrite a draft's goal",
    **needs(VIEW, MANAGE),
)
def update_goal(request: Any, goal_id: GoalId, payload: GoalIn) -> Goal:
    goal = get_object_or_404(Goal, pk=goal_id)
    return services.update_goal(actor=request.user, goal=goal, **goal_values(payload))


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
    procedure = services.add_procedure(actor=request.user, goal=goal, **procedure_values(payload))
    return Status(201, procedure_or_404(procedure.pk))


@router.get(
    "/policy-procedures/{procedure_id}",
    response={200: ProcedureOut, **ERRORS},
    summary="One procedure with its escalation list",
    **needs(VIEW),
)
def get_procedure(request: Any, procedure_id: ProcedureId) -> Procedure:
    procedure = procedure_or_404(procedure_id)
    ensure_visible(request, procedure.goal.version)
    return procedure


@router.put(
    "/policy-procedures/{procedure_id}",
    response={200: ProcedureOut, **ERRORS},
    summary="Rewrite a draft's procedure (its escalation list is replaced whole)",
    **needs(VIEW, MANAGE),
)
def update_procedure(request: Any, procedure_id: ProcedureId, payload: ProcedureIn) -> Procedure:
    procedure = procedure_or_404(procedure_id)
    services.update_procedure(actor=request.user, procedure=procedure, **procedure_values(payload))
    return procedure_or_404(procedure_id)


@router.delete(
    "/policy-procedures/{procedure_id}",
    response={204: None, **ERRORS},
    summary="Delete a draft's procedure",
    **needs(VIEW, MANAGE),
)
def delete_procedure(request: Any, procedure_id: ProcedureId) -> Status[None]:
    services.delete_procedure(actor=request.user, procedure=procedure_or_404(procedure_id))
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
