"""Defining schemes, their KPIs and their rules (managers, through the pages or the API; the
admin site does the same). Each check lives here once, for creating and for editing alike.

Editing a scheme never touches a statement: a statement stores its lines, figures and the
scheme's name (see models/statements.py), so an approved one stays as it was approved and a
draft takes the change when it is drafted again."""

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
# The largest KPI target or threshold the columns hold (12 digits, 2 decimals).
KPI_BOUND = Decimal("9999999999.99")
PERCENT_BOUND = Decimal("100")  # as the API schema says: -100 to 100


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _changes(obj: Any, values: dict[str, Any]) -> dict[str, list[str]]:
    """{field: [before, after]} of the fields `values` changes (for the audit trail)."""
    return {k: [str(getattr(obj, k)), str(v)] for k, v in values.items() if getattr(obj, k) != v}


def _save_changes(
    obj: Any, values: dict[str, Any], *, actor: Any, scheme: Scheme, about: dict[str, str]
) -> None:
    """Write the fields `values` changes and audit them on the scheme; nothing when none do.
    The object is read back: the stored figures (2 decimals), not the ones given."""
    changed = _changes(obj, values)
    if not changed:
        return
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()
    audit.record(
        actor=actor, action=SCHEME_SAVED, target=scheme, data={**about, "changed": changed}
    )
    obj.refresh_from_db()


def _scheme_errors(
    *,
    scheme: Scheme | None,
    name: str,
    period: str,
    base_bonus: Decimal | None,
    currency: str,
    role: str,
    employee_id: int | None,
    max_bonus: Decimal | None,
    max_penalty: Decimal | None,
) -> tuple[dict[str, list[str]], str, str]:
    errors: dict[str, list[str]] = {}
    name = (name or "").replace("\x00", "").strip()
    others = Scheme.objects.exclude(pk=scheme.pk) if scheme is not None else Scheme.objects.all()
    if not name or len(name) > 200:
        errors["name"] = [_("Give the scheme a name of at most 200 characters.")]
    elif others.filter(name=name).exists():
        errors["name"] = [_("A scheme with this name exists.")]
    if period not in Period.values:
        errors["period"] = [_("Choose month or quarter.")]
    if bool(role) == (employee_id is not None):
        errors["role"] = [_("A scheme is for a role or for one employee, not both.")]
    elif role and role not in roles.ROLE_LABELS:
        errors["role"] = [_("There is no such role.")]
    elif employee_id is not None and not get_user_model().objects.filter(pk=employee_id).exists():
        errors["employee_id"] = [_("There is no such employee.")]
    if base_bonus is None:
        errors["base_bonus"] = [_("Give the base bonus (zero if there is none).")]
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
    return errors, name, currency


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
    errors, name, currency = _scheme_errors(
        scheme=None,
        name=name,
        period=period,
        base_bonus=base_bonus,
        currency=currency,
        role=role,
        employee_id=employee_id,
        max_bonus=max_bonus,
        max_penalty=max_penalty,
    )
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
def update_scheme(
    *,
    actor: Any,
    scheme: Scheme,
    name: str,
    period: str,
    base_bonus: Decimal,
    currency: str,
    role: str = "",
    employee_id: int | None = None,
    max_bonus: Decimal | None = None,
    max_penalty: Decimal | None = None,
    is_active: bool = True,
) -> Scheme:
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    errors, name, currency = _scheme_errors(
        scheme=scheme,
        name=name,
        period=period,
        base_bonus=base_bonus,
        currency=currency,
        role=role,
        employee_id=employee_id,
        max_bonus=max_bonus,
        max_penalty=max_penalty,
    )
    _raise(errors)
    values = {
        "name": name,
        "period": period,
        "base_bonus": base_bonus,
        "currency": currency,
        "role": role,
        "employee_id": employee_id,
        "max_bonus": max_bonus,
        "max_penalty": max_penalty,
        "is_active": is_active,
    }
    _save_changes(scheme, values, actor=actor, scheme=scheme, about={})
    return scheme


def _kpi_errors(
    *,
    scheme: Scheme,
    kpi: Kpi | None,
    source: str,
    target: Decimal | None,
    threshold: Decimal | None,
    weight: int | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    others = Kpi.objects.filter(scheme=scheme)
    if kpi is not None:
        others = others.exclude(pk=kpi.pk)
    if source not in kpi_sources:
        errors["source"] = [_("There is no such KPI source.")]
    elif others.filter(source=source).exists():
        errors["source"] = [_("The scheme has this KPI already.")]
    for field, value in (("target", target), ("threshold", threshold)):
        if value is None:
            errors[field] = [_("Enter a number.")]
        elif abs(value) > KPI_BOUND:
            errors[field] = [_("Enter a smaller number.")]
    if weight is None or not 1 <= weight <= 100:
        errors["weight"] = [_("Enter a weight from 1 to 100.")]
    return errors


@transaction.atomic
def add_kpi(
    *, actor: Any, scheme: Scheme, source: str, target: Decimal, threshold: Decimal, weight: int = 1
) -> Kpi:
    _raise(
        _kpi_errors(
            scheme=scheme,
            kpi=None,
            source=source,
            target=target,
            threshold=threshold,
            weight=weight,
        )
    )
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
def update_kpi(
    *, actor: Any, kpi: Kpi, source: str, target: Decimal, threshold: Decimal, weight: int
) -> Kpi:
    kpi = Kpi.objects.select_for_update().select_related("scheme").get(pk=kpi.pk)
    _raise(
        _kpi_errors(
            scheme=kpi.scheme,
            kpi=kpi,
            source=source,
            target=target,
            threshold=threshold,
            weight=weight,
        )
    )
    values = {"source": source, "target": target, "threshold": threshold, "weight": weight}
    _save_changes(kpi, values, actor=actor, scheme=kpi.scheme, about={"kpi": source})
    return kpi


@transaction.atomic
def remove_kpi(*, actor: Any, kpi: Kpi) -> None:
    """Remove a KPI and the rules that read it (a rule without its KPI would never pay)."""
    kpi = Kpi.objects.select_for_update().select_related("scheme").get(pk=kpi.pk)
    rules = list(Rule.objects.filter(kpi=kpi).values_list("name", flat=True))
    scheme, source = kpi.scheme, kpi.source
    kpi.delete()
    audit.record(
        actor=actor,
        action=SCHEME_SAVED,
        target=scheme,
        data={"kpi_removed": source, "rules_removed": rules},
    )


def _rule_errors(
    *,
    scheme: Scheme,
    name: str,
    kind: str,
    kpi_id: int | None,
    comparison: str,
    value: Decimal | None,
    percent: Decimal | None,
    amount: Decimal | None,
    cap: Decimal | None,
) -> tuple[dict[str, list[str]], str]:
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
        elif abs(value) > KPI_BOUND:
            errors["value"] = [_("Enter a smaller number.")]
    if kind == RuleKind.PERCENT:
        if percent is None:
            errors["percent"] = [_("Give the percent of the base bonus.")]
        elif abs(percent) > PERCENT_BOUND:
            errors["percent"] = [_("Enter a smaller number.")]
    if kind in (RuleKind.AMOUNT, RuleKind.PER_BREACH) and amount is None:
        errors["amount"] = [_("Give the amount.")]
    if cap is not None and cap < 0:
        errors["cap"] = [_("Enter zero or more.")]
    return errors, name


def _rule_values(
    *,
    name: str,
    kind: str,
    kpi_id: int | None,
    comparison: str,
    value: Decimal | None,
    percent: Decimal | None,
    amount: Decimal | None,
    cap: Decimal | None,
) -> dict[str, Any]:
    per_breach = kind == RuleKind.PER_BREACH
    return {
        "name": name,
        "kind": kind,
        "kpi_id": None if per_breach else kpi_id,
        "comparison": "" if per_breach else comparison,
        "value": None if per_breach else value,
        "percent": percent if kind == RuleKind.PERCENT else None,
        "amount": None if kind == RuleKind.PERCENT else amount,
        "cap": cap,
    }


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
    fields: dict[str, Any] = {
        "kind": kind,
        "kpi_id": kpi_id,
        "comparison": comparison,
        "value": value,
        "percent": percent,
        "amount": amount,
        "cap": cap,
    }
    errors, name = _rule_errors(scheme=scheme, name=name, **fields)
    _raise(errors)
    rule = Rule.objects.create(
        scheme=scheme, position=scheme.rules.count(), **_rule_values(name=name, **fields)
    )
    audit.record(actor=actor, action=SCHEME_SAVED, target=scheme, data={"rule": name})
    return rule


@transaction.atomic
def update_rule(
    *,
    actor: Any,
    rule: Rule,
    name: str,
    kind: str,
    kpi_id: int | None = None,
    comparison: str = "",
    value: Decimal | None = None,
    percent: Decimal | None = None,
    amount: Decimal | None = None,
    cap: Decimal | None = None,
) -> Rule:
    rule = Rule.objects.select_for_update().select_related("scheme").get(pk=rule.pk)
    fields: dict[str, Any] = {
        "kind": kind,
        "kpi_id": kpi_id,
        "comparison": comparison,
        "value": value,
        "percent": percent,
        "amount": amount,
        "cap": cap,
    }
    errors, name = _rule_errors(scheme=rule.scheme, name=name, **fields)
    _raise(errors)
    values = _rule_values(name=name, **fields)
    _save_changes(rule, values, actor=actor, scheme=rule.scheme, about={"rule": values["name"]})
    return rule


@transaction.atomic
def remove_rule(*, actor: Any, rule: Rule) -> None:
    rule = Rule.objects.select_for_update().select_related("scheme").get(pk=rule.pk)
    scheme, name = rule.scheme, rule.name
    rule.delete()
    audit.record(actor=actor, action=SCHEME_SAVED, target=scheme, data={"rule_removed": name})
