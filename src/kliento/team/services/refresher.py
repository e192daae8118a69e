"""Refresher training: rules comparing each employee's and team's signal with a threshold and
with the previous period, and the proposals they raise for the managers."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core.models import OrgUnit, StaffProfile
from kliento.core.notifications import notify
from kliento.team.models import Course, RefresherRule, TrainingProposal
from kliento.team.registry import Reading, signals
from kliento.team.services import refresher_baselines

REFRESHER_PROPOSED = "team.refresher_proposed"
MANAGE = "team.manage_training"


@transaction.atomic
def save_rule(
    *,
    actor: Any,
    signal: str,
    threshold: float,
    drop: float,
    period_days: int = 30,
    min_n: int = 5,
    course: Course | None = None,
    rule: RefresherRule | None = None,
) -> RefresherRule:
    errors: dict[str, list[str]] = {}
    if signal not in signals:
        errors["signal"] = [_("There is no such signal.")]
    if drop < 0:
        errors["drop"] = [_("A drop is a positive amount.")]
    if not 7 <= period_days <= 366:
        errors["period_days"] = [_("A period is 7 to 366 days.")]
    if min_n < 1:
        errors["min_n"] = [_("At least one observation is needed.")]
    if errors:
        raise ValidationError(errors)
    target = rule or RefresherRule()
    target.signal, target.threshold, target.drop = signal, threshold, drop
    target.period_days, target.min_n, target.course = period_days, min_n, course
    target.save()
    return target


def periods(rule: RefresherRule, today: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """The last whole period before today and the one before it (the baseline)."""
    end = today - dt.timedelta(days=1)
    start = end - dt.timedelta(days=rule.period_days - 1)
    base_end = start - dt.timedelta(days=1)
    base_start = base_end - dt.timedelta(days=rule.period_days - 1)
    return start, end, base_start, base_end


def _subjects() -> list[tuple[str, Any, Any, list[int]]]:
    """(subject key, employee, team, employee ids) for each active employee and each team."""
    people = get_user_model().objects.filter(is_active=True).exclude(groups=None).distinct()
    out: list[tuple[str, Any, Any, list[int]]] = [
        (f"employee:{p.pk}", p, None, [p.pk]) for p in people
    ]
    members: dict[int, list[int]] = {}
    for user_id, unit_id in StaffProfile.objects.filter(
        unit__isnull=False, user__is_active=True
    ).values_list("user_id", "unit_id"):
        members.setdefault(unit_id, []).append(user_id)
    for team in OrgUnit.objects.filter(pk__in=members):
        out.append((f"team:{team.pk}", None, team, members[team.pk]))
    return out


def judge(rule: RefresherRule, now: Reading, before: Reading) -> str | None:
    """The reason for a proposal, or None: below the threshold first, else a drop."""
    if now.value is None or now.n < rule.min_n:
        return None
    if now.value < rule.threshold:
        return TrainingProposal.Reason.THRESHOLD
    dropped = before.value is not None and before.value - now.value >= rule.drop
    if dropped and before.n >= rule.min_n:
        return TrainingProposal.Reason.DROP
    return None


def run_refresher(*, today: dt.date | None = None) -> int:
    """Check every active rule for the last whole period; one proposal per rule, subject and
    period (the unique constraint makes a second run, or a racing worker, create none), and
    none while an earlier proposal's period overlaps this one."""
    today = today or timezone.localdate()
    created = 0
    for rule in RefresherRule.objects.filter(is_active=True).select_related("course"):
        signal = signals.get(rule.signal)
        if signal is None:
            continue
        start, end, base_start, base_end = periods(rule, today)
        # The period rolls forward every day: a subject proposed for a period overlapping this
        # one is not proposed again until a whole new period of evidence has passed.
        done = set(rule.proposals.filter(period_end__gte=start).values_list("subject", flat=True))
        for subject, employee, team, ids in _subjects():
            if subject in done:
                continue
            now = signal.compute(ids, start, end)
            if now.value is None or now.n < rule.min_n:
                continue
            before = signal.compute(ids, base_start, base_end)
            reason = judge(rule, now, before)
            if reason is not None:
                created += _propose(rule, subject, employee, team, start, end, reason, now, before)
    return created


def _propose(
    rule: RefresherRule,
    subject: str,
    employee: Any,
    team: Any,
    start: dt.date,
    end: dt.date,
    reason: str,
    now: Reading,
    before: Reading,
) -> int:
    try:
        with transaction.atomic():
            proposal = TrainingProposal.objects.create(
                rule=rule,
                signal=rule.signal,
                employee=employee,
                team=team,
                subject=subject,
                period_start=start,
                period_end=end,
                reason=reason,
                value=round(now.value or 0.0, 2),
                n=now.n,
                baseline_value=None if before.value is None else round(before.value, 2),
                baseline_n=before.n,
                course=rule.course,
            )
            managers = (
                get_user_model()
                .objects.filter(
                    Q(groups__permissions__codename="manage_training")
                    | Q(user_permissions__codename="manage_training"),
                    is_active=True,
                )
                .distinct()
            )
            notify(
                recipients=list(managers),
                kind=REFRESHER_PROPOSED,
                target_url=reverse("team:proposal", args=[proposal.pk]),
                params={
                    "subject": str(employee or team),
                    "signal": rule.signal,
                    "value": proposal.value,
                },
            )
    except IntegrityError:  # another worker proposed it first
        return 0
    return 1


@transaction.atomic
def decide(*, actor: Any, proposal: TrainingProposal, status: str) -> TrainingProposal:
    if status not in (TrainingProposal.Status.ASSIGNED, TrainingProposal.Status.DISMISSED):
        raise ValidationError({"status": [_("Assign or dismiss the proposal.")]})
    assigned = status == TrainingProposal.Status.ASSIGNED
    moved = TrainingProposal.objects.filter(
        pk=proposal.pk, status=TrainingProposal.Status.PROPOSED
    ).update(
        status=status, decided_by=actor, assigned_on=timezone.localdate() if assigned else None
    )
    if not moved:
        raise ValidationError({"status": [_("This proposal was already decided.")]})
    proposal.refresh_from_db()
    if assigned:
        # The training starts: its "before" baseline, once the assignment is committed.
        transaction.on_commit(
            partial(refresher_baselines.record_after_commit, proposal.pk, refresher_baselines.START)
        )
    return proposal


@transaction.atomic
def mark_trained(
    *, actor: Any, proposal: TrainingProposal, trained_on: dt.date
) -> TrainingProposal:
    if proposal.status != TrainingProposal.Status.ASSIGNED:
        raise ValidationError({"status": [_("Only an assigned training can be marked done.")]})
    if trained_on > timezone.localdate() or trained_on < proposal.period_end:
        raise ValidationError(
            {"trained_on": [_("The training date lies between the period and today.")]}
        )
    proposal.status = TrainingProposal.Status.DONE
    proposal.trained_on = trained_on
    proposal.save(update_fields=["status", "trained_on"])
    transaction.on_commit(
        partial(refresher_baselines.record_after_commit, proposal.pk, refresher_baselines.END)
    )
    return proposal
