"""Period statements: drafted from the scheme (again and again while a draft), reviewed and
approved by the employee's manager, then frozen; after that only adjustment lines are added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento.core import audit
from kliento.core.money import CENT, MAX_AMOUNT
from kliento.core.notifications import notify
from kliento.motivation import access, periods
from kliento.motivation.calculate import calculate
from kliento.motivation.models import Line, Statement
from kliento.motivation.selectors.statements import scheme_for

STATEMENT_DRAFTED = "motivation.statement_drafted"
STATEMENT_REVIEWED = "motivation.statement_reviewed"
STATEMENT_APPROVED = "motivation.statement_approved"
STATEMENT_ADJUSTED = "motivation.statement_adjusted"
READY_FOR_REVIEW = "motivation.statement_ready"
REASON_MAX = 2_000


def _refuse(field: str, message: str) -> None:
    raise ValidationError({field: [message]})


def _managers_of(employee_id: int) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True).exclude(pk=employee_id)
    return [u for u in users if access.may_review(u, employee_id)]


@transaction.atomic
def generate(*, actor: Any, employee_id: int, day: dt.date) -> Statement:
    """Draft (or redraft) the employee's statement for the period containing `day`. Running it
    again recomputes a draft; a reviewed statement goes back to draft; an approved one is
    frozen and is refused."""
    employee = get_user_model().objects.filter(pk=employee_id, is_active=True).first()
    if employee is None:
        _refuse("employee_id", _("There is no such active employee."))
    assert employee is not None
    scheme = scheme_for(employee)
    if scheme is None:
        _refuse("employee_id", _("No motivation scheme applies to this employee."))
    assert scheme is not None
    start, end = periods.bounds(scheme.period, day)
    if start > timezone.localdate():
        _refuse("period", _("The period has not started yet."))
    statement, created = Statement.objects.select_for_update().get_or_create(
        employee=employee,
        period_start=start,
        period_end=end,
        defaults={
            "scheme": scheme,
            "scheme_name": scheme.name,
            "base_bonus": scheme.base_bonus,
            "currency": scheme.currency,
        },
    )
    if statement.is_frozen:
        _refuse(
            "period",
            _("The statement of this period is approved and frozen; add an adjustment instead."),
        )
    result = calculate(scheme, employee.pk, start, end)
    statement.lines.all().delete()
    Line.objects.bulk_create(
        Line(
            statement=statement,
            position=i,
            kind=d.kind,
            source=d.source,
            label=d.label[:300],
            value=d.value,
            unit=d.unit,
            n=d.n,
            target=d.target,
            threshold=d.threshold,
            weight=d.weight,
            rule_text=d.rule_text[:300],
            amount=d.amount,
            records=d.records,
        )
        for i, d in enumerate(result.lines)
    )
    statement.scheme, statement.scheme_name = scheme, scheme.name
    statement.base_bonus, statement.currency = scheme.base_bonus, scheme.currency
    statement.total, statement.kpi_index = result.total, result.kpi_index
    statement.status = Statement.Status.DRAFT
    statement.reviewed_by, statement.reviewed_at = None, None
    statement.drafted_at = timezone.now()
    statement.save()
    audit.record(
        actor=actor,
        action=STATEMENT_DRAFTED,
        target=statement,
        data={"total": str(result.total), "created": created},
    )
    return statement


def _check_reviewer(actor: Any, statement: Statement) -> None:
    if not access.may_review(actor, statement.employee_id):
        raise ValidationError(_("Only the employee's manager may review or approve a statement."))


@transaction.atomic
def review(*, actor: Any, statement: Statement) -> Statement:
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_reviewer(actor, statement)
    if statement.status != Statement.Status.DRAFT:
        _refuse("status", _("Only a draft statement can be marked as reviewed."))
    statement.status = Statement.Status.REVIEWED
    statement.reviewed_by, statement.reviewed_at = actor, timezone.now()
    statement.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit.record(actor=actor, action=STATEMENT_REVIEWED, target=statement)
    return statement


@transaction.atomic
def approve(*, actor: Any, statement: Statement) -> Statement:
    """Freeze the statement: its lines are stored values, so later changes to the data it was
    computed from do not change it."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_reviewer(actor, statement)
    if statement.status != Statement.Status.REVIEWED:
        _refuse("status", _("Review the statement before approving it."))
    statement.status = Statement.Status.APPROVED
    statement.approved_by, statement.approved_at = actor, timezone.now()
    statement.save(update_fields=["status", "approved_by", "approved_at"])
    audit.record(
        actor=actor,
        action=STATEMENT_APPROVED,
        target=statement,
        data={"total": str(statement.total)},
    )
    notify(
        recipients=[statement.employee],
        kind=STATEMENT_APPROVED,
        target_url=reverse("motivation:statement", args=[statement.pk]),
        params={
            "start": statement.period_start.isoformat(),
            "total": str(statement.total),
            "currency": statement.currency,
        },
        actor=actor,
    )
    return statement


@transaction.atomic
def submit_for_review(*, actor: Any, statement: Statement) -> int:
    """Tell the employee's managers the draft is ready (returns how many were told)."""
    if statement.status != Statement.Status.DRAFT:
        _refuse("status", _("Only a draft statement is sent for review."))
    sent = notify(
        recipients=_managers_of(statement.employee_id),
        kind=READY_FOR_REVIEW,
        target_url=reverse("motivation:statement", args=[statement.pk]),
        params={
            "employee": statement.employee.get_full_name() or statement.employee.get_username(),
            "start": statement.period_start.isoformat(),
        },
        actor=actor,
    )
    return len(sent)


def clean_amount(raw: Any) -> Decimal:
    try:
        amount = Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({"amount": [_("Enter an amount such as -25.50 or 100.")]}) from None
    if not amount.is_finite() or abs(amount) > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise ValidationError({"amount": [_("Enter an amount with at most two decimal places.")]})
    if amount == 0:
        raise ValidationError({"amount": [_("An adjustment of zero changes nothing.")]})
    return amount


@transaction.atomic
def adjust(*, actor: Any, statement: Statement, amount: Any, reason: str) -> Line:
    """An approved statement is corrected by a new line with a reason, never by editing it."""
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    _check_reviewer(actor, statement)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").replace("\x00", "").strip()
    if not reason:
        errors["reason"] = [_("Say why the statement is adjusted.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("Keep this within %(max)s characters.") % {"max": f"{REASON_MAX:,}"}]
    try:
        value = clean_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        value = Decimal(0)
    if not statement.is_frozen:
        errors.setdefault("status", []).append(
            _("Adjust only an approved statement; redraft a draft instead.")
        )
    if errors:
        raise ValidationError(errors)
    last = statement.lines.order_by("-position").values_list("position", flat=True).first() or 0
    line = Line.objects.create(
        statement=statement,
        position=last + 1,
        kind=Line.Kind.ADJUSTMENT,
        label=_("Adjustment"),
        amount=value,
        reason=reason,
        created_by=actor,
    )
    before = statement.total
    statement.total = (statement.total + value).quantize(CENT)
    statement.save(update_fields=["total"])
    audit.record(
        actor=actor,
        action=STATEMENT_ADJUSTED,
        target=statement,
        data={"amount": str(value), "reason": reason, "total": [str(before), str(statement.total)]},
    )
    return line
