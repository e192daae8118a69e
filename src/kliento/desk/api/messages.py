"""A case's conversation: list it, add a reply, a note or a client's message, with files
(base64 in JSON, or a multipart upload)."""

import base64
import binascii
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field as NinjaField
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate

from kliento.core.api_auth import needs
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import idempotency, selectors, services
from kliento.desk.api.common import VIEW, WORK, Pages, creating, visible_case
from kliento.desk.api.schemas import (
    ERRORS,
    CaseId,
    CaseMessageIn,
    CaseMessageOut,
)
from kliento.desk.models import Case, Message

router = Router(tags=["service desk"])


def message_body(message: Message) -> dict[str, Any]:
    fresh = Message.objects.prefetch_related("attachments").get(pk=message.pk)
    return CaseMessageOut.from_orm(fresh).model_dump(mode="json")


@router.get(
    "/cases/{case_id}/messages",
    response={200: list[CaseMessageOut], **ERRORS},
    summary="A case's conversation, oldest first (with internal notes)",
    **needs(VIEW),
)
@paginate(Pages)
def list_messages(request: AuthenticatedHttpRequest, case_id: CaseId) -> QuerySet[Message]:
    return selectors.conversation(visible_case(request, case_id))


def _decoded(items: list[Any]) -> list[services.AttachmentDraft]:
    drafts = []
    errors = []
    for index, item in enumerate(items):
        try:
            content = base64.b64decode(item.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors.append(index)
            continue
        drafts.append(
            services.AttachmentDraft(
                filename=item.filename, content=content, content_type=item.content_type
            )
        )
    if errors:
        raise ValidationError(
            {
                "attachments": _("Attachment %(numbers)s is not valid base64.")
                % {"numbers": ", ".join(str(i) for i in errors)}
            }
        )
    return drafts


def _add(
    request: AuthenticatedHttpRequest,
    case: Case,
    *,
    direction: str,
    text: str,
    html: str,
    author_name: str = "",
    author_address: str = "",
    external_id: str = "",
    attachments: list[services.AttachmentDraft],
) -> tuple[int, Any]:
    message = services.add_message(
        actor=request.user,
        case=case,
        draft=services.MessageDraft(
            direction=direction,
            body_text=text,
            body_html=nh3.clean(html) if html else "",
            author_name=author_name,
            author_address=author_address,
            external_id=external_id,
            attachments=attachments,
        ),
    )
    return 201, message_body(message)


@router.post(
    "/cases/{case_id}/messages",
    response={201: CaseMessageOut, **ERRORS},
    summary="Add a reply, an internal note or a client's message to a case",
    **creating(VIEW, WORK),
)
def create_message(
    request: AuthenticatedHttpRequest, case_id: CaseId, payload: CaseMessageIn
) -> JsonResponse:
    """Files go in `attachments` as base64 (or use the multipart upload). A reply on a chat,
    messenger or social case goes out through the connector's webhook (`message.added`)."""
    case = visible_case(request, case_id)
    return idempotency.run(
        request,
        lambda: _add(
            request,
            case,
            direction=payload.direction,
            text=payload.text,
            html=payload.html,
            author_name=payload.author_name,
            author_address=payload.author_address,
            external_id=payload.external_id,
            attachments=_decoded(payload.attachments),
        ),
    )


class UploadForm(Schema):
    direction: str = NinjaField("out", pattern="^(in|out|note)$")
    text: str = NinjaField("", max_length=200_000)


@router.post(
    "/cases/{case_id}/messages/upload",
    response={201: CaseMessageOut, **ERRORS},
    summary="Add a message with files as a multipart upload",
    **creating(VIEW, WORK),
)
def upload_message(
    request: AuthenticatedHttpRequest,
    case_id: CaseId,
    payload: Form[UploadForm],
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> JsonResponse:
    case = visible_case(request, case_id)
    drafts = [
        services.AttachmentDraft(
            filename=item.name or "attachment",
            content=item.read(),
            content_type=item.content_type or "",
        )
        for item in files or []
    ]
    return idempotency.run(
        request,
        lambda: _add(
            request,
            case,
            direction=payload.direction,
            text=payload.text,
            html="",
            attachments=drafts,
        ),
    )
