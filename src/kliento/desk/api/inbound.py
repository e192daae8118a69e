"""The generic inbound channel: a connector (chat widget, messenger, social network, SMS
gateway) posts each message of a conversation; a thread feeds one case."""

from typing import Any

from django.http import JsonResponse
from ninja import Router

from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import idempotency
from kliento.desk.api.common import ADD, VIEW, WORK, creating
from kliento.desk.api.schemas import ERRORS, InboundIn, InboundOut
from kliento.desk.services import inbound

router = Router(tags=["service desk"])


@router.post(
    "/inbound-messages",
    response={200: InboundOut, 201: InboundOut, **ERRORS},
    summary="Receive a client's message from a connector channel",
    **creating(VIEW, WORK, ADD),
)
def receive_message(request: AuthenticatedHttpRequest, payload: InboundIn) -> JsonResponse:
    """The first message of a thread opens a case (201); later ones join it (200); a message
    after the case was closed opens a follow-up case (201). The same `external_message_id`
    twice is stored once. Replies go back through the `message.added` webhook, with the
    `external_thread_id`."""

    def work() -> tuple[int, Any]:
        received = inbound.receive(
            actor=request.user,
            item=inbound.Inbound(
                channel=payload.channel,
                thread_id=payload.external_thread_id,
                message_id=payload.external_message_id,
                author_name=payload.author.name,
                author_address=payload.author.address,
                text=payload.text,
                html=payload.html,
                subject=payload.subject,
                sent_at=payload.sent_at,
            ),
        )
        body = InboundOut(
            case_id=received.case.pk,
            case_number=received.case.number,
            message_id=received.message.pk,
            created_case=received.created_case,
            follow_up_of_id=received.case.follow_up_of_id,
        ).model_dump(mode="json")
        return (201 if received.created_case else 200), body

    return idempotency.run(request, work)
