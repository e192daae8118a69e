"""Onboarding plans, a new employee's onboarding with a mentor, sign-offs and overdue notices."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.notifications import notify
from kliento.core.roles import ROLE_LABELS
from kliento.standards import selectors as standards
from kliento.team.models import (
    Checkpoint,
    CheckpointKind,
    Onboarding,
    OnboardingPlan,
    PlanCheckpoint,
)

ONBOARDING_STARTED = "team.onboarding_started"
CHECKPOINT_SIGNED = "team.checkpoint_signed"
CHECKPOINT_OVERDUE = "team.checkpoint_overdue"
MANAGE = "team.manage_onboarding"


@transaction.atomic
def save_plan(*, actor: Any, role: str, title: str) -> OnboardingPlan:
    errors: dict[str, list[str]] = {}
    if role not in ROLE_LABELS:
        errors["role"] = [_("There is no such role.")]
    if not title.strip():
        errors["title"] = [_("Give the plan a title.")]
    if errors:
        raise ValidationError(errors)
    plan, _created = OnboardingPlan.objects.update_or_create(
        role=role, defaults={"title": title.strip()}
    )
    return plan


@transaction.atomic
def add_plan_checkpoint(
    *, plan: OnboardingPlan, title: str, kind: str, due_day: int, description: str = ""
) -> PlanCheckpoint:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give the checkpoint a title.")]
    if kind not in CheckpointKind.values:
        errors["kind"] = [_("Choose a kind of checkpoint.")]
    if not 0 <= due_day <= 365:
        errors["due_day"] = [_("A checkpoint is due within the first 365 days.")]
    if errors:
        raise ValidationError(errors)
    return PlanCheckpoint.objects.create(
        plan=plan, title=title.strip(), kind=kind, due_day=due_day, description=description.strip()
    )


@transaction.atomic
def start_onboarding(
    *, actor: Any, employee: Any, mentor: Any, plan: OnboardingPlan, started_on: dt.date
) -> Onboarding:
    errors: dict[str, list[str]] = {}
    if employee.pk == mentor.pk:
        errors["mentor_id"] = [_("A new employee cannot be their own mentor.")]
    if not mentor.is_active:
        errors["mentor_id"] = [_("The mentor's account is not active.")]
    if not plan.checkpoints.exists():
        errors["plan_id"] = [_("The plan has no checkpoints yet.")]
    if errors:
        raise ValidationError(errors)
    onboarding = Onboarding.objects.create(
        employee=employee, mentor=mentor, plan=plan, started_on=started_on
    )
    Checkpoint.objects.bulk_create(
        Checkpoint(
            onboarding=onboarding,
            title=c.title,
            kind=c.kind,
            description=c.description,
            due_on=started_on + dt.timedelta(days=c.due_day),
        )
        for c in plan.checkpoints.all()
    )
    audit.record(
        actor=actor,
        action=ONBOARDING_STARTED,
        target=onboarding,
        data={"employee": employee.pk, "mentor": mentor.pk, "plan": plan.pk},
    )
    notify(
        recipients=[employee, mentor],
        kind=ONBOARDING_STARTED,
        target_url=reverse("team:onboarding", args=[onboarding.pk]),
        params={"employee": str(employee), "mentor": str(mentor)},
        actor=actor,
    )
    return onboarding


def may_sign_off(user: Any, onboarding: Onboarding) -> bool:
    return user.pk == onboarding.mentor_id or user.has_perm(MANAGE)


@transaction.atomic
def sign_off(*, actor: Any, checkpoint: Checkpoint, note: str = "") -> Checkpoint:
    onboarding = checkpoint.onboarding
    if not may_sign_off(actor, onboarding):
        raise PermissionDenied
    if checkpoint.kind == CheckpointKind.STANDARDS:
        unread = standards.unread_for(onboarding.employee)
        if unread:
            raise ValidationError(
                _("Standards still waiting for the employee's acknowledgement: %(n)s.")
                % {"n": len(unread)}
            )
    # The claim: a second sign-off (a double click, the API) finds the checkpoint done.
    done = Checkpoint.objects.filter(pk=checkpoint.pk, done_at__isnull=True).update(
        done_at=timezone.now(), signed_off_by=actor, note=note.strip()
    )
    if not done:
        raise ValidationError(_("This checkpoint is already signed off."))
    checkpoint.refresh_from_db()
    notify(
        recipients=[onboarding.employee],
        kind=CHECKPOINT_SIGNED,
        target_url=reverse("team:onboarding", args=[onboarding.pk]),
        params={"checkpoint": checkpoint.title, "mentor": str(actor)},
        actor=actor,
    )
    return checkpoint


def complete_acknowledged(*, now: dt.datetime | None = None) -> int:
    """Complete the open "acknowledge the standards" checkpoints of employees who have
    acknowledged every current version that applies to them."""
    now = now or timezone.now()
    open_ones = Checkpoint.objects.filter(
        kind=CheckpointKind.STANDARDS, done_at__isnull=True
    ).select_related("onboarding__employee")
    completed = 0
    for checkpoint in open_ones:
        if standards.unread_for(checkpoint.onboarding.employee):
            continue
        completed += Checkpoint.objects.filter(pk=checkpoint.pk, done_at__isnull=True).update(
            done_at=now
        )
    return completed


def notify_overdue(*, today: dt.date | None = None) -> int:
    """One notice per overdue checkpoint to the new employee and the mentor; the conditional
    UPDATE of `overdue_notified_at` is the claim, so a retried or doubled run sends none again."""
    today = today or timezone.localdate()
    due = Checkpoint.objects.filter(
        done_at__isnull=True, overdue_notified_at__isnull=True, due_on__lt=today
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due[:1000]):
        sent += _notify_one(pk)
    return sent


@transaction.atomic
def _notify_one(pk: int) -> int:
    claimed = Checkpoint.objects.filter(
        pk=pk, done_at__isnull=True, overdue_notified_at__isnull=True
    ).update(overdue_notified_at=timezone.now())
    if not claimed:
        return 0
    checkpoint = Checkpoint.objects.select_related(
        "onboarding__employee", "onboarding__mentor"
    ).get(pk=pk)
    onboarding = checkpoint.onboarding
    notify(
        recipients=[onboarding.employee, onboarding.mentor],
        kind=CHECKPOINT_OVERDUE,
        target_url=reverse("team:onboarding", args=[onboarding.pk]),
        params={
            "checkpoint": checkpoint.title,
            "employee": str(onboarding.employee),
            "due": checkpoint.due_on.isoformat(),
        },
    )
    return 1
