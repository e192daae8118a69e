"""Validation of policy content, shared by the services (pages and API go through them).

Every check raises Django's ValidationError keyed by the field it concerns, so a form shows it
beside the field and the API answers 422 with its location.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kliento.core.channels import Channel
from kliento.core.models import OrgUnit
from kliento.core.roles import ROLE_LABELS
from kliento.policy.models import EscalationLevel, GoalKind, NotifyBy

MAX_LEVELS = 10
# A week: an escalation list is about hours, not months; a typo of extra zeros is refused.
MAX_AFTER_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class LevelSpec:
    """One escalation level as a caller gives it: exactly one of role, unit_id, user_id."""

    after_minutes: int | None
    role: str = ""
    unit_id: int | None = None
    user_id: int | None = None
    notify: Sequence[str] = field(default=(NotifyBy.IN_APP,))


def clean_text(value: str) -> str:
    return (value or "").replace("\x00", "").strip()


def _limit(errors: dict[str, list[str]], name: str, value: str, most: int) -> None:
    if len(value) > most:
        errors.setdefault(name, []).append(
            _("Keep it within %(n)s characters.") % {"n": f"{most:,}"}
        )


def check_policy(
    *, title: str, owner: object, review_every_months: int | None, roles: Sequence[str]
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the policy a title.")]
    _limit(errors, "title", title, 200)
    if owner is None or not getattr(owner, "is_active", False):
        errors["owner"] = [_("Choose an active member of staff as the owner.")]
    if review_every_months is None or not 1 <= review_every_months <= 60:
        errors["review_every_months"] = [_("Review it every 1 to 60 months.")]
    unknown = sorted(set(roles) - set(ROLE_LABELS))
    if unknown:
        errors["roles"] = [_("Unknown role: %(r)s.") % {"r": ", ".join(unknown)}]
    return errors


def check_goal(
    *,
    kind: str,
    title: str,
    owner: object,
    mission_link: str,
    metric_name: str,
    metric_target: Decimal | None,
    metric_unit: str,
    competitors: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in GoalKind.values:
        errors["kind"] = [_("Choose one of the goals.")]
    if kind == GoalKind.CUSTOM and not title:
        errors["title"] = [_("Name your own goal.")]
    _limit(errors, "title", title, 200)
    if owner is None or not getattr(owner, "is_active", False):
        errors["owner"] = [_("Choose an active member of staff as the owner.")]
    if not mission_link:
        errors["mission_link"] = [_("Say how this goal serves the mission.")]
    _limit(errors, "mission_link", mission_link, 1_000)
    if not metric_name:
        errors["metric_name"] = [_("Name the metric that shows the goal is reached.")]
    _limit(errors, "metric_name", metric_name, 100)
    if metric_target is None or not metric_target.is_finite():
        errors["metric_target"] = [_("Give the target value as a number.")]
    elif abs(metric_target) >= Decimal("1e10"):
        errors["metric_target"] = [_("The target value is too large.")]
    _limit(errors, "metric_unit", metric_unit, 30)
    _limit(errors, "competitors", competitors, 5_000)
    if errors:
        raise ValidationError(errors)


def check_procedure(*, title: str, description: str, channels: Sequence[str]) -> None:
    errors: dict[str, list[str]] = {}
    if not title:
        errors["title"] = [_("Give the procedure a title.")]
    _limit(errors, "title", title, 200)
    if not description:
        errors["description"] = [_("Describe what is done.")]
    _limit(errors, "description", description, 10_000)
    if not channels:
        errors["channels"] = [_("Choose at least one channel.")]
    unknown = sorted(set(channels) - set(Channel.values))
    if unknown:
        errors["channels"] = [_("Unknown channel: %(c)s.") % {"c": ", ".join(unknown)}]
    if errors:
        raise ValidationError(errors)


def check_levels(levels: Sequence[LevelSpec]) -> list[EscalationLevel]:
    """The levels as unsaved rows (procedure not set), or every problem at once under
    "levels", each message naming its level: no empty level, exactly one of role/team/person,
    times strictly increasing, no inactive person, no team or role that does not exist."""
    problems: list[str] = []
    if len(levels) > MAX_LEVELS:
        raise ValidationError({"levels": [_("At most %(n)s levels.") % {"n": MAX_LEVELS}]})
    unit_ids = {s.unit_id for s in levels if s.unit_id is not None}
    user_ids = {s.user_id for s in levels if s.user_id is not None}
    units = OrgUnit.objects.in_bulk(unit_ids)
    users = get_user_model().objects.in_bulk(user_ids)
    rows: list[EscalationLevel] = []
    previous: int | None = None
    for number, spec in enumerate(levels, start=1):

        def problem(message: str, number: int = number) -> None:
            problems.append(_("Level %(n)s: %(m)s") % {"n": number, "m": message})

        named = [x for x in (spec.role, spec.unit_id, spec.user_id) if x not in ("", None)]
        row = EscalationLevel(number=number, role="", notify=sorted(set(spec.notify)))
        if not named:
            problem(_("choose a role, a team or a person."))
        elif len(named) > 1:
            problem(_("name only one: a role, a team or a person."))
        elif spec.role:
            if spec.role not in ROLE_LABELS:
                problem(_("there is no role “%(r)s”.") % {"r": spec.role})
            row.kind, row.role = EscalationLevel.Kind.ROLE, spec.role
        elif spec.unit_id is not None:
            unit = units.get(spec.unit_id)
            if unit is None:
                problem(_("the team no longer exists."))
            row.kind, row.unit = EscalationLevel.Kind.TEAM, unit
        else:
            user = users.get(spec.user_id)
            if user is None:
                problem(_("the person no longer exists."))
            elif not user.is_active:
                name = user.get_full_name() or user.username
                problem(_("%(who)s is no longer active.") % {"who": name})
            row.kind, row.user = EscalationLevel.Kind.PERSON, user
        minutes = spec.after_minutes
        if minutes is None or minutes < 0:
            problem(_("give the time in minutes (0 or more)."))
        elif minutes > MAX_AFTER_MINUTES:
            problem(_("at most %(n)s minutes (a week).") % {"n": MAX_AFTER_MINUTES})
        else:
            if previous is not None and minutes <= previous:
                problem(
                    _("its time (%(m)s min) must be later than the level before (%(p)s min).")
                    % {"m": minutes, "p": previous}
                )
            previous = minutes
            row.after_minutes = minutes
        if not spec.notify:
            problem(_("choose how this level is notified."))
        elif set(spec.notify) - set(NotifyBy.values):
            problem(_("unknown way to notify."))
        rows.append(row)
    if problems:
        raise ValidationError({"levels": problems})
    return rows


def level_problem(level: EscalationLevel) -> str | None:
    """Why a saved level can no longer be used (its team was deleted, its person deactivated
    or removed), or None."""
    if level.kind == EscalationLevel.Kind.TEAM and level.unit_id is None:
        return _("Level %(n)s: the team was deleted.") % {"n": level.number}
    if level.kind == EscalationLevel.Kind.PERSON:
        if level.user is None:
            return _("Level %(n)s: the person was removed.") % {"n": level.number}
        if not level.user.is_active:
            name = level.user.get_full_name() or level.user.username
            return _("Level %(n)s: %(who)s is no longer active.") % {"n": level.number, "who": name}
    if level.kind == EscalationLevel.Kind.ROLE and level.role not in ROLE_LABELS:
        return _("Level %(n)s: the role “%(r)s” no longer exists.") % {
            "n": level.number,
            "r": level.role,
        }
    return None


def check_pilot_dates(starts_on: dt.date | None, ends_on: dt.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if starts_on is None:
        errors["starts_on"] = [_("Give the start date.")]
    if ends_on is None:
        errors["ends_on"] = [_("Give the end date.")]
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = [_("The pilot cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
