"""Calls posted by a telephony system: on a case, or as a new phone case of the client the
number belongs to (found or created). The telephony call id makes a repeat harmless."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import access, idempotency, services
from kliento.desk.api.common import ADD, VIEW, WORK, creating, visible_case_or_422
from kliento.desk.api.schemas import ERRORS, CallIn, CallOut
from kliento.desk.models import Call

router = Router(tags=["service desk"])


def call_body(call: Call) -> dict[str, Any]:
    return CallOut.model_validate(
        {
            "id": call.pk,
            "case_id": call.case_id,
            "case_number": call.case.number,
            "message_id": call.message_id,
            "direction": call.direction,
            "number": call.number,
            "duration_seconds": call.duration_seconds,
            "outcome": call.outcome,
            "notes": call.notes,
            "started_at": call.started_at,
            "external_id": call.external_id,
        }
    ).model_dump(mode="json")


@router.post(
    "/calls",
    response={200: CallOut, 201: CallOut, **ERRORS},
    summary="Log a call from a telephony system",
    **creating(VIEW, WORK, ADD),
)
def create_call(request: AuthenticatedHttpRequest, payload: CallIn) -> JsonResponse:
    """Without `case_id` the number finds (or creates) the client and a new phone case is
    opened. A call whose `external_id` was posted before answers 200 with the call as it was
    logged (201 the first time)."""

    def work() -> tuple[int, Any]:
        if payload.external_id:
            existing = (
                Call.objects.select_related("case").filter(external_id=payload.external_id).first()
            )
            if existing is not None:
                if not access.can_see(request.user, existing.case):
                    raise ValidationError({"external_id": _("This call was logged already.")})
                return 200, call_body(existing)
        case = visible_case_or_422(request, payload.case_id, "case_id") if payload.case_id else None
        client = None
        if case is None:
            if not payload.number.strip():
                raise ValidationError(
                    {"number": _("Give the number, or the case the call belongs to.")}
                )
            client = services.client_for(actor=request.user, kind="phone", value=payload.number)
        call = services.log_call(
            actor=request.user,
            draft=services.CallDraft(
                direction=payload.direction,
                outcome=payload.outcome,
                number=payload.number,
                duration_seconds=payload.duration_seconds,
                notes=payload.notes,
                started_at=payload.started_at,
                external_id=payload.external_id,
            ),
            case=case,
            client=client,
            subject=payload.subject,
        )
        return 201, call_body(Call.objects.select_related("case").get(pk=call.pk))

    return idempotency.run(request, work)
