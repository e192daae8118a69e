"""Policies: list, create, change, review; acknowledgements, feedback, the procedures in force."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.policy import selectors, services
from kliento.policy.api.common import (
    policy_out,
    user_or_422,
    version_tree,
    visible_policy,
)
from kliento.policy.api.schemas import (
    ACKS,
    ERRORS,
    FEEDBACK,
    MANAGE,
    UNPUBLISHED,
    VIEW,
    AckOut,
    EscalationDocumentOut,
    FeedbackIn,
    FeedbackOut,
    PilotOut,
    PolicyFields,
    PolicyId,
    PolicyIn,
    PolicyOut,
    PolicyShareOut,
    PolicyUnreadOut,
    PolicyVersionOut,
    ProcedureFilters,
    ProcedureItemOut,
    ReviewIn,
)
from kliento.policy.models import (
    Feedback,
    Pilot,
    Policy,
    PolicyVersion,
)

router = Router(tags=["policy"])


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
    return [policy_out(request, p) for p in found.distinct()]


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
        owner=user_or_422(payload.owner_id, "owner_id"),
        review_every_months=payload.review_every_months,
        summary=payload.summary,
        roles=payload.roles,
        unit_ids=payload.unit_ids,
    )
    return Status(201, policy_out(request, policy))


@router.get(
    "/policies/acknowledgements",
    response={200: list[PolicyShareOut], **ERRORS},
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
    response={200: list[PolicyUnreadOut], **ERRORS},
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
    return policy_out(request, visible_policy(request, policy_id))


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
        owner=user_or_422(payload.owner_id, "owner_id"),
        review_every_months=payload.review_every_months,
        roles=payload.roles,
        unit_ids=payload.unit_ids,
    )
    return policy_out(request, policy)


@router.post(
    "/policies/{policy_id}/versions",
    response={201: PolicyVersionOut, **ERRORS},
    summary="Start a new draft, a copy of the published version",
    **needs(VIEW, MANAGE),
)
def start_revision(request: Any, policy_id: PolicyId) -> Status[PolicyVersion]:
    policy = get_object_or_404(Policy, pk=policy_id)
    draft = services.start_revision(actor=request.user, policy=policy)
    return Status(201, version_tree(draft.pk))


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
    return policy_out(request, policy)


@router.get(
    "/policies/{policy_id}/feedback",
    response={200: list[FeedbackOut], **ERRORS},
    summary="Feedback on the policy from staff and clients, newest first",
    **needs(VIEW),
)
def list_feedback(request: Any, policy_id: PolicyId) -> Any:
    return selectors.feedback(visible_policy(request, policy_id))[:500]


@router.post(
    "/policies/{policy_id}/feedback",
    response={201: FeedbackOut, **ERRORS},
    summary="A comment on an aspect of the policy: the caller's own, or a client's",
    **needs(VIEW, FEEDBACK),
)
def give_feedback(request: Any, policy_id: PolicyId, payload: FeedbackIn) -> Status[Feedback]:
    policy = visible_policy(request, policy_id)
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
