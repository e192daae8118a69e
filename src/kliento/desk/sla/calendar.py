"""Business-time arithmetic: adding business minutes to a moment and measuring the business
time between two moments, in a calendar's own time zone.

Pure functions over a `WorkCalendar` (no database). Working hours are wall-clock times of the
calendar's zone; each day's open intervals are turned into real instants with zoneinfo, so
business time is always real elapsed time: on the night clocks go forward a 00:00-24:00 day
lasts 23 hours, and an interval that starts in the missing hour starts at the moment the clock
shows the later time. All arithmetic is on exact `timedelta`s, so adding business time and then
measuring it gives back exactly what was added.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

UTC = dt.UTC
# How far ahead the arithmetic looks for open time before it gives up (a calendar that is
# closed for ever would otherwise loop for ever): ten years of days.
HORIZON_DAYS = 3660

_TIME = re.compile(r"^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$")

Interval = tuple[dt.time | None, dt.time | None]


@dataclass(frozen=True)
class WorkCalendar:
    """Open hours per weekday (Monday = 0) as (start, end) local times, `end` None meaning
    midnight at the end of the day; holidays are closed all day."""

    zone: ZoneInfo
    hours: Mapping[int, Sequence[tuple[dt.time, dt.time | None]]]
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def open_intervals(self, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        """The day's open intervals as aware UTC instants, in order."""
        if day in self.holidays:
            return []
        found = []
        for start, end in self.hours.get(day.weekday(), ()):
            begin = dt.datetime.combine(day, start, tzinfo=self.zone).astimezone(UTC)
            if end is None:
                finish_local = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0))
            else:
                finish_local = dt.datetime.combine(day, end)
            finish = finish_local.replace(tzinfo=self.zone).astimezone(UTC)
            # An interval that lies wholly inside the hour clocks skip shrinks to nothing.
            if finish > begin:
                found.append((begin, finish))
        return found


# The clock of a policy without a calendar: every minute counts.
ALWAYS = WorkCalendar(zone=ZoneInfo("UTC"), hours={day: [(dt.time(0), None)] for day in range(7)})


def _intervals_from(
    calendar: WorkCalendar, moment: dt.datetime
) -> Iterator[tuple[dt.datetime, dt.datetime]]:
    """Open intervals that end after `moment`, in order (the first clipped to start at it)."""
    day = moment.astimezone(calendar.zone).date() - dt.timedelta(days=1)
    for _offset in range(HORIZON_DAYS):
        for begin, finish in calendar.open_intervals(day):
            if finish > moment:
                yield max(begin, moment), finish
        day += dt.timedelta(days=1)


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("Business time needs aware datetimes")
    return moment.astimezone(UTC)


def add_business_time(
    calendar: WorkCalendar, start: dt.datetime, amount: dt.timedelta
) -> dt.datetime:
    """The moment when `amount` of open time has passed since `start`. Zero is `start` itself;
    a target that ends exactly at closing time falls due at closing time."""
    start = _aware(start)
    if amount <= dt.timedelta(0):
        return start
    left = amount
    for begin, finish in _intervals_from(calendar, start):
        length = finish - begin
        if left <= length:
            return begin + left
        left -= length
    raise ValueError("The calendar has no open time within the horizon")


def add_business_minutes(calendar: WorkCalendar, start: dt.datetime, minutes: float) -> dt.datetime:
    return add_business_time(calendar, start, dt.timedelta(minutes=minutes))


def business_time_between(
    calendar: WorkCalendar, start: dt.datetime, end: dt.datetime
) -> dt.timedelta:
    """Open time from `start` to `end` (zero when `end` is not after `start`)."""
    start, end = _aware(start), _aware(end)
    total = dt.timedelta(0)
    if end <= start:
        return total
    for begin, finish in _intervals_from(calendar, start):
        if begin >= end:
            break
        total += min(finish, end) - begin
    return total


def business_minutes_between(calendar: WorkCalendar, start: dt.datetime, end: dt.datetime) -> float:
    return business_time_between(calendar, start, end) / dt.timedelta(minutes=1)


# ---------------------------------------------------------------------------------------------
# Reading and checking what people type (forms, API)


def parse_time(text: str, *, end: bool) -> dt.time | None:
    if not _TIME.match(text):
        raise ValidationError(_("“%(value)s” is not a time like 09:00.") % {"value": text})
    if text == "24:00":
        if not end:
            raise ValidationError(_("A working period cannot start at 24:00."))
        return None
    hour, minute = (int(part) for part in text.split(":"))
    return dt.time(hour, minute)


def check_hours(raw: object) -> dict[str, list[list[str]]]:
    """Validate stored/posted hours ({"0": [["09:00", "18:00"], …], …}) and return them in
    order; overlapping or reversed periods, bad times and unknown weekdays are refused."""
    if not isinstance(raw, Mapping):
        raise ValidationError(_("Working hours must map weekdays to periods."))
    cleaned: dict[str, list[list[str]]] = {}
    for key, periods in raw.items():
        if str(key) not in {str(d) for d in range(7)}:
            raise ValidationError(_("Unknown weekday “%(day)s”.") % {"day": key})
        if not isinstance(periods, Sequence) or isinstance(periods, str):
            raise ValidationError(_("Each weekday needs a list of periods."))
        parsed: list[tuple[dt.time, dt.time | None, list[str]]] = []
        for period in periods:
            if (
                not isinstance(period, Sequence)
                or isinstance(period, str)
                or len(period) != 2
                or not all(isinstance(p, str) for p in period)
            ):
                raise ValidationError(_("A period is a start and an end, like 09:00–18:00."))
            start = parse_time(period[0], end=False)
            finish = parse_time(period[1], end=True)
            assert start is not None
            if finish is not None and finish <= start:
                raise ValidationError(
                    _("The period %(start)s–%(end)s ends before it starts.")
                    % {"start": period[0], "end": period[1]}
                )
            parsed.append((start, finish, [period[0], period[1]]))
        parsed.sort(key=lambda item: item[0])
        for (_s1, end1, text1), (start2, _e2, text2) in pairwise(parsed):
            if end1 is None or end1 > start2:
                raise ValidationError(
                    _("The periods %(first)s and %(second)s overlap.")
                    % {"first": "–".join(text1), "second": "–".join(text2)}
                )
        if parsed:
            cleaned[str(key)] = [item[2] for item in parsed]
    if not cleaned:
        raise ValidationError(_("A calendar needs at least one working period."))
    return dict(sorted(cleaned.items()))


def check_time_zone(name: str) -> str:
    if not name or name not in available_timezones():
        raise ValidationError(_("“%(zone)s” is not a known time zone.") % {"zone": name})
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(_("“%(zone)s” is not a known time zone.") % {"zone": name}) from exc
    return name


def build(
    time_zone: str, hours: Mapping[str, Sequence[Sequence[str]]], holidays: Sequence[dt.date]
) -> WorkCalendar:
    """A WorkCalendar from stored values (already validated when saved)."""
    parsed: dict[int, list[tuple[dt.time, dt.time | None]]] = {}
    for key, periods in hours.items():
        day = []
        for start_text, end_text in periods:
            start = parse_time(start_text, end=False)
            assert start is not None
            day.append((start, parse_time(end_text, end=True)))
        parsed[int(key)] = day
    return WorkCalendar(zone=ZoneInfo(time_zone), hours=parsed, holidays=frozenset(holidays))
