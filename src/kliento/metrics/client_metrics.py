"""Client metrics (seed 003, SPEC C9): active, new, churned, churn, expected lifetime, revenue,
average check, purchase frequency and LTV, for the whole company over a period.

Churn follows the cohort rule: the cohort is the clients active at the start of the period
(the end of the day before it); clients who arrive during the period are left out (and counted
as `n_new_excluded`, so the reader sees they were); churn = (n_start - n_retained) / n_start.
Expected lifetime = 1 / churn in periods, times the period's calendar months in months; with no
churn it is "unbounded" (never a division by zero), with an empty cohort there is no value.
LTV = revenue per client per month times lifetime in months, where revenue per client per month is
the period's revenue divided by the clients of the period (the cohort plus the new ones)
and by its months.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from kliento.clients import selectors as clients
from kliento.metrics import slicing
from kliento.metrics.registry import (
    UNBOUNDED,
    MetricDefinition,
    MetricResult,
    Period,
    Scope,
    Value,
    register_metric,
)
from kliento.metrics.slices import CLIENT_SLICES

CENT = Decimal("0.01")
DIGITS = 6  # ratios and lifetimes are rounded to this many decimals (0.4, not 0.40000000001)


def _counts(period: Period, scope: Scope) -> clients.CohortCounts:
    return clients.cohort_counts(
        start=period.start,
        end=period.end,
        inactive_days=scope.rule.inactive_days,
        clients=slicing.client_ids(scope.slice, period),
    )


def _totals(period: Period, scope: Scope) -> clients.PurchaseTotals:
    return clients.purchase_totals(
        start=period.start, end=period.end, clients=slicing.client_ids(scope.slice, period)
    )


def _money(amount: Decimal) -> str:
    """Money as the API writes it everywhere: a string with two decimals, exact."""
    return str(amount.quantize(CENT, rounding=ROUND_HALF_UP))


def _churn(counts: clients.CohortCounts) -> float | None:
    if not counts.n_start:
        return None
    return round((counts.n_start - counts.n_retained) / counts.n_start, DIGITS)


def _lifetimes(counts: clients.CohortCounts, period: Period) -> tuple[Value, Value]:
    """(in periods, in months): 1 / churn, computed from the counts so that 250/100 is 2.5."""
    if not counts.n_start:
        return None, None
    lost = counts.n_start - counts.n_retained
    if not lost:
        return UNBOUNDED, UNBOUNDED
    periods = counts.n_start / lost
    return round(periods, DIGITS), round(periods * period.months, DIGITS)


def _cohort_inputs(counts: clients.CohortCounts) -> dict[str, int]:
    return {
        "n_start": counts.n_start,
        "n_retained": counts.n_retained,
        "n_new_excluded": counts.n_new,
    }


def active(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    return MetricResult(
        "active",
        period,
        scope.rule.key,
        {"n_start": counts.n_start, "n_new": counts.n_new},
        counts.n_end,
    )


def new(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    return MetricResult("new", period, None, {}, counts.n_new)


def churned(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    return MetricResult(
        "churned",
        period,
        scope.rule.key,
        _cohort_inputs(counts),
        counts.n_start - counts.n_retained,
    )


def churn(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    in_periods, in_months = _lifetimes(counts, period)
    return MetricResult(
        "churn",
        period,
        scope.rule.key,
        _cohort_inputs(counts),
        _churn(counts),
        {"lifetime_periods": in_periods, "lifetime_months": in_months},
    )


def lifetime(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    in_periods, in_months = _lifetimes(counts, period)
    return MetricResult(
        "lifetime",
        period,
        scope.rule.key,
        {
            **_cohort_inputs(counts),
            "churn": _churn(counts),
            "months_in_period": round(period.months, DIGITS),
        },
        in_months,
        {"lifetime_periods": in_periods, "lifetime_months": in_months},
    )


def revenue(period: Period, scope: Scope) -> MetricResult:
    totals = _totals(period, scope)
    return MetricResult(
        "revenue",
        period,
        None,
        {"currency": totals.currency, "n_purchases": totals.purchases, "n_buyers": totals.buyers},
        _money(totals.revenue),
    )


def average_check(period: Period, scope: Scope) -> MetricResult:
    totals = _totals(period, scope)
    value = _money(totals.revenue / totals.purchases) if totals.purchases else None
    return MetricResult(
        "average_check",
        period,
        None,
        {
            "currency": totals.currency,
            "revenue": _money(totals.revenue),
            "n_purchases": totals.purchases,
        },
        value,
    )


def purchase_frequency(period: Period, scope: Scope) -> MetricResult:
    totals = _totals(period, scope)
    value = round(totals.purchases / totals.buyers, DIGITS) if totals.buyers else None
    return MetricResult(
        "purchase_frequency",
        period,
        None,
        {"n_purchases": totals.purchases, "n_buyers": totals.buyers},
        value,
    )


def ltv(period: Period, scope: Scope) -> MetricResult:
    counts = _counts(period, scope)
    totals = _totals(period, scope)
    n_clients = counts.n_start + counts.n_new
    per_month: Decimal | None = None
    if n_clients:
        # Exact decimals all the way; only the shown figures are rounded to cents.
        per_month = totals.revenue / n_clients / Decimal(repr(period.months))
    _in_periods, in_months = _lifetimes(counts, period)
    value: Value
    if per_month is None or in_months is None:
        value = None
    elif in_months == UNBOUNDED:
        # Nobody left: the clients are expected to stay for ever, so is their value (unless
        # they spend nothing).
        value = _money(Decimal(0)) if per_month == 0 else UNBOUNDED
    else:
        value = _money(per_month * Decimal(repr(in_months)))
    return MetricResult(
        "ltv",
        period,
        scope.rule.key,
        {
            "currency": totals.currency,
            "revenue": _money(totals.revenue),
            "n_clients": n_clients,
            "months_in_period": round(period.months, DIGITS),
            "revenue_per_client_month": None if per_month is None else _money(per_month),
            **_cohort_inputs(counts),
            "lifetime_months": in_months,
        },
        value,
    )


def register() -> None:
    cohort_inputs = (
        ("n_start", _("clients active at the start of the period")),
        ("n_retained", _("of them, still active at its end")),
        ("n_new_excluded", _("clients who arrived during the period (not counted)")),
    )
    for definition in (
        MetricDefinition(
            key="active",
            name=_("Active clients"),
            formula=_("Clients active at the end of the period (under the churn rule)."),
            inputs=(
                ("n_start", _("clients active at the start of the period")),
                ("n_new", _("clients who arrived during the period")),
            ),
            unit=_("clients"),
            slices=CLIENT_SLICES,
            compute=active,
            uses_rule=True,
        ),
        MetricDefinition(
            key="new",
            name=_("New clients"),
            formula=_("Clients whose “client since” date falls in the period."),
            inputs=(),
            unit=_("clients"),
            slices=CLIENT_SLICES,
            compute=new,
        ),
        MetricDefinition(
            key="churned",
            name=_("Churned clients"),
            formula=_("n_start − n_retained"),
            inputs=cohort_inputs,
            unit=_("clients"),
            slices=CLIENT_SLICES,
            compute=churned,
            uses_rule=True,
        ),
        MetricDefinition(
            key="churn",
            name=_("Churn"),
            formula=_(
                "(n_start − n_retained) / n_start; clients who arrived during the period are "
                "excluded. Expected lifetime = 1 / churn."
            ),
            inputs=cohort_inputs,
            unit=_("share of the cohort"),
            slices=CLIENT_SLICES,
            compute=churn,
            uses_rule=True,
        ),
        MetricDefinition(
            key="lifetime",
            name=_("Expected lifetime"),
            formula=_("1 / churn periods × the period's months; unbounded when nobody left."),
            inputs=(
                *cohort_inputs,
                ("churn", _("churn over the period")),
                ("months_in_period", _("calendar months in the period")),
            ),
            unit=_("months"),
            slices=CLIENT_SLICES,
            compute=lifetime,
            uses_rule=True,
        ),
        MetricDefinition(
            key="revenue",
            name=_("Revenue"),
            formula=_("Sum of the period's purchases in the default currency."),
            inputs=(
                ("currency", _("currency summed")),
                ("n_purchases", _("purchases")),
                ("n_buyers", _("clients who bought")),
            ),
            unit=_("money"),
            slices=CLIENT_SLICES,
            compute=revenue,
        ),
        MetricDefinition(
            key="average_check",
            name=_("Average check"),
            formula=_("revenue / n_purchases"),
            inputs=(
                ("currency", _("currency summed")),
                ("revenue", _("revenue of the period")),
                ("n_purchases", _("purchases")),
            ),
            unit=_("money"),
            slices=CLIENT_SLICES,
            compute=average_check,
        ),
        MetricDefinition(
            key="purchase_frequency",
            name=_("Purchase frequency"),
            formula=_("n_purchases / n_buyers (purchases per buying client in the period)"),
            inputs=(("n_purchases", _("purchases")), ("n_buyers", _("clients who bought"))),
            unit=_("purchases per client"),
            slices=CLIENT_SLICES,
            compute=purchase_frequency,
        ),
        MetricDefinition(
            key="ltv",
            name=_("LTV"),
            formula=_(
                "revenue / n_clients / months_in_period × lifetime_months, where n_clients = "
                "n_start + n_new_excluded (every client of the period)"
            ),
            inputs=(
                ("currency", _("currency summed")),
                ("revenue", _("revenue of the period")),
                ("n_clients", _("clients of the period")),
                ("months_in_period", _("calendar months in the period")),
                ("revenue_per_client_month", _("revenue per client per month")),
                *cohort_inputs,
                ("lifetime_months", _("expected lifetime in months")),
            ),
            unit=_("money"),
            slices=CLIENT_SLICES,
            compute=ltv,
            uses_rule=True,
        ),
    ):
        register_metric(definition)
