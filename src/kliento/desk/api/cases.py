"""Cases: list with search and filters, open, read, change, merge, take."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.pagination import paginate

from kliento.clients import selectors as client_selectors
from kliento.core.api_auth import needs
from kliento.core.api_errors import BODY
from kliento.core.types import AuthenticatedHttpRequest
from kliento.desk import idempotency, selectors, services
from kliento.desk.api.common import (
    ADD,
    VIEW,
    WORK,
    Pages,
    creating,
    person_or_422,
    visible_case,
    visible_case_or_422,
)
from kliento.desk.api.schemas import (
    ERRORS,
    CaseFilters,
    CaseId,
    CaseIn,
    CaseOut,
    CasePatch,
    MergeIn,
)
from kliento.desk.models import Case, Message

router = Router(tags=["service desk"])

# PATCH fields that update_case changes, by their API names.
FIELD_NAMES = {
    "subject": "subject",
    "kind": "kind",
    "priority": "priority",
    "channel": "channel",
    "team_id": "team",
    "stage_id": "stage_id",
    "touchpoint_id": "touchpoint_id",
    "procedure_id": "procedure_id",
}
ERROR_NAMES = {"team": "team_id", "assignee": "assignee_id", "client": "client_id"}


def case_body(case: Case) -> dict[str, Any]:
    fresh = Case.objects.prefetch_related("tags").get(pk=case.pk)
    return CaseOut.from_orm(fresh).model_dump(mode="json")


def _renamed(exc: Any) -> Any:
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {ERROR_NAMES.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


@router.get(
    "/cases",
    response={200: list[CaseOut], **ERRORS},
    summary="List and search cases",
    **needs(VIEW),
)
@paginate(Pages)
def list_cases(request: AuthenticatedHttpRequest, filters: Query[CaseFilters]) -> QuerySet[Case]:
    cases = selectors.search_cases(request.user, filters.q)
    if filters.queue:
        cases = cases.filter(pk__in=selectors.queue_cases(request.user, filters.queue).values("pk"))
    for name, field in (
        ("status", "status"),
        ("priority", "priority"),
        ("channel", "channel"),
        ("team", "team_id"),
        ("assignee", "assignee_id"),
        ("client", "client_id"),
    ):
        value = getattr(filters, name)
        if value is not None:
            cases = cases.filter(**{field: value})
    return cases.prefetch_related("tags").order_by("-created_at", "-id")


@router.post(
    "/cases",
    response={201: CaseOut, **ERRORS},
    summary="Open a case",
    **creating(VIEW, WORK, ADD),
)
def create_case(request: AuthenticatedHttpRequest, payload: CaseIn) -> JsonResponse:
    """Send `Idempotency-Key` to make a retry safe: the same key answers the first result."""

    def work() -> tuple[int, Any]:
        client = client_selectors.client(payload.client_id)
        if client is None:
            raise ValidationError({"client_id": _("There is no such client.")})
        assignee = (
            person_or_422(payload.assignee_id, "assignee_id") if payload.assignee_id else None
        )
        if assignee is not None and not assignee.has_perm(WORK):
            raise ValidationError({"assignee_id": _("This person cannot work cases.")})
        first = payload.message
        try:
            case = services.open_case(
                actor=request.user,
                draft=services.CaseDraft(
                    subject=payload.subject,
                    client=client,
                    channel=payload.channel,
                    kind=payload.kind,
                    priority=payload.priority,
                    team=payload.team_id,
                    assignee=assignee,
                    tags=payload.tags,
                ),
                message=services.MessageDraft(
                    direction=Message.Direction.INBOUND,
                    body_text=first.text,
                    body_html=first.html,
                    author_name=first.author_name,
                    author_address=first.author_address,
                )
                if first is not None
                else None,
            )
        except ValidationError as exc:
            raise _renamed(exc) from None
        return 201, case_body(case)

    return idempotency.run(request, work)


@router.get(
    "/cases/{case_id}",
    response={200: CaseOut, **ERRORS},
    summary="One case",
    **needs(VIEW),
)
def get_case(request: AuthenticatedHttpRequest, case_id: CaseId) -> Case:
    return Case.objects.prefetch_related("tags").get(pk=visible_case(request, case_id).pk)


@router.patch(
    "/cases/{case_id}",
    response={200: CaseOut, **ERRORS},
    summary="Change a case: fields, status, assignee",
    **needs(VIEW, WORK),
)
def update_case(request: AuthenticatedHttpRequest, case_id: CaseId, payload: CasePatch) -> Any:
    """Fields and tags go through the case rules, `status` through the allowed transitions,
    `assignee_id` through assignment; all of them or nothing is saved."""
    case = visible_case(request, case_id)
    data = payload.model_dump(exclude_unset=True)
    for name in ("subject", "kind", "priority", "channel", "status", "tags"):
        if name in data and data[name] is None:
            raise ValidationError({name: _("This field cannot be empty.")})
    changes = {FIELD_NAMES[k]: v for k, v in data.items() if k in FIELD_NAMES}
    try:
        with transaction.atomic():
            if changes or "tags" in data:
                case = services.update_case(
                    actor=request.user, case=case, changes=changes, tags=data.get("tags")
                )
            if "status" in data:
                case = services.set_status(actor=request.user, case=case, status=data["status"])
            if "assignee_id" in data:
                assignee = (
                    person_or_422(data["assignee_id"], "assignee_id")
                    if data["assignee_id"]
                    else None
                )
                case = services.assign(actor=request.user, case=case, assignee=assignee)
    except ValidationError as exc:
        raise _renamed(exc) from None
    return Case.objects.prefetch_related("tags").get(pk=case.pk)


@router.post(
    "/cases/{case_id}/merge",
    response={200: CaseOut, **ERRORS},
    summary="Merge this case into another of the same client",
    **needs(VIEW, WORK),
)
def merge_case(request: AuthenticatedHttpRequest, case_id: CaseId, payload: MergeIn) -> Any:
    """Answers the case that carries on (`survivor_id`)."""
    duplicate = visible_case(request, case_id)
    survivor = visible_case_or_422(request, payload.survivor_id, "survivor_id")
    merged = services.merge_cases(actor=request.user, duplicate=duplicate, survivor=survivor)
    return Case.objects.prefetch_related("tags").get(pk=merged.pk)


@router.post(
    "/cases/{case_id}/take",
    response={200: CaseOut, **ERRORS},
    summary="Take an unassigned case for yourself",
    **needs(VIEW, WORK),
)
def take_case(request: AuthenticatedHttpRequest, case_id: CaseId) -> Any:
    """409 when someone else took it first (or it is already assigned)."""
    case = visible_case(request, case_id)
    if case.assignee_id == request.user.pk:
        return Case.objects.prefetch_related("tags").get(pk=case.pk)
    try:
        taken = services.take(actor=request.user, case=case)
    except services.CaseTaken as exc:
        return JsonResponse(
            {"detail": [{"loc": list(BODY), "msg": str(exc), "type": "taken"}]}, status=409
        )
    return Case.objects.prefetch_related("tags").get(pk=taken.pk)
