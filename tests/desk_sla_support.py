"""Helpers of the SLA tests: a settable clock, the office calendar, policies, messages."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from kliento.desk import services
from kliento.desk.models import BusinessCalendar, Case, Message, SlaPolicy
from kliento.desk.sla import setup

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC


def warsaw(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WARSAW)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


class Clock:
    """What `timezone.now()` answers everywhere while the fixture is on."""

    def __init__(self) -> None:
        self.now = utc(2026, 3, 2, 9, 0)

    def at(self, moment: dt.datetime) -> dt.datetime:
        self.now = moment.astimezone(UTC)
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def frozen_clock(monkeypatch) -> Clock:
    """Each test module's `clock` fixture: `timezone.now()` answers what the test sets."""
    found = Clock()
    monkeypatch.setattr(timezone, "now", lambda: found.now)
    return found


def office(name: str = "Office", holidays=()) -> BusinessCalendar:
    return setup.save_calendar(
        actor=None,
        spec=setup.CalendarSpec(
            name=name,
            time_zone="Europe/Warsaw",
            hours={str(day): [["09:00", "18:00"]] for day in range(5)},
            holidays=list(holidays),
        ),
    )


def policy(calendar: BusinessCalendar | None = None, **fields) -> SlaPolicy:
    values = {
        "name": "Standard",
        "first_response_minutes": 60,
        "next_response_minutes": 120,
        "resolution_minutes": 540,
        "warn_at_percent": 80,
        "calendar_id": calendar.pk if calendar else None,
    } | fields
    return setup.save_policy(actor=None, spec=setup.PolicySpec(**values))


def write(case: Case, direction: str = Message.Direction.INBOUND, actor=None, **kw) -> Case:
    services.add_message(
        actor=actor,
        case=case,
        draft=services.MessageDraft(direction=direction, body_text="Text", **kw),
    )
    return Case.objects.get(pk=case.pk)


def reply(case: Case, actor=None) -> Case:
    return write(case, Message.Direction.OUTBOUND, actor=actor)


def status(case: Case, value: str, actor=None) -> Case:
    return services.set_status(actor=actor, case=case, status=value)


def fresh(case: Case) -> Case:
    return Case.objects.select_related("sla_clock").get(pk=case.pk)
