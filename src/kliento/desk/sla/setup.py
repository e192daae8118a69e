"""Setting up the SLA: business calendars with their holidays, and SLA policies. Each change
is one transaction with its audit entry. Forms and the API call these; the checks live here.

After a policy or calendar changes, a background task matches every active case again and
recomputes its due times (`clock.recompute_active`), once the change has committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from kliento.clients.selectors import segments
from kliento.core import audit
from kliento.core.channels import Channel
from kliento.core.types import Actor
from kliento.desk.models import BusinessCalendar, Case, Holiday, SlaPolicy
from kliento.desk.sla import calendar as cal

CALENDAR_SAVED = "desk.calendar_saved"
CALENDAR_DELETED = "desk.calendar_deleted"
POLICY_SAVED = "desk.sla_policy_saved"
POLICY_DELETED = "desk.sla_policy_deleted"

# A year of minutes: a longer target is a typo.
MAX_MINUTES = 525_600
TARGETS = ("first_response_minutes", "next_response_minutes", "resolution_minutes")


@dataclass
class CalendarSpec:
    name: str
    time_zone: str
    hours: Mapping[str, Sequence[Sequence[str]]]
    holidays: Sequence[tuple[dt.date, str]] = field(default_factory=list)


@dataclass
class PolicySpec:
    name: str
    position: int = 0
    is_active: bool = True
    priority: str = ""
    channel: str = ""
    segment_id: int | None = None
    calendar_id: int | None = None
    first_response_minutes: int | None = None
    next_response_minutes: int | None = None
    resolution_minutes: int | None = None
    warn_at_percent: int = 80


def _recompute_after_commit() -> None:
    from kliento.desk.sla.tasks import recompute_clocks

    transaction.on_commit(recompute_clocks.enqueue, robust=True)


def _calendar_values(spec: CalendarSpec, calendar: BusinessCalendar | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = spec.name.strip()
    if not name:
        errors["name"] = [_("Give the calendar a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    elif (
        BusinessCalendar.objects.filter(name__iexact=name)
        .exclude(pk=calendar.pk if calendar is not None else 0)
        .exists()
    ):
        errors["name"] = [_("Another calendar has this name.")]
    hours: dict[str, list[list[str]]] = {}
    try:
        cal.check_time_zone(spec.time_zone)
    except ValidationError as exc:
        errors["time_zone"] = exc.messages
    try:
        hours = cal.check_hours(spec.hours)
    except ValidationError as exc:
        errors["hours"] = exc.messages
    seen: set[dt.date] = set()
    for day, label in spec.holidays:
        if day in seen:
            errors.setdefault("holidays", []).append(
                _("%(date)s is listed twice.") % {"date": day.isoformat()}
            )
        elif len(label) > 100:
            errors.setdefault("holidays", []).append(
                _("A holiday's name has at most 100 characters.")
            )
        seen.add(day)
    if errors:
        raise ValidationError(errors)
    return {"name": name, "time_zone": spec.time_zone, "hours": hours}


@transaction.atomic
def save_calendar(
    *, actor: Actor, spec: CalendarSpec, calendar: BusinessCalendar | None = None
) -> BusinessCalendar:
    """Create a calendar, or rewrite one (its holidays replaced as a whole)."""
    values = _calendar_values(spec, calendar)
    if calendar is None:
        calendar = BusinessCalendar.objects.create(**values)
    else:
        calendar = BusinessCalendar.objects.select_for_update().get(pk=calendar.pk)
        for key, value in values.items():
            setattr(calendar, key, value)
        calendar.save()
        calendar.holidays.all().delete()
    Holiday.objects.bulk_create(
        Holiday(calendar=calendar, date=day, name=label.strip()) for day, label in spec.holidays
    )
    audit.record(
        actor=actor,
        action=CALENDAR_SAVED,
        target=calendar,
        data={**values, "holidays": sorted(d.isoformat() for d, _label in spec.holidays)},
    )
    _recompute_after_commit()
    return calendar


@transaction.atomic
def delete_calendar(*, actor: Actor, calendar: BusinessCalendar) -> None:
    name = str(calendar)
    audit.record(actor=actor, action=CALENDAR_DELETED, target=calendar, target_repr=name)
    try:
        with transaction.atomic():
            calendar.delete()
    except ProtectedError as exc:
        raise ValidationError(
            _("SLA policies use this calendar: give them another one first.")
        ) from exc


def _policy_values(spec: PolicySpec) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = spec.name.strip()
    if not name:
        errors["name"] = [_("Give the policy a name.")]
    elif len(name) > 100:
        errors["name"] = [_("At most 100 characters.")]
    if not 0 <= spec.position <= 32767:
        errors["position"] = [_("The position is a number from 0 to 32767.")]
    if spec.priority and spec.priority not in Case.Priority.values:
        errors["priority"] = [_("Unknown priority.")]
    if spec.channel and spec.channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    if spec.segment_id is not None and not segments().filter(pk=spec.segment_id).exists():
        errors["segment_id"] = [_("There is no such segment.")]
    if (
        spec.calendar_id is not None
        and not BusinessCalendar.objects.filter(pk=spec.calendar_id).exists()
    ):
        errors["calendar_id"] = [_("There is no such calendar.")]
    for name_ in TARGETS:
        value = getattr(spec, name_)
        if value is not None and not 1 <= value <= MAX_MINUTES:
            errors[name_] = [_("Between 1 minute and a year (525600 minutes).")]
    if all(getattr(spec, name_) is None for name_ in TARGETS):
        errors["first_response_minutes"] = [_("Set at least one target.")]
    if not 1 <= spec.warn_at_percent <= 99:
        errors["warn_at_percent"] = [_("Warn at 1 to 99 per cent of the target's time.")]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "position": spec.position,
        "is_active": spec.is_active,
        "priority": spec.priority,
        "channel": spec.channel,
        "segment_id": spec.segment_id,
        "calendar_id": spec.calendar_id,
        "first_response_minutes": spec.first_response_minutes,
        "next_response_minutes": spec.next_response_minutes,
        "resolution_minutes": spec.resolution_minutes,
        "warn_at_percent": spec.warn_at_percent,
    }


@transaction.atomic
def save_policy(*, actor: Actor, spec: PolicySpec, policy: SlaPolicy | None = None) -> SlaPolicy:
    values = _policy_values(spec)
    if policy is None:
        policy = SlaPolicy.objects.create(**values)
    else:
        policy = SlaPolicy.objects.select_for_update().get(pk=policy.pk)
        for key, value in values.items():
            setattr(policy, key, value)
        policy.save()
    audit.record(actor=actor, action=POLICY_SAVED, target=policy, data=values)
    _recompute_after_commit()
    return policy


@transaction.atomic
def delete_policy(*, actor: Actor, policy: SlaPolicy) -> None:
    """Cases that used it keep their due times; their clock finds the next matching policy at
    their next change."""
    audit.record(actor=actor, action=POLICY_DELETED, target=policy, target_repr=str(policy))
    policy.delete()
    _recompute_after_commit()
