"""Writes of a policy and its versions, and acknowledgements: keyword-only, typed, one
transaction each, audited.

Version life cycle: draft → published → superseded. Only a draft is edited, and not while a
pilot of it runs (the pilot must try a fixed text). A policy has at most one draft and one
published version (the database refuses a second); publishing supersedes the version published
before it, counts as a review, and asks the policy's audience to acknowledge it.

Goals and procedures are written in `content`, pilots and feedback in `pilots`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit, notifications, reminders
from kliento.core.models import OrgUnit
from kliento.core.types import Actor
from kliento.policy import rules, selectors
from kliento.policy.models import (
    EscalationLevel,
    Pilot,
    Policy,
    PolicyAcknowledgement,
    PolicyVersion,
)

Status = PolicyVersion.Status


# Audit actions (registered in registrations.py) and notification kinds.
CREATED = "policy.created"
CHANGED = "policy.changed"
DRAFTED = "policy.version_drafted"
EDITED = "policy.draft_edited"
PUBLISHED = "policy.version_published"
REVIEWED = "policy.reviewed"
TO_READ = "policy.to_read"  # notification: a policy you must read was published
REMINDER = "policy.reminder"  # notification: you still have not read it

REMIND_EVERY = reminders.REMIND_EVERY


class PolicyNotFound(ObjectDoesNotExist):
    """No policy (or version, goal, procedure) with that id."""


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _units(unit_ids: Sequence[int]) -> list[OrgUnit]:
    units = list(OrgUnit.objects.filter(pk__in=set(unit_ids)))
    if len(units) != len(set(unit_ids)):
        raise ValidationError({"units": [_("One of the teams does not exist.")]})
    return units


# ---------------------------------------------------------------------------------------------
# The policy and its versions


@transaction.atomic
def create_policy(
    *,
    actor: Actor,
    title: str,
    owner: Any,
    review_every_months: int | None,
    summary: str = "",
    roles: Sequence[str] = (),
    unit_ids: Sequence[int] = (),
) -> Policy:
    """A new policy with its first version, an empty draft to which goals are added."""
    title, summary = rules.clean_text(title), rules.clean_text(summary)
    errors = rules.check_policy(
        title=title, owner=owner, review_every_months=review_every_months, roles=roles
    )
    if len(summary) > 20_000:
        errors["summary"] = [_("Keep the statement within 20,000 characters.")]
    if title and Policy.objects.filter(title__iexact=title).exists():
        errors.setdefault("title", []).append(_("A policy with this title already exists."))
    if errors:
        raise ValidationError(errors)
    assert review_every_months is not None
    today = timezone.localdate()
    policy = Policy.objects.create(
        title=title,
        owner=owner,
        review_every_months=review_every_months,
        reviewed_on=today,
        review_due_on=add_months(today, review_every_months),
        roles=sorted(set(roles)),
    )
    policy.units.set(_units(unit_ids))
    PolicyVersion.objects.create(policy=policy, number=1, summary=summary, created_by=actor)
    audit.record(actor=actor, action=CREATED, target=policy)
    return policy


@transaction.atomic
def update_policy(
    *,
    actor: Actor,
    policy: Policy,
    title: str,
    owner: Any,
    review_every_months: int | None,
    roles: Sequence[str] = (),
    unit_ids: Sequence[int] = (),
) -> Policy:
    """Change a policy's title, owner, review cadence and audience (its content changes
    through versions). A new cadence counts from the last review."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    title = rules.clean_text(title)
    errors = rules.check_policy(
        title=title, owner=owner, review_every_months=review_every_months, roles=roles
    )
    if title and Policy.objects.filter(title__iexact=title).exclude(pk=policy.pk).exists():
        errors.setdefault("title", []).append(_("A policy with this title already exists."))
    if errors:
        raise ValidationError(errors)
    assert review_every_months is not None
    before = _snapshot(policy)
    policy.title, policy.owner, policy.roles = title, owner, sorted(set(roles))
    policy.review_every_months = review_every_months
    policy.review_due_on = add_months(policy.reviewed_on, review_every_months)
    policy.save()
    policy.units.set(_units(unit_ids))
    after = _snapshot(policy)
    changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if changes:
        audit.record(actor=actor, action=CHANGED, target=policy, data=changes)
    return policy


def _snapshot(policy: Policy) -> dict[str, Any]:
    return {
        "title": policy.title,
        "owner_id": policy.owner_id,
        "review_every_months": policy.review_every_months,
        "roles": list(policy.roles),
        "unit_ids": sorted(u.pk for u in policy.units.all()),
    }


@transaction.atomic
def mark_reviewed(*, actor: Actor, policy: Policy, note: str = "") -> Policy:
    """The owner (or a manager) has reviewed the policy: the next review is due a cadence
    from today."""
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    note = rules.clean_text(note)
    if len(note) > 500:
        raise ValidationError({"note": [_("Keep the note within 500 characters.")]})
    _reviewed(policy, timezone.localdate())
    audit.record(
        actor=actor,
        action=REVIEWED,
        target=policy,
        data={"note": note, "due": str(policy.review_due_on)},
    )
    return policy


def _reviewed(policy: Policy, today: dt.date) -> None:
    policy.reviewed_on = today
    policy.review_due_on = add_months(today, policy.review_every_months)
    policy.save(update_fields=["reviewed_on", "review_due_on"])


def locked_draft(version: PolicyVersion) -> PolicyVersion:
    """The version, locked, if it may be edited: a draft that no pilot is running."""
    version = PolicyVersion.objects.select_for_update().select_related("policy").get(pk=version.pk)
    if version.status != Status.DRAFT:
        raise ValidationError({"status": [_("Only a draft can be changed.")]})
    if version.pilots.filter(status=Pilot.Status.RUNNING).exists():
        raise ValidationError(
            {"status": [_("A pilot of this draft is running: end it before changing the text.")]}
        )
    return version


@transaction.atomic
def edit_draft(
    *, actor: Actor, version: PolicyVersion, summary: str, change_note: str = ""
) -> PolicyVersion:
    version = locked_draft(version)
    summary, change_note = rules.clean_text(summary), rules.clean_text(change_note)
    errors: dict[str, list[str]] = {}
    if len(summary) > 20_000:
        errors["summary"] = [_("Keep the statement within 20,000 characters.")]
    if len(change_note) > 300:
        errors["change_note"] = [_("Keep the note within 300 characters.")]
    if errors:
        raise ValidationError(errors)
    version.summary, version.change_note = summary, change_note
    version.save(update_fields=["summary", "change_note"])
    audit.record(actor=actor, action=EDITED, target=version, data={"note": change_note})
    return version


def _copy_tree(source: PolicyVersion, target: PolicyVersion) -> None:
    for goal in source.goals.prefetch_related("procedures__levels", "procedures__standards"):
        procedures = list(goal.procedures.all())
        goal.pk, goal.version = None, target
        goal.save()
        for procedure in procedures:
            levels = list(procedure.levels.all())
            standard_ids = [s.pk for s in procedure.standards.all()]
            procedure.pk, procedure.goal = None, goal
            procedure.save()
            procedure.standards.set(standard_ids)
            for level in levels:
                level.pk, level.procedure = None, procedure
            EscalationLevel.objects.bulk_create(levels)


@transaction.atomic
def start_revision(*, actor: Actor, policy: Policy) -> PolicyVersion:
    """A new draft copied from the published version (goals, procedures, escalation lists);
    refused while a draft exists."""
    Policy.objects.select_for_update().filter(pk=policy.pk).first()
    if policy.versions.filter(status=Status.DRAFT).exists():
        raise ValidationError({"status": [_("This policy already has a draft.")]})
    base = policy.versions.filter(status=Status.PUBLISHED).first() or policy.versions.first()
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    draft = PolicyVersion.objects.create(
        policy=policy, number=number, summary=base.summary if base else "", created_by=actor
    )
    if base is not None:
        _copy_tree(base, draft)
    audit.record(actor=actor, action=DRAFTED, target=draft, data={"number": number})
    return draft


def check_publishable(version: PolicyVersion) -> None:
    """A version goes out only whole: goals, each with a procedure, every escalation list
    usable today."""
    goals = list(version.goals.prefetch_related("procedures__levels__user"))
    problems: list[str] = []
    if not goals:
        problems.append(_("Add at least one goal before publishing."))
    for goal in goals:
        procedures = list(goal.procedures.all())
        if not procedures:
            problems.append(_("The goal “%(g)s” has no procedure.") % {"g": goal})
        for procedure in procedures:
            if not procedure.levels.all():
                problems.append(_("“%(p)s” has no escalation list.") % {"p": procedure})
            for level in procedure.levels.all():
                problem = rules.level_problem(level)
                if problem:
                    problems.append(f"{procedure}: {problem}")
    if problems:
        raise ValidationError({"status": problems})


@transaction.atomic
def publish(*, actor: Actor, version: PolicyVersion) -> PolicyVersion:
    """Publish a draft company-wide: the version published before is superseded, the policy
    counts as reviewed today, and its audience is asked to acknowledge it. Refused while a pilot
    of the draft runs (ending the pilot with "promote" publishes it)."""
    version = locked_draft(version)
    check_publishable(version)
    now = timezone.now()
    PolicyVersion.objects.filter(policy=version.policy, status=Status.PUBLISHED).update(
        status=Status.SUPERSEDED, superseded_at=now
    )
    version.status, version.published_at, version.published_by = Status.PUBLISHED, now, actor
    version.save(update_fields=["status", "published_at", "published_by"])
    # A pilot planned but never started is moot once the version is company-wide.
    version.pilots.filter(status=Pilot.Status.PLANNED).delete()
    _reviewed(version.policy, timezone.localdate())
    audit.record(actor=actor, action=PUBLISHED, target=version, data={"number": version.number})
    notifications.notify(
        recipients=selectors.audience(version.policy),
        kind=TO_READ,
        actor=actor,
        target_url=reverse("policy:detail", args=[version.policy_id]),
        params={"policy_id": version.policy_id, "number": version.number},
    )
    return version


# ---------------------------------------------------------------------------------------------
# Acknowledgements


@transaction.atomic
def acknowledge(*, actor: Any, version: PolicyVersion) -> PolicyAcknowledgement:
    """`actor` has read `version`. Only a published version that applies to them can be
    acknowledged; acknowledging again changes nothing."""
    version = PolicyVersion.objects.select_related("policy").get(pk=version.pk)
    if version.status != Status.PUBLISHED:
        raise ValidationError(
            {"version": [_("Only the published version of a policy can be acknowledged.")]}
        )
    if not selectors.applies_to(version.policy, actor):
        raise ValidationError({"version": [_("This policy does not apply to you.")]})
    ack, _created = PolicyAcknowledgement.objects.get_or_create(version=version, user=actor)
    return ack


def request_reminders(*, version: PolicyVersion) -> None:
    """Queue reminders for the version's unread audience (after the caller's commit)."""
    from kliento.policy.tasks import remind_unread

    transaction.on_commit(partial(remind_unread.enqueue, version.pk), robust=True)


@transaction.atomic
def send_reminders(*, version_id: int, now: dt.datetime | None = None) -> int:
    """Remind everyone who has not acknowledged a published version; returns how many.

    The version is claimed with a conditional UPDATE first, so two workers running this at once
    (or a retried task) remind each person once: the second finds the claim taken. A version
    reminded less than REMIND_EVERY ago is left alone.
    """
    now = now or timezone.now()
    published = PolicyVersion.objects.filter(status=Status.PUBLISHED)
    if not reminders.claim(published, pk=version_id, now=now):
        return 0
    version = PolicyVersion.objects.select_related("policy").get(pk=version_id)
    unread = selectors.audience(version.policy).exclude(policy_acknowledgements__version=version)
    sent = notifications.notify(
        recipients=list(unread),
        kind=REMINDER,
        target_url=reverse("policy:detail", args=[version.policy_id]),
        params={"policy_id": version.policy_id, "number": version.number},
    )
    return len(sent)


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """The scheduler's pass: remind the unread audience of every published version whose
    automatic reminder is due. Each version is claimed by `send_reminders`, so two schedulers
    or a retried task remind nobody twice."""
    now = now or timezone.now()
    published = PolicyVersion.objects.filter(status=Status.PUBLISHED)
    return sum(send_reminders(version_id=pk, now=now) for pk in reminders.due(published, now=now))
