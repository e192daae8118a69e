"""Fitting the CLV models on the company's purchases and storing each client's figures.

Purchases are read through `kliento.clients.selectors.purchase_occasions` (one row per client
and day, in the default currency: amounts in other currencies are not converted, see decision
0003). The fit's rows replace the previous fit's rows in one transaction, so the page never
shows half of a fit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction

from kliento.clients import selectors as clients
from kliento.metrics.clv import fitting, predictions
from kliento.metrics.clv.likelihoods import Array
from kliento.metrics.clv.summary import UNIT_DAYS, Summary, summarise
from kliento.metrics.models import ClientClv, ClvFit

CENT = Decimal("0.01")
BATCH = 2000


@dataclass(frozen=True)
class FitOutcome:
    fit: ClvFit
    bgnbd: fitting.BgNbd
    spend: fitting.GammaGamma | None


def _money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP)


def fit(
    *,
    until: dt.date,
    unit: str = "week",
    horizon_months: int | None = None,
    discount_percent: int | None = None,
) -> FitOutcome:
    """Fit both models on the purchases up to `until` (later ones are ignored) and store the
    fit with every buying client's figures. NotEnoughData when there are too few clients for
    the purchase model; with too few repeat buyers the spend model is left out (no CLV)."""
    if unit not in UNIT_DAYS:
        raise ValueError(f"unit must be one of {', '.join(UNIT_DAYS)}")
    horizon = horizon_months or settings.KLIENTO_CLV_HORIZON_MONTHS
    discount = (
        settings.KLIENTO_CLV_DISCOUNT_PERCENT if discount_percent is None else discount_percent
    )
    currency = settings.KLIENTO_DEFAULT_CURRENCY
    summary = summarise(
        clients.purchase_occasions(until=until, currency=currency), until=until, unit=unit
    )
    bgnbd = fitting.fit_bgnbd(summary)
    try:
        spend: fitting.GammaGamma | None = fitting.fit_gamma_gamma(summary)
    except fitting.NotEnoughData:
        spend = None
    return FitOutcome(
        _store(summary, bgnbd, spend, until, unit, currency, horizon, discount), bgnbd, spend
    )


@transaction.atomic
def _store(
    summary: Summary,
    bgnbd: fitting.BgNbd,
    spend: fitting.GammaGamma | None,
    until: dt.date,
    unit: str,
    currency: str,
    horizon: int,
    discount: int,
) -> ClvFit:
    record = ClvFit.objects.create(
        calibration_end=until,
        unit=unit,
        currency=currency,
        horizon_months=horizon,
        discount_percent=discount,
        r=bgnbd.r,
        alpha=bgnbd.alpha,
        a=bgnbd.a,
        b=bgnbd.b,
        log_likelihood=bgnbd.log_likelihood,
        n_clients=bgnbd.n,
        p=spend.p if spend else None,
        q=spend.q if spend else None,
        v=spend.v if spend else None,
        spend_log_likelihood=spend.log_likelihood if spend else None,
        n_spend_clients=spend.n if spend else 0,
    )
    x, t_x, T = summary.x, summary.t_x, summary.T
    horizon_units = horizon * UNIT_DAYS["month"] / UNIT_DAYS[unit]
    purchases = predictions.expected_purchases(bgnbd, horizon_units, x, t_x, T)
    alive = predictions.p_alive(bgnbd, x, t_x, T)
    mean_spend: Array | None = None
    value: Array | None = None
    if spend is not None:
        mean_spend = predictions.expected_spend(spend, x, summary.zbar)
        value = predictions.clv(
            bgnbd,
            mean_spend,
            unit=unit,
            months=horizon,
            annual_discount=discount / 100,
            x=x,
            t_x=t_x,
            T=T,
        )
    ClientClv.objects.exclude(fit=record).delete()
    for start in range(0, len(summary), BATCH):
        ClientClv.objects.bulk_create(
            ClientClv(
                fit=record,
                client_id=int(summary.client_ids[i]),
                frequency=int(x[i]),
                recency=float(t_x[i]),
                age=float(T[i]),
                expected_purchases=float(purchases[i]),
                p_alive=float(alive[i]),
                expected_spend=None if mean_spend is None else _money(mean_spend[i]),
                clv=None if value is None else _money(value[i]),
            )
            for i in range(start, min(start + BATCH, len(summary)))
        )
    return record
