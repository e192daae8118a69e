"""Business-time arithmetic, computed by hand: nights, weekends, holidays, both DST changes of
Europe/Warsaw in 2026; and its properties (hypothesis)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from kliento.desk.sla import calendar as cal

WARSAW = ZoneInfo("Europe/Warsaw")
UTC = dt.UTC
OFFICE = cal.build(
    "Europe/Warsaw",
    {str(day): [["09:00", "18:00"]] for day in range(5)},
    [dt.date(2026, 4, 6), dt.date(2026, 5, 1)],
)
ROUND_THE_CLOCK_WARSAW = cal.build(
    "Europe/Warsaw", {str(day): [["00:00", "24:00"]] for day in range(7)}, []
)
SPLIT = cal.build(
    "Europe/Warsaw",
    {
        "0": [["08:00", "12:00"], ["13:00", "17:30"]],
        "2": [["01:00", "05:00"]],
        "6": [["01:00", "05:00"]],
    },
    [dt.date(2026, 12, 25)],
)


def warsaw(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=WARSAW)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_overnight_carries_to_the_next_morning():
    due = cal.add_business_minutes(OFFICE, warsaw(2026, 3, 10, 17, 30), 60)
    assert due == utc(2026, 3, 11, 8, 30)  # Wednesday 09:30 CET


def test_the_weekend_of_the_spring_dst_change():
    # Friday 17:00 CET: one hour on Friday, one on Monday 09:00-10:00 CEST (UTC+2).
    start = warsaw(2026, 3, 27, 17, 0)
    due = cal.add_business_minutes(OFFICE, start, 120)
    assert due == utc(2026, 3, 30, 8, 0)
    assert cal.business_minutes_between(OFFICE, start, due) == 120


def test_the_weekend_of_the_autumn_dst_change():
    # Friday 17:00 CEST (UTC+2) → Monday 10:00 CET (UTC+1).
    due = cal.add_business_minutes(OFFICE, warsaw(2026, 10, 23, 17, 0), 120)
    assert due == utc(2026, 10, 26, 9, 0)


def test_dst_days_last_23_and_25_hours():
    spring = cal.business_minutes_between(
        ROUND_THE_CLOCK_WARSAW, warsaw(2026, 3, 29, 0, 0), warsaw(2026, 3, 30, 0, 0)
    )
    autumn = cal.business_minutes_between(
        ROUND_THE_CLOCK_WARSAW, warsaw(2026, 10, 25, 0, 0), warsaw(2026, 10, 26, 0, 0)
    )
    assert (spring, autumn) == (23 * 60, 25 * 60)


def test_a_period_across_the_missing_hour_is_an_hour_shorter():
    # Sunday 29 March 01:00 CET (00:00 UTC) to 05:00 CEST (03:00 UTC): three real hours.
    assert cal.business_minutes_between(SPLIT, utc(2026, 3, 28, 23), utc(2026, 3, 29, 6)) == 180
    # Sunday 25 October 01:00 CEST (23:00 UTC the day before) to 05:00 CET (04:00 UTC): five.
    assert cal.business_minutes_between(SPLIT, utc(2026, 10, 24, 22), utc(2026, 10, 25, 6)) == 300


def test_holidays_are_closed_and_closing_time_is_a_valid_due_time():
    start = warsaw(2026, 4, 2, 17, 0)  # Thursday before Easter (CEST)
    # Thursday 1 h + Friday 9 h = 600 minutes: due at Friday's closing, not Tuesday's opening.
    assert cal.add_business_minutes(OFFICE, start, 600) == utc(2026, 4, 3, 16, 0)
    # One more minute: past the weekend and Easter Monday (a holiday) to Tuesday 09:01.
    assert cal.add_business_minutes(OFFICE, start, 601) == utc(2026, 4, 7, 7, 1)


def test_outside_hours_counts_from_the_next_opening():
    saturday = warsaw(2026, 5, 2, 11, 0)  # Saturday after the 1 May holiday
    assert cal.add_business_minutes(OFFICE, saturday, 30) == utc(2026, 5, 4, 7, 30)
    assert cal.business_minutes_between(OFFICE, saturday, warsaw(2026, 5, 3, 23, 0)) == 0


def test_split_days_skip_the_lunch_break():
    monday = warsaw(2026, 6, 1, 11, 30)
    assert cal.add_business_minutes(SPLIT, monday, 60) == warsaw(2026, 6, 1, 13, 30)


def test_zero_minutes_is_the_start_and_always_counts_every_minute():
    start = warsaw(2026, 1, 3, 3, 0)
    assert cal.add_business_minutes(OFFICE, start, 0) == start
    assert cal.add_business_minutes(cal.ALWAYS, start, 90) == start + dt.timedelta(minutes=90)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        cal.add_business_minutes(OFFICE, dt.datetime(2026, 1, 5, 10), 5)


def test_a_calendar_never_open_gives_up():
    closed = cal.WorkCalendar(zone=WARSAW, hours={})
    with pytest.raises(ValueError):
        cal.add_business_minutes(closed, warsaw(2026, 1, 5, 10), 5)


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({"0": [["09:00", "13:00"], ["12:00", "18:00"]]}, "overlap"),
        ({"0": [["09:00", "24:00"], ["10:00", "11:00"]]}, "overlap"),
        ({"0": [["18:00", "09:00"]]}, "ends before"),
        ({"0": [["9:00", "18:00"]]}, "not a time"),
        ({"0": [["24:00", "24:00"]]}, "cannot start"),
        ({"7": [["09:00", "18:00"]]}, "Unknown weekday"),
        ({"0": [["09:00"]]}, "start and an end"),
        ({"0": []}, "at least one"),
        ([], "map weekdays"),
    ],
)
def test_bad_hours_are_refused(hours, message):
    with pytest.raises(ValidationError) as error:
        cal.check_hours(hours)
    assert message in " ".join(error.value.messages)


def test_hours_are_returned_in_order():
    assert cal.check_hours(
        {"1": [["14:00", "18:00"], ["08:00", "12:00"]], "0": [["00:00", "24:00"]]}
    ) == {
        "0": [["00:00", "24:00"]],
        "1": [["08:00", "12:00"], ["14:00", "18:00"]],
    }


def test_time_zones_are_checked():
    assert cal.check_time_zone("Europe/Warsaw") == "Europe/Warsaw"
    for bad in ("Mars/Olympus", "", "../etc/passwd"):
        with pytest.raises(ValidationError):
            cal.check_time_zone(bad)


# Properties ----------------------------------------------------------------------------------

moments = st.datetimes(
    min_value=dt.datetime(2025, 12, 20), max_value=dt.datetime(2027, 1, 10), timezones=st.just(UTC)
)
calendars = st.sampled_from([OFFICE, SPLIT, ROUND_THE_CLOCK_WARSAW, cal.ALWAYS])


@settings(max_examples=200, deadline=None)
@given(calendars, moments, st.integers(min_value=0, max_value=30_000))
def test_adding_then_measuring_gives_the_same_minutes(calendar, start, minutes):
    due = cal.add_business_minutes(calendar, start, minutes)
    assert cal.business_minutes_between(calendar, start, due) == minutes
    assert due >= start


@settings(max_examples=150, deadline=None)
@given(calendars, moments, st.integers(0, 20_000), st.integers(0, 20_000))
def test_more_minutes_never_fall_due_earlier(calendar, start, a, b):
    low, high = sorted((a, b))
    assert cal.add_business_minutes(calendar, start, low) <= cal.add_business_minutes(
        calendar, start, high
    )


@settings(max_examples=150, deadline=None)
@given(calendars, moments, moments, moments)
def test_business_time_is_monotonic_and_additive(calendar, a, b, c):
    first, middle, last = sorted((a, b, c))
    between = cal.business_time_between
    assert between(calendar, first, middle) <= between(calendar, first, last)
    assert between(calendar, first, middle) + between(calendar, middle, last) == between(
        calendar, first, last
    )
    assert between(calendar, first, last) <= last - first
