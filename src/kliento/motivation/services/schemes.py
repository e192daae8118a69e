"""Defining schemes, their KPIs and their rules (managers; the admin site does the same)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kliento.core import audit, roles
from kliento.core.money import validate_currency
from kliento.motivation.models import Comparison, Kpi, Period, Rule, RuleKind, Scheme
from kliento.motivation.registry import kpi_sources

SCHEME_SAVED = "motivation.scheme_saved"


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_scheme(
    *,
    actor: Any,
    name: str,
    period: str,
    base_bonus: Decimal,
    currency: str,
    role: str = "",
    employee_id: int | None = None,
    max_bonus: Decimal | None = None,
    max_penalty: Decimal | None = None,
) -> Scheme:
    errors: dict[str, list[str]] = {}
    name = (name or "").replace("\x00", "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the scheme a name of at most 200 characters.")]
    elif Scheme.objects.filter(name=name).exists():
        errors["name"] = [_("A scheme with this name exists.")]
    if period not in Period.values:
        errors["period"] = [_("Choose month or quarter.")]
    if bool(role) == (employee_id is not None):
        errors["role"] = [_("A scheme is for a role or for one employee, not both.")]
    elif role and role not in roles.ROLE_LABELS:
        errors["role"] = [_("There is no such role.")]
    elif employee_id is not None and not get_user_model().objects.filter(pk=employee_id).exists():
        errors["employee_id"] = [_("There is no such employee.")]
    for field, value in (
        ("base_bonus", base_bonus),
        ("max_bonus", max_bonus),
        ("max_penalty", max_penalty),
    ):
        if value is not None and value < 0:
            errors[field] = [_("Enter zero or more.")]
    try:
        currency = validate_currency(currency)
    except ValidationError as exc:
        errors["currency"] = exc.messages
    _raise(errors)
    scheme = Scheme.objects.create(
        name=name,
        period=period,
        base_bonus=base_bonus,
        currency=currency,
        role=role,
        employee_id=employee_id,
        max_bonus=max_bonus,
        max_penalty=max_penalty,
    )
    audit.record(actor=actor, action=SCHEME_SAVED, target=scheme, data={"created": True})
    return scheme


@transaction.atomic
def add_kpi(
    *, actor: Any, scheme: Scheme, source: str, target: Decimal, threshold: Decimal, weight: int = 1
) -> Kpi:
    errors: dict[str, list[str]] = {}
    if source not in kpi_sources:
        errors["source"] = [_("There is no such KPI source.")]
    elif Kpi.objects.filter(scheme=scheme, source=source).exists():
        errors["source"] = [_("The scheme has this KPI already.")]
    if not 1 <= weight <= 100:
        errors["weight"] = [_("Enter a weight from 1 to 100.")]
    _raise(errors)
    kpi = Kpi.objects.create(
        scheme=scheme,
        source=source,
        target=target,
        threshold=threshold,
        weight=weight,
        position=scheme.kpis.count(),
    )
    audit.record(actor=actor, action=SCHEME_SAVED, target=scheme, data={"kpi": source})
    return kpi


@transaction.atomic
def add_rule(
    *,
    actor: Any,
    scheme: Scheme,
    name: str,
    kind: str,
    kpi_id: int | None = None,
    comparison: str = "",
    value: Decimal | None = None,
    percent: Decimal | None = None,
    amount: Decimal | None = None,
    cap: Decimal | None = None,
) -> Rule:
    errors: dict[str, list[str]] = {}
    name = (name or "").replace("\x00", "").strip()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the rule a name of at most 200 characters.")]
    if kind not in RuleKind.values:
        errors["kind"] = [_("Choose percent, amount or per_breach.")]
    if kind in (RuleKind.PERCENT, RuleKind.AMOUNT):
        if kpi_id is None or not Kpi.objects.filter(pk=kpi_id, scheme=scheme).exists():
            errors["kpi_id"] = [_("Choose one of the scheme's KPIs.")]
        if comparison not in Comparison.values:
            errors["comparison"] = [_("Choose gte or lte.")]
        if value is None:
            errors["value"] = [_("Give the value the KPI is compared with.")]
    if kind == RuleKind.PERCENT and percent is None:
        errors["percent"] = [_("Give the percent of the base bonus.")]
    if kind in (RuleKind.AMOUNT, RuleKind.PER_BREACH) and amount is None:
        errors["amount"] = [_("Give the amount.")]
    if cap is not None and cap < 0:
        errors["cap"] = [_("Enter zero or more.")]
    _raise(errors)
    rule = Rule.objects.create(
        scheme=scheme,
        name=name,
        kind=kind,
        kpi_id=kpi_id if kind != RuleKind.PER_BREACH else None,
        comparison=comparison if kind != RuleKind.PER_BREACH else "",
        value=value,
        percent=percent,
        amount=amount,
        cap=cap,
        position=scheme.rules.count(),
    )
    audit.record(actor=actor, action=SCHEME_SAVED, target=scheme, data={"rule": name})
    return rule
