"""Forms of the SLA setup pages. They parse what the browser sends (hours per weekday as
"09:00-13:00, 14:00-18:00", holidays one per line) into the setup services' specs; the
services check everything again and their errors are put beside the fields (`apply`)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from kliento.clients.selectors import segments
from kliento.core.channels import Channel
from kliento.core.forms import StyledForm
from kliento.desk.models import BusinessCalendar, Case, SlaPolicy
from kliento.desk.sla import calendar as cal
from kliento.desk.sla import setup

_PERIOD = re.compile(r"^\s*(\S+)\s*[-–]\s*(\S+)\s*$")
DAY_FIELDS = [f"day_{day}" for day in range(7)]


class _Form(StyledForm):
    # Service error keys → the form's field names.
    renamed: dict[str, str] = {}

    def apply(self, exc: ValidationError) -> None:
        for key, messages in exc.message_dict.items():
            name = self.renamed.get(key, key)
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)


def periods_text(periods: list[list[str]]) -> str:
    return ", ".join(f"{start}-{end}" for start, end in periods)


def parse_periods(text: str) -> list[list[str]]:
    found = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        match = _PERIOD.match(part)
        if match is None:
            raise ValidationError(_("Write periods like 09:00-13:00, 14:00-18:00."))
        found.append([match[1], match[2]])
    return found


def parse_holidays(text: str) -> list[tuple[dt.date, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _sep, name = line.partition(" ")
        try:
            day = dt.date.fromisoformat(day_text)
        except ValueError as exc:
            raise ValidationError(
                _("Line %(n)d: start with a date like 2026-12-25.") % {"n": number}
            ) from exc
        found.append((day, name.strip()))
    return found


def _day(day: int) -> forms.CharField:
    return forms.CharField(
        label=WEEKDAYS[day],
        required=False,
        max_length=200,
        help_text=_("Empty: closed. E.g. 09:00-13:00, 14:00-18:00.") if day == 0 else "",
    )


class CalendarForm(_Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    time_zone = forms.ChoiceField(label=_("Time zone"), initial="Europe/Warsaw")
    holidays = forms.CharField(
        label=_("Holidays"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line: the date, then its name (2026-12-25 Christmas)."),
    )

    day_0 = _day(0)
    day_1 = _day(1)
    day_2 = _day(2)
    day_3 = _day(3)
    day_4 = _day(4)
    day_5 = _day(5)
    day_6 = _day(6)

    field_order = ["name", "time_zone", *DAY_FIELDS, "holidays"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        zones = self.fields["time_zone"]
        assert isinstance(zones, forms.ChoiceField)
        zones.choices = [(z, z) for z in sorted(available_timezones())]

    @staticmethod
    def office_week() -> dict[str, Any]:
        return {name: "09:00-18:00" for name in DAY_FIELDS[:5]}

    @staticmethod
    def initial_for(calendar: BusinessCalendar) -> dict[str, Any]:
        initial: dict[str, Any] = {"name": calendar.name, "time_zone": calendar.time_zone}
        for day, name in enumerate(DAY_FIELDS):
            initial[name] = periods_text(calendar.hours.get(str(day), []))
        initial["holidays"] = "\n".join(
            f"{h.date.isoformat()} {h.name}".strip() for h in calendar.holidays.all()
        )
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        hours: dict[str, list[list[str]]] = {}
        for day, name in enumerate(DAY_FIELDS):
            if name not in data:
                continue
            try:
                periods = parse_periods(data[name])
                if periods:
                    hours[str(day)] = cal.check_hours({str(day): periods})[str(day)]
            except ValidationError as exc:
                self.add_error(name, exc)
        if not hours and not any(self.has_error(name) for name in DAY_FIELDS):
            self.add_error(DAY_FIELDS[0], _("A calendar needs at least one working period."))
        data["hours"] = hours
        try:
            data["holiday_list"] = parse_holidays(data.get("holidays", ""))
        except ValidationError as exc:
            self.add_error("holidays", exc)
        return data

    def spec(self) -> setup.CalendarSpec:
        data = self.cleaned_data
        return setup.CalendarSpec(
            name=data["name"],
            time_zone=data["time_zone"],
            hours=data["hours"],
            holidays=data["holiday_list"],
        )


class PolicyForm(_Form):
    renamed = {"segment_id": "segment", "calendar_id": "calendar"}

    name = forms.CharField(label=_("Name"), max_length=100)
    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=32767,
        initial=0,
        help_text=_("The first matching active policy, by position, applies."),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)
    priority = forms.ChoiceField(
        label=_("Priority"), required=False, choices=[("", _("Any")), *Case.Priority.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices]
    )
    segment = forms.ModelChoiceField(
        label=_("Client segment"), required=False, queryset=segments(), empty_label=_("Any")
    )
    calendar = forms.ModelChoiceField(
        label=_("Business calendar"),
        required=False,
        queryset=BusinessCalendar.objects.all(),
        empty_label=_("Around the clock"),
    )
    first_response_minutes = forms.IntegerField(
        label=_("First response (business minutes)"),
        required=False,
        min_value=1,
        max_value=setup.MAX_MINUTES,
    )
    next_response_minutes = forms.IntegerField(
        label=_("Next response (business minutes)"),
        required=False,
        min_value=1,
        max_value=setup.MAX_MINUTES,
    )
    resolution_minutes = forms.IntegerField(
        label=_("Resolution (business minutes)"),
        required=False,
        min_value=1,
        max_value=setup.MAX_MINUTES,
    )
    warn_at_percent = forms.IntegerField(
        # xgettext:no-python-format
        label=_("Warn at (% of the target's time)"),
        min_value=1,
        max_value=99,
        initial=80,
    )

    @staticmethod
    def initial_for(policy: SlaPolicy) -> dict[str, Any]:
        return {
            "name": policy.name,
            "position": policy.position,
            "is_active": policy.is_active,
            "priority": policy.priority,
            "channel": policy.channel,
            "segment": policy.segment_id,
            "calendar": policy.calendar_id,
            "first_response_minutes": policy.first_response_minutes,
            "next_response_minutes": policy.next_response_minutes,
            "resolution_minutes": policy.resolution_minutes,
            "warn_at_percent": policy.warn_at_percent,
        }

    def spec(self) -> setup.PolicySpec:
        data = self.cleaned_data
        return setup.PolicySpec(
            name=data["name"],
            position=data["position"],
            is_active=data["is_active"],
            priority=data["priority"],
            channel=data["channel"],
            segment_id=data["segment"].pk if data["segment"] else None,
            calendar_id=data["calendar"].pk if data["calendar"] else None,
            first_response_minutes=data["first_response_minutes"],
            next_response_minutes=data["next_response_minutes"],
            resolution_minutes=data["resolution_minutes"],
            warn_at_percent=data["warn_at_percent"],
        )
