"""Pilots of a policy draft: plan, add clients, start, end with a decision."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.responses import Status

from kliento.core.api_auth import needs
from kliento.policy import services
from kliento.policy.api.schemas import (
    ERRORS,
    MANAGE,
    UNPUBLISHED,
    VIEW,
    FinishIn,
    PilotClientsIn,
    PilotId,
    PilotIn,
    PilotOut,
    VersionId,
)
from kliento.policy.models import (
    Pilot,
    PolicyVersion,
)

router = Router(tags=["policy"])


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
