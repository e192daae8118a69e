"""Margin metrics: the gross margin of the period's purchases and LTV on margin (seed 003: LTV
"optionally x margin", SPEC C9).

Margin = (revenue - cost) / revenue over the purchases that have a cost; the purchases without
one are counted in the inputs (and listed by `kliento.clients.selectors.purchases_without_cost`),
never silently treated as free. LTV on margin = LTV (kliento.metrics.client_metrics) x margin.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.metrics import client_metrics
from kliento.metrics.registry import (
    UNBOUNDED,
    MetricDefinition,
    MetricResult,
    Period,
    Scope,
    Value,
    register_metric,
)
from kliento.metrics.units import money_text

DIGITS = 6


def _margin(coverage: clients.CostCoverage) -> Decimal | None:
    if not coverage.revenue_with_cost:
        return None
    return (coverage.revenue_with_cost - coverage.cost) / coverage.revenue_with_cost


def _coverage_inputs(coverage: clients.CostCoverage) -> dict[str, Value]:
    return {
        "currency": coverage.currency,
        "revenue_with_cost": money_text(coverage.revenue_with_cost),
        "cost": money_text(coverage.cost),
        "n_purchases_with_cost": coverage.with_cost,
        "n_purchases_without_cost": coverage.without_cost,
        "revenue_without_cost": money_text(coverage.revenue_without_cost),
    }


def gross_margin(period: Period, scope: Scope) -> MetricResult:
    coverage = clients.cost_coverage(start=period.start, end=period.end)
    margin = _margin(coverage)
    value = None if margin is None else round(float(margin), DIGITS)
    return MetricResult("gross_margin", period, None, _coverage_inputs(coverage), value)


def ltv_margin(period: Period, scope: Scope) -> MetricResult:
    base = client_metrics.ltv(period, scope)
    coverage = clients.cost_coverage(start=period.start, end=period.end)
    margin = _margin(coverage)
    value: Value
    if base.value is None or margin is None:
        value = None
    elif base.value == UNBOUNDED:
        # Kept for ever at a profit is unbounded; at no margin it is worth nothing; at a loss
        # "minus infinity" helps nobody, so there is no figure.
        value = UNBOUNDED if margin > 0 else (money_text(Decimal(0)) if margin == 0 else None)
    else:
        value = money_text(Decimal(str(base.value)) * margin)
    return MetricResult(
        "ltv_margin",
        period,
        scope.rule.key,
        {
            "ltv": base.value,
            "margin": None if margin is None else round(float(margin), DIGITS),
            **_coverage_inputs(coverage),
        },
        value,
    )


def register() -> None:
    coverage = (
        ("currency", _("currency summed")),
        ("revenue_with_cost", _("revenue of the purchases with a cost")),
        ("cost", _("their cost")),
        ("n_purchases_with_cost", _("purchases with a cost")),
        ("n_purchases_without_cost", _("purchases without a cost (left out)")),
        ("revenue_without_cost", _("revenue of the purchases without a cost")),
    )
    register_metric(
        MetricDefinition(
            key="gross_margin",
            name=_("Gross margin"),
            formula=_("(revenue_with_cost − cost) / revenue_with_cost"),
            inputs=coverage,
            unit=_("share of revenue"),
            compute=gross_margin,
        )
    )
    register_metric(
        MetricDefinition(
            key="ltv_margin",
            name=_("LTV on margin"),
            formula=_("ltv × margin, margin = (revenue_with_cost − cost) / revenue_with_cost"),
            inputs=(
                ("ltv", _("LTV on revenue")),
                ("margin", _("gross margin")),
                *coverage,
            ),
            unit=_("money"),
            compute=ltv_margin,
            uses_rule=True,
        )
    )
