"""What the fitted models say about each client.

- P(alive) (FHL 2005, eq. 11): 1 / (1 + [x > 0] · a/(b+x-1) · ((alpha+T)/(alpha+t_x))^(r+x)).
- Expected purchases in the next t units (eq. 10):
      (a+b+x-1)/(a-1) · [1 - ((alpha+T)/(alpha+T+t))^(r+x) · ₂F₁(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
      / (1 + [x > 0] · a/(b+x-1) · ((alpha+T)/(alpha+t_x))^(r+x))
  (a < 1 makes both factors of the numerator negative; their product stays right.)
- Expected mean spend (Gamma-Gamma): (p(v + x z̄)) / (px + q - 1), a weighted mean of the
  population's p·v/(q-1) and the client's own z̄; one-time buyers get the population's.
- CLV over a horizon of H months: the expected spend times the expected purchases of each
  month, discounted at the month's end: Σ_{m=1..H} spend · (E[Y(m)] - E[Y(m-1)]) / (1+d)^m,
  d the monthly rate equivalent to the annual discount rate.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from scipy.special import hyp2f1

from kliento.metrics.clv.fitting import BgNbd, GammaGamma
from kliento.metrics.clv.likelihoods import Array
from kliento.metrics.clv.summary import UNIT_DAYS


def _odds_dropped(model: BgNbd, x: Array, t_x: Array, T: Array) -> Array:
    """The odds of "dropped out after the last purchase" against "still alive"; 0 for x = 0
    (a client who never came back has not had the chance to drop out in this model)."""
    repeat = x > 0
    log_odds = (
        np.log(model.a)
        - np.log(np.where(repeat, model.b + x - 1, 1.0))
        + (model.r + x) * (np.log(model.alpha + T) - np.log(model.alpha + t_x))
    )
    # Capped before exp: a long-silent frequent buyer has odds beyond a float, P(alive) ≈ 0.
    result: Array = np.where(repeat, np.exp(np.minimum(log_odds, 700.0)), 0.0)
    return result


def p_alive(model: BgNbd, x: Array, t_x: Array, T: Array) -> Array:
    result: Array = 1.0 / (1.0 + _odds_dropped(model, x, t_x, T))
    return result


# Within this of a = 1 the formula is 0/0; it is continuous there, so it is evaluated on both
# sides and averaged (the error is of the order of the square of this step).
NEAR_ONE = 1e-4


def expected_purchases(model: BgNbd, t: float, x: Array, t_x: Array, T: Array) -> Array:
    """Expected purchases in the next `t` units."""
    if t <= 0:
        return np.zeros_like(x)
    if abs(model.a - 1) < NEAR_ONE:
        below = replace(model, a=1 - NEAR_ONE)
        above = replace(model, a=1 + NEAR_ONE)
        both: Array = (_expected(below, t, x, t_x, T) + _expected(above, t, x, t_x, T)) / 2
        return both
    return _expected(model, t, x, t_x, T)


def _expected(model: BgNbd, t: float, x: Array, t_x: Array, T: Array) -> Array:
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    z = t / (alpha + T + t)
    share = np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t)))
    numerator = (a + b + x - 1) / (a - 1) * (1 - share * hyp2f1(r + x, b + x, a + b + x - 1, z))
    result: Array = numerator / (1.0 + _odds_dropped(model, x, t_x, T))
    # ₂F₁ can fail for extreme x and t (nan or inf): such a client is given no purchases rather
    # than an absurd number; a purchase count is never negative.
    return np.maximum(np.nan_to_num(result, nan=0.0, posinf=0.0, neginf=0.0), 0.0)


def expected_spend(model: GammaGamma, x: Array, zbar: Array) -> Array:
    result: Array = model.p * (model.v + x * zbar) / (model.p * x + model.q - 1)
    return result


def monthly_rate(annual_rate: float) -> float:
    return float((1 + annual_rate) ** (1 / 12) - 1)


def clv(
    model: BgNbd,
    spend: Array,
    *,
    unit: str,
    months: int,
    annual_discount: float,
    x: Array,
    t_x: Array,
    T: Array,
) -> Array:
    """Discounted value of the next `months` months of purchases (in the spend's currency)."""
    units_per_month = UNIT_DAYS["month"] / UNIT_DAYS[unit]
    rate = monthly_rate(annual_discount)
    total = np.zeros_like(x)
    before = np.zeros_like(x)
    for month in range(1, months + 1):
        upto = expected_purchases(model, month * units_per_month, x, t_x, T)
        total += spend * (upto - before) / (1 + rate) ** month
        before = upto
    return total
