"""A statement's lines from a scheme: the KPI values, the rules they trigger and the caps.

The only place the money of a statement is worked out. Pure apart from reading the KPI sources
and quality findings; the services store what it returns.

- KPI attainment: 100 % at or beyond the target, 0 % short of the threshold, in between
  linearly (in the KPI's direction). The KPI index is the weighted mean over the KPIs that had
  data in the period.
- A percent rule pays `percent` of the base bonus when its KPI meets its condition; an amount
  rule pays `amount`; a per-breach rule pays `amount` (negative: a penalty) per critical
  standard breached. A finding protected because "the standard was kept but did not work" is
  listed with its revision request and never counted.
- A rule's `cap` bounds its amount either way; the scheme's `max_bonus` bounds the sum of the
  bonuses and `max_penalty` the sum of the penalties (a cap line records each cut).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from kliento.core.money import CENT
from kliento.motivation.models import Comparison, Kpi, Line, Rule, RuleKind, Scheme
from kliento.motivation.registry import LOWER, KpiSource, KpiValue, kpi_sources
from kliento.quality import selectors as quality

ZERO = Decimal("0.00")


@dataclass
class Draft:
    kind: str
    label: str
    source: str = ""
    value: Decimal | None = None
    unit: str = ""
    n: int | None = None
    target: Decimal | None = None
    threshold: Decimal | None = None
    weight: int | None = None
    rule_text: str = ""
    amount: Decimal = ZERO
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Calculated:
    lines: list[Draft]
    total: Decimal
    kpi_index: Decimal | None


def attainment(value: Decimal, target: Decimal, threshold: Decimal, direction: str) -> Decimal:
    """0..1: how far the value got from the threshold to the target."""
    if direction == LOWER:
        value, target, threshold = -value, -target, -threshold
    if value >= target:
        return Decimal(1)
    if value < threshold or target == threshold:
        return Decimal(0)
    return (value - threshold) / (target - threshold)


def meets(value: Decimal | None, comparison: str, bound: Decimal | None) -> bool:
    if value is None or bound is None:
        return False
    return value >= bound if comparison == Comparison.AT_LEAST else value <= bound


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT)


def capped(amount: Decimal, cap: Decimal | None) -> Decimal:
    if cap is None:
        return amount
    return max(-cap, min(cap, amount))


def _source_label(source: KpiSource | None, key: str) -> str:
    return str(source.label) if source else key


def rule_text(rule: Rule, scheme: Scheme, kpi_label: str = "") -> str:
    sign = "+" if (rule.percent or rule.amount or 0) >= 0 else "−"
    if rule.kind == RuleKind.PER_BREACH:
        text = _("%(sign)s%(amount)s %(currency)s per breached critical standard") % {
            "sign": sign,
            "amount": abs(rule.amount or ZERO),
            "currency": scheme.currency,
        }
    else:
        condition = f"{kpi_label} {Comparison(rule.comparison).label} {rule.value}"
        if rule.kind == RuleKind.PERCENT:
            # xgettext:no-python-format
            text = _("%(sign)s%(percent)s%% of the base bonus when %(condition)s") % {
                "sign": sign,
                "percent": abs(rule.percent or ZERO),
                "condition": condition,
            }
        else:
            text = _("%(sign)s%(amount)s %(currency)s when %(condition)s") % {
                "sign": sign,
                "amount": abs(rule.amount or ZERO),
                "currency": scheme.currency,
                "condition": condition,
            }
    if rule.cap is not None:
        text += " · " + _("cap %(cap)s") % {"cap": rule.cap}
    return text


def _finding_records(findings: list[quality.Finding]) -> list[dict[str, Any]]:
    return [
        {"label": f.item_text, "evaluation": f.evaluation_id, "when": f.performed_at.isoformat()}
        for f in findings
    ]


@dataclass(frozen=True)
class _Inputs:
    """What the lines of one employee's statement are computed from."""

    values: dict[int, KpiValue]  # by KPI id
    breaches: list[quality.Finding]
    protected: list[quality.Finding]


@dataclass(frozen=True)
class _Texts:
    """The scheme's wording, the same on every employee's statement: worked out once per run
    (translated strings cost more than the arithmetic)."""

    labels: dict[int, str]  # by KPI id
    rules: dict[int, str]  # by rule id
    outcomes: dict[str, str]


def _texts(scheme: Scheme, kpis: list[Kpi], rules: list[Rule]) -> _Texts:
    labels = {k.pk: _source_label(kpi_sources.get(k.source), k.source) for k in kpis}
    return _Texts(
        labels,
        {r.pk: rule_text(r, scheme, labels.get(r.kpi_id or 0, "")) for r in rules},
        {"met": _("met"), "not met": _("not met"), "no data": _("no data")},
    )


def calculate(scheme: Scheme, employee_id: int, start: dt.date, end: dt.date) -> Calculated:
    return calculate_many(scheme, [employee_id], start, end)[employee_id]


def calculate_many(
    scheme: Scheme, employee_ids: Sequence[int], start: dt.date, end: dt.date
) -> dict[int, Calculated]:
    """`calculate` for many employees over one period: each KPI source and the findings are
    read once for all of them (grouped queries), not once per employee."""
    kpis = list(Kpi.objects.filter(scheme=scheme))
    rules = list(Rule.objects.filter(scheme=scheme).select_related("kpi"))
    values: dict[int, dict[int, KpiValue]] = {pk: {} for pk in employee_ids}
    for kpi in kpis:
        source = kpi_sources.get(kpi.source)
        found = source.values(employee_ids, start, end) if source else {}
        for pk in employee_ids:
            values[pk][kpi.pk] = found.get(pk) or KpiValue(None, 0)
    breaches: dict[int, list[quality.Finding]] = {}
    protected: dict[int, list[quality.Finding]] = {}
    if any(rule.kind == RuleKind.PER_BREACH for rule in rules):
        breaches = quality.critical_breaches_by(employee_ids=employee_ids, start=start, end=end)
        protected = quality.protected_findings_by(employee_ids=employee_ids, start=start, end=end)
    texts = _texts(scheme, kpis, rules)
    return {
        pk: _calculate(
            scheme,
            kpis,
            rules,
            _Inputs(values[pk], breaches.get(pk, []), protected.get(pk, [])),
            texts,
        )
        for pk in employee_ids
    }


def _calculate(
    scheme: Scheme, kpis: list[Kpi], rules: list[Rule], inputs: _Inputs, texts: _Texts
) -> Calculated:
    lines: list[Draft] = []
    weighted = Decimal(0)
    weights = 0
    for kpi in kpis:
        source = kpi_sources.get(kpi.source)
        label = texts.labels[kpi.pk]
        found = inputs.values[kpi.pk]
        if found.value is not None and source is not None:
            weighted += kpi.weight * attainment(
                found.value, kpi.target, kpi.threshold, source.direction
            )
            weights += kpi.weight
        lines.append(
            Draft(
                kind=Line.Kind.KPI,
                label=label,
                source=kpi.source,
                value=found.value,
                unit=source.unit if source else "",
                n=found.n,
                target=kpi.target,
                threshold=kpi.threshold,
                weight=kpi.weight,
                records=[{"label": label, "url": found.link}] if found.link else [],
            )
        )
    bonuses, penalties = ZERO, ZERO
    for rule in rules:
        drafted = _apply(rule, scheme, inputs, texts)
        lines.extend(drafted)
        for line in drafted:
            if line.amount > 0:
                bonuses += line.amount
            else:
                penalties += line.amount
    for cap, total, text in (
        (scheme.max_bonus, bonuses, _("Bonuses capped at %(cap)s %(currency)s")),
        (scheme.max_penalty, -penalties, _("Penalties capped at %(cap)s %(currency)s")),
    ):
        if cap is not None and total > cap:
            cut = total - cap
            lines.append(
                Draft(
                    kind=Line.Kind.CAP,
                    label=text % {"cap": cap, "currency": scheme.currency},
                    amount=money(-cut if total == bonuses else cut),
                )
            )
    index = (weighted * 100 / weights).quantize(CENT) if weights else None
    return Calculated(lines, money(sum((line.amount for line in lines), ZERO)), index)


def _apply(rule: Rule, scheme: Scheme, inputs: _Inputs, texts: _Texts) -> list[Draft]:
    values = inputs.values
    if rule.kind == RuleKind.PER_BREACH:
        breaches, protected = inputs.breaches, inputs.protected
        amount = capped(money((rule.amount or ZERO) * len(breaches)), rule.cap)
        drafted = [
            Draft(
                kind=Line.Kind.RULE,
                label=rule.name,
                value=Decimal(len(breaches)),
                n=len(breaches),
                rule_text=texts.rules[rule.pk],
                amount=amount,
                records=_finding_records(breaches),
            )
        ]
        drafted.extend(_protected(finding) for finding in protected if finding.critical)
        return drafted
    found = values.get(rule.kpi_id) if rule.kpi_id else None
    value = found.value if found else None
    hit = meets(value, rule.comparison, rule.value)
    if rule.kind == RuleKind.PERCENT:
        amount = money(scheme.base_bonus * (rule.percent or ZERO) / 100) if hit else ZERO
    else:
        amount = money(rule.amount or ZERO) if hit else ZERO
    return [
        Draft(
            kind=Line.Kind.RULE,
            label=rule.name,
            value=value,
            rule_text=texts.rules[rule.pk]
            + " · "
            + texts.outcomes["met" if hit else "not met" if value is not None else "no data"],
            amount=capped(amount, rule.cap),
        )
    ]


def _protected(finding: quality.Finding) -> Draft:
    url = ""
    if finding.standard_id:
        url = reverse("standards:detail", args=[finding.standard_id])
    return Draft(
        kind=Line.Kind.PROTECTED,
        label=finding.item_text,
        rule_text=_(
            "Protected: the standard was kept but did not work, so a revision request was "
            "raised instead of a penalty."
        ),
        records=[
            {
                "label": _("Revision request"),
                "url": url,
                "evaluation": finding.evaluation_id,
                "revision_request": finding.revision_request_id,
            }
        ],
    )
