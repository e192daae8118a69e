"""Planned control: audit plans, mystery-shop assignments (with signed links for external
shoppers) and corrective actions on failed items (with one overdue notice each)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit, notifications
from kliento.core.types import Actor
from kliento.quality import rules
from kliento.quality.models import (
    AreaKind,
    AuditPlan,
    Checklist,
    ChecklistVersion,
    CorrectiveAction,
    Evaluation,
    ItemResult,
    Outcome,
    ShopAssignment,
)
from kliento.quality.models.programme import new_link_key
from kliento.quality.services.evaluations import complete_evaluation, start_evaluation

PLAN_SAVED = "quality.plan_saved"
SHOP_ASSIGNED = "quality.shop_assigned"
ACTION_OPENED = "quality.action_opened"
ACTION_CLOSED = "quality.action_closed"
ACTION_ASSIGNED = "quality.action_assigned"  # notification to the owner
ACTION_OVERDUE = "quality.action_overdue"  # notification to the owner and the opener
SHOP_ASSIGNED_NOTICE = "quality.shop_assigned_notice"  # notification to an internal shopper

LINK_SALT = "kliento.quality.shop-link"


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _published(checklist: Checklist) -> ChecklistVersion:
    version = checklist.versions.filter(status=ChecklistVersion.Status.PUBLISHED).first()
    if version is None:
        raise ValidationError({"checklist": [_("Publish the checklist first.")]})
    return version


# ---------------------------------------------------------------------------------------------
# Audit plans


@transaction.atomic
def save_plan(
    *,
    actor: Actor,
    checklist: Checklist,
    next_due: dt.date,
    every_months: int = 3,
    auditor: Any = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    team_id: int | None = None,
    employee_id: int | None = None,
    plan: AuditPlan | None = None,
    active: bool = True,
) -> AuditPlan:
    """Plan (or re-plan) the audit of one area every `every_months` months from `next_due`."""
    subjects = {
        "touchpoint": touchpoint_id,
        "stage": stage_id,
        "team": team_id,
        "employee": employee_id,
    }
    errors: dict[str, list[str]] = {}
    if not isinstance(every_months, int) or not 1 <= every_months <= 24:
        errors["every_months"] = [_("Repeat every 1 to 24 months.")]
    area = checklist.area_kind
    if area == AreaKind.CASE:
        errors["checklist"] = [_("Case checklists are used by QA reviews, not audits.")]
    elif subjects.get(area) is None:
        errors[area] = [_("Choose the area this plan audits.")]
    rules.raise_if(errors)
    _published(checklist)
    plan = plan or AuditPlan(checklist=checklist)
    plan.checklist = checklist
    for field, value in subjects.items():
        setattr(plan, f"{field}_id", value if field == area else None)
    plan.next_due, plan.every_months = next_due, every_months
    plan.auditor, plan.active = auditor, active
    plan.save()
    audit.record(
        actor=actor,
        action=PLAN_SAVED,
        target=plan,
        data={"next_due": next_due.isoformat(), "every_months": every_months},
    )
    return plan


def occurrences(plan: AuditPlan, until: dt.date) -> list[dt.date]:
    """The plan's dates from its next one up to `until` (the calendar)."""
    found: list[dt.date] = []
    day = plan.next_due
    while plan.active and day <= until and len(found) < 100:
        found.append(day)
        day = add_months(day, plan.every_months)
    return found


@transaction.atomic
def perform_plan(*, actor: Actor, plan: AuditPlan) -> Evaluation:
    """Start the planned audit now; the plan moves on to its next date."""
    plan = AuditPlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.active:
        raise ValidationError({"plan": [_("This plan is paused.")]})
    evaluation = start_evaluation(
        actor=actor,
        version=_published(plan.checklist),
        kind=Evaluation.Kind.AUDIT,
        touchpoint_id=plan.touchpoint_id,
        stage_id=plan.stage_id,
        team_id=plan.team_id,
        employee_id=plan.employee_id,
    )
    today = timezone.localdate()
    day = plan.next_due
    while day <= today:
        day = add_months(day, plan.every_months)
    plan.next_due = day
    plan.save(update_fields=["next_due"])
    return evaluation


# ---------------------------------------------------------------------------------------------
# Mystery shopping


def shop_period_months() -> int:
    return int(getattr(settings, "KLIENTO_QUALITY_SHOP_PERIOD_MONTHS", 3))


def period_of(day: dt.date, months: int | None = None) -> tuple[dt.date, dt.date]:
    """The programme period (a quarter by default) containing `day`."""
    months = months or shop_period_months()
    first_month = (day.month - 1) // months * months + 1
    start = day.replace(month=first_month, day=1)
    return start, add_months(start, months) - dt.timedelta(days=1)


@transaction.atomic
def assign_shop(
    *,
    actor: Actor,
    checklist: Checklist,
    channel: str,
    scenario: str,
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    touchpoint_id: int | None = None,
    stage_id: int | None = None,
    employee_id: int | None = None,
    shopper: Any = None,
    external_name: str = "",
    external_email: str = "",
) -> ShopAssignment:
    """One mystery shop. The window defaults to the current programme period (a quarter)."""
    scenario = rules.clean_text(scenario)
    external_name = rules.clean_text(external_name)
    external_email = rules.clean_text(external_email)
    if window_start is None or window_end is None:
        window_start, window_end = period_of(timezone.localdate())
    errors: dict[str, list[str]] = {}
    if channel not in ShopAssignment.Channel.values:
        errors["channel"] = [_("Choose a visit, a call, a chat or an e-mail.")]
    if not scenario:
        errors["scenario"] = [_("Write the scenario the shopper plays.")]
    rules.limit(errors, "scenario", scenario, 5_000)
    if window_end < window_start:
        errors["window_end"] = [_("The window ends before it starts.")]
    if shopper is None and not external_name:
        errors["shopper"] = [_("Choose an internal shopper or name an external one.")]
    if shopper is not None and external_name:
        errors["external_name"] = [_("An assignment has one shopper: internal or external.")]
    rules.limit(errors, "external_name", external_name, 200)
    if checklist.area_kind not in (AreaKind.TOUCHPOINT, AreaKind.STAGE, AreaKind.EMPLOYEE):
        errors["checklist"] = [_("Use a touchpoint, stage or employee checklist.")]
    elif {"touchpoint": touchpoint_id, "stage": stage_id, "employee": employee_id}.get(
        checklist.area_kind
    ) is None:
        errors[checklist.area_kind] = [_("Choose what the shopper checks.")]
    rules.raise_if(errors)
    _published(checklist)
    assignment = ShopAssignment.objects.create(
        checklist=checklist,
        channel=channel,
        scenario=scenario,
        window_start=window_start,
        window_end=window_end,
        touchpoint_id=touchpoint_id,
        stage_id=stage_id,
        employee_id=employee_id,
        shopper=shopper,
        external_name=external_name,
        external_email=external_email,
        created_by=actor,
    )
    audit.record(actor=actor, action=SHOP_ASSIGNED, target=assignment)
    if shopper is not None:
        notifications.notify(
            recipients=[shopper],
            kind=SHOP_ASSIGNED_NOTICE,
            actor=actor,
            target_url=reverse("quality:assignment", args=[assignment.pk]),
            params={"channel": assignment.channel, "until": window_end.isoformat()},
        )
    return assignment


def link_token(assignment: ShopAssignment) -> str:
    return signing.dumps({"a": assignment.pk, "k": assignment.link_key}, salt=LINK_SALT)


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=int(getattr(settings, "KLIENTO_QUALITY_SHOP_LINK_DAYS", 120)))


def assignment_for_link(token: str) -> ShopAssignment | None:
    """The planned assignment a signed link opens, or None (forged, expired, reissued, done,
    cancelled, or an internal shopper's assignment)."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=link_max_age())
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int):
        return None
    return (
        ShopAssignment.objects.filter(
            pk=data["a"],
            link_key=str(data.get("k", "")),
            status=ShopAssignment.Status.PLANNED,
            shopper__isnull=True,
        )
        .select_related("checklist")
        .first()
    )


@transaction.atomic
def reissue_link(*, actor: Actor, assignment: ShopAssignment) -> ShopAssignment:
    assignment.link_key = new_link_key()
    assignment.save(update_fields=["link_key"])
    return assignment


@transaction.atomic
def start_shop(*, actor: Actor, assignment: ShopAssignment) -> Evaluation:
    """The assignment's evaluation (started on first use; the same one afterwards)."""
    assignment = ShopAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != ShopAssignment.Status.PLANNED:
        raise ValidationError({"assignment": [_("This assignment is closed.")]})
    if assignment.evaluation_id is not None:
        return Evaluation.objects.get(pk=assignment.evaluation_id)
    evaluation = start_evaluation(
        actor=actor,
        version=_published(assignment.checklist),
        kind=Evaluation.Kind.MYSTERY_SHOP,
        touchpoint_id=assignment.touchpoint_id,
        stage_id=assignment.stage_id,
        employee_id=assignment.employee_id,
    )
    assignment.evaluation = evaluation
    assignment.save(update_fields=["evaluation"])
    return evaluation


@transaction.atomic
def finish_shop(*, actor: Actor, assignment: ShopAssignment, summary: str = "") -> Evaluation:
    """Complete the shop's evaluation and close the assignment (its link stops working)."""
    assignment = ShopAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status != ShopAssignment.Status.PLANNED or assignment.evaluation is None:
        raise ValidationError({"assignment": [_("Start the assignment first.")]})
    evaluation = complete_evaluation(actor=actor, evaluation=assignment.evaluation, summary=summary)
    assignment.status = ShopAssignment.Status.DONE
    assignment.save(update_fields=["status"])
    return evaluation


@transaction.atomic
def cancel_shop(*, actor: Actor, assignment: ShopAssignment) -> ShopAssignment:
    assignment = ShopAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status == ShopAssignment.Status.PLANNED:
        assignment.status = ShopAssignment.Status.CANCELLED
        assignment.save(update_fields=["status"])
    return assignment


# ---------------------------------------------------------------------------------------------
# Corrective actions


@transaction.atomic
def open_corrective_action(
    *, actor: Actor, result: ItemResult, description: str, owner: Any, due_on: dt.date
) -> CorrectiveAction:
    """Open the corrective action of a failed item of a completed evaluation (one per item)."""
    result = ItemResult.objects.select_related("evaluation").get(pk=result.pk)
    description = rules.clean_text(description)
    errors: dict[str, list[str]] = {}
    if result.outcome != Outcome.FAIL or result.evaluation.status != Evaluation.Status.COMPLETED:
        errors["result"] = [_("Only a failed item of a completed control needs an action.")]
    elif CorrectiveAction.objects.filter(result=result).exists():
        errors["result"] = [_("This finding already has a corrective action.")]
    if not description:
        errors["description"] = [_("Say what will be done.")]
    rules.limit(errors, "description", description, 2_000)
    if owner is None or not getattr(owner, "is_active", False):
        errors["owner"] = [_("Choose an active employee as the owner.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [_("The due date has passed already.")]
    rules.raise_if(errors)
    action = CorrectiveAction.objects.create(
        result=result, description=description, owner=owner, due_on=due_on, created_by=actor
    )
    audit.record(actor=actor, action=ACTION_OPENED, target=action)
    notifications.notify(
        recipients=[owner],
        kind=ACTION_ASSIGNED,
        actor=actor,
        target_url=reverse("quality:actions"),
        params={"description": description[:200], "due": due_on.isoformat()},
    )
    return action


@transaction.atomic
def close_corrective_action(
    *, actor: Actor, action: CorrectiveAction, done: bool = True, note: str = ""
) -> CorrectiveAction:
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    note = rules.clean_text(note)
    errors: dict[str, list[str]] = {}
    if action.status != CorrectiveAction.Status.OPEN:
        errors["status"] = [_("This action is already closed.")]
    rules.limit(errors, "note", note, 1_000)
    rules.raise_if(errors)
    action.status = CorrectiveAction.Status.DONE if done else CorrectiveAction.Status.CANCELLED
    action.outcome_note, action.closed_at = note, timezone.now()
    action.save()
    audit.record(actor=actor, action=ACTION_CLOSED, target=action, data={"status": action.status})
    return action


def notify_overdue_actions(*, today: dt.date | None = None) -> int:
    """Tell the owner (and whoever opened it) once that an open action is past its due date.
    Each action is claimed by a conditional UPDATE first, so two workers never both notify."""
    today = today or timezone.localdate()
    due = CorrectiveAction.objects.filter(
        status=CorrectiveAction.Status.OPEN, due_on__lt=today, overdue_notified_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = CorrectiveAction.objects.filter(
                pk=pk, overdue_notified_at__isnull=True, status=CorrectiveAction.Status.OPEN
            ).update(overdue_notified_at=timezone.now())
            if not claimed:
                continue
            action = CorrectiveAction.objects.select_related("owner", "created_by").get(pk=pk)
            people = [action.owner] + ([action.created_by] if action.created_by else [])
            notifications.notify(
                recipients=people,
                kind=ACTION_OVERDUE,
                target_url=reverse("quality:actions"),
                params={"description": action.description[:200], "due": action.due_on.isoformat()},
            )
            sent += 1
    return sent
