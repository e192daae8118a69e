"""SLA setup in the API: `/sla-policies` and `/calendars` (list, create, get, replace,
delete), for those who set up the desk. Bad input (overlapping hours, an unknown time zone, a
policy without targets) is a 422 with the usual `detail` list."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status
from pydantic import StrictBool, StrictInt, StrictStr

from kliento.core.api_auth import needs
from kliento.core.api_types import MAX_ID, Id
from kliento.desk import access
from kliento.desk.models import BusinessCalendar, Case, SlaPolicy
from kliento.desk.selectors import sla_state
from kliento.desk.sla import setup

router = Router(tags=["service desk: SLA"])

CalendarId = Annotated[int, Path(ge=1, le=MAX_ID, description="Business calendar id.")]
PolicyId = Annotated[int, Path(ge=1, le=MAX_ID, description="SLA policy id.")]
Minutes = Annotated[StrictInt, Field(ge=1, le=setup.MAX_MINUTES)]


class Message(Schema):
    detail: str


ERRORS: dict[int, Any] = {401: Message, 403: Message, 404: Message, 422: Any}


class BusinessHolidayIn(Schema):
    date: dt.date
    name: StrictStr = Field("", max_length=100)


class BusinessCalendarIn(Schema):
    name: StrictStr = Field(max_length=100)
    time_zone: StrictStr = Field(max_length=64, examples=["Europe/Warsaw"])
    hours: dict[StrictStr, list[list[StrictStr]]] = Field(
        description='Weekday (Monday "0" … Sunday "6") → periods [["09:00", "13:00"], …]; '
        '"24:00" ends a period at midnight. Periods of a day must not overlap.',
        examples=[{"0": [["09:00", "18:00"]], "1": [["09:00", "18:00"]]}],
    )
    holidays: list[BusinessHolidayIn] = Field(default_factory=list, max_length=400)


class BusinessHolidayOut(Schema):
    date: dt.date
    name: str


class BusinessCalendarOut(Schema):
    id: int
    name: str
    time_zone: str
    hours: dict[str, list[list[str]]]
    holidays: list[BusinessHolidayOut]


class SlaPolicyIn(Schema):
    name: StrictStr = Field(max_length=100)
    position: StrictInt = Field(0, ge=0, le=32767)
    is_active: StrictBool = True
    priority: StrictStr = Field("", description="low, normal, high, urgent; empty: any.")
    channel: StrictStr = Field("", description="A channel code; empty: any.")
    segment_id: Id | None = Field(None, description="A client segment; null: any.")
    calendar_id: Id | None = Field(None, description="null: the clock runs around the clock.")
    first_response_minutes: Minutes | None = None
    next_response_minutes: Minutes | None = None
    resolution_minutes: Minutes | None = None
    warn_at_percent: StrictInt = Field(80, ge=1, le=99)


class SlaPolicyOut(Schema):
    id: int
    name: str
    position: int
    is_active: bool
    priority: str
    channel: str
    segment_id: int | None
    calendar_id: int | None
    first_response_minutes: int | None
    next_response_minutes: int | None
    resolution_minutes: int | None
    warn_at_percent: int


class SlaTargetOut(Schema):
    """One target of a case's SLA (for the cases API: `sla_state_out(case)`)."""

    target: str = Field(description="first_response, next_response or resolution.")
    minutes: int = Field(description="The policy's target in business minutes.")
    due_at: dt.datetime | None = Field(description="null while the clock is paused.")
    remaining_seconds: int | None = Field(
        description="Business seconds left; negative when late; null once met."
    )
    paused: bool
    met: bool
    met_at: dt.datetime | None
    breached: bool


def sla_state_out(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "target": s.target,
            "minutes": s.minutes,
            "due_at": s.due_at,
            "remaining_seconds": int(s.remaining.total_seconds())
            if s.remaining is not None
            else None,
            "paused": s.paused,
            "met": s.met,
            "met_at": s.met_at,
            "breached": s.breached,
        }
        for s in sla_state(case)
    ]


def _calendar_out(calendar: BusinessCalendar) -> dict[str, Any]:
    return {
        "id": calendar.pk,
        "name": calendar.name,
        "time_zone": calendar.time_zone,
        "hours": calendar.hours,
        "holidays": [{"date": h.date, "name": h.name} for h in calendar.holidays.all()],
    }


def _calendar_spec(payload: BusinessCalendarIn) -> setup.CalendarSpec:
    return setup.CalendarSpec(
        name=payload.name,
        time_zone=payload.time_zone,
        hours=payload.hours,
        holidays=[(h.date, h.name) for h in payload.holidays],
    )


@router.get(
    "/calendars",
    response={200: list[BusinessCalendarOut], **ERRORS},
    summary="Business calendars",
    **needs(access.MANAGE),
)
@paginate(PageNumberPagination, page_size=50)
def list_calendars(request: Any) -> Any:
    return [_calendar_out(c) for c in BusinessCalendar.objects.prefetch_related("holidays")]


@router.post(
    "/calendars",
    response={201: BusinessCalendarOut, **ERRORS},
    summary="Create a business calendar",
    **needs(access.MANAGE),
)
def create_calendar(request: Any, payload: BusinessCalendarIn) -> Status[dict[str, Any]]:
    calendar = setup.save_calendar(actor=request.user, spec=_calendar_spec(payload))
    return Status(201, _calendar_out(calendar))


@router.get(
    "/calendars/{calendar_id}",
    response={200: BusinessCalendarOut, **ERRORS},
    summary="A business calendar",
    **needs(access.MANAGE),
)
def get_calendar(request: Any, calendar_id: CalendarId) -> dict[str, Any]:
    return _calendar_out(get_object_or_404(BusinessCalendar, pk=calendar_id))


@router.put(
    "/calendars/{calendar_id}",
    response={200: BusinessCalendarOut, **ERRORS},
    summary="Replace a business calendar (hours and holidays as a whole)",
    **needs(access.MANAGE),
)
def update_calendar(
    request: Any, calendar_id: CalendarId, payload: BusinessCalendarIn
) -> dict[str, Any]:
    calendar = get_object_or_404(BusinessCalendar, pk=calendar_id)
    calendar = setup.save_calendar(
        actor=request.user, spec=_calendar_spec(payload), calendar=calendar
    )
    return _calendar_out(calendar)


@router.delete(
    "/calendars/{calendar_id}",
    response={204: None, **ERRORS},
    summary="Delete a business calendar no policy uses",
    **needs(access.MANAGE),
)
def delete_calendar(request: Any, calendar_id: CalendarId) -> Status[None]:
    calendar = get_object_or_404(BusinessCalendar, pk=calendar_id)
    setup.delete_calendar(actor=request.user, calendar=calendar)
    return Status(204, None)


@router.get(
    "/sla-policies",
    response={200: list[SlaPolicyOut], **ERRORS},
    summary="SLA policies, in the order they are matched",
    **needs(access.MANAGE),
)
@paginate(PageNumberPagination, page_size=50)
def list_policies(request: Any) -> Any:
    return SlaPolicy.objects.all()


@router.post(
    "/sla-policies",
    response={201: SlaPolicyOut, **ERRORS},
    summary="Create an SLA policy",
    **needs(access.MANAGE),
)
def create_policy(request: Any, payload: SlaPolicyIn) -> Status[SlaPolicy]:
    policy = setup.save_policy(actor=request.user, spec=setup.PolicySpec(**payload.dict()))
    return Status(201, policy)


@router.get(
    "/sla-policies/{sla_policy_id}",
    response={200: SlaPolicyOut, **ERRORS},
    summary="An SLA policy",
    **needs(access.MANAGE),
)
def get_policy(request: Any, sla_policy_id: PolicyId) -> SlaPolicy:
    return get_object_or_404(SlaPolicy, pk=sla_policy_id)


@router.put(
    "/sla-policies/{sla_policy_id}",
    response={200: SlaPolicyOut, **ERRORS},
    summary="Replace an SLA policy",
    **needs(access.MANAGE),
)
def update_policy(request: Any, sla_policy_id: PolicyId, payload: SlaPolicyIn) -> SlaPolicy:
    policy = get_object_or_404(SlaPolicy, pk=sla_policy_id)
    return setup.save_policy(
        actor=request.user, spec=setup.PolicySpec(**payload.dict()), policy=policy
    )


@router.delete(
    "/sla-policies/{sla_policy_id}",
    response={204: None, **ERRORS},
    summary="Delete an SLA policy",
    **needs(access.MANAGE),
)
def delete_policy(request: Any, sla_policy_id: PolicyId) -> Status[None]:
    setup.delete_policy(actor=request.user, policy=get_object_or_404(SlaPolicy, pk=sla_policy_id))
    return Status(204, None)
