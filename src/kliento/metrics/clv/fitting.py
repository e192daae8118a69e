"""Maximum-likelihood fits of the BG/NBD and Gamma-Gamma models.

Every parameter must be positive, so the optimiser works on their logarithms (no bounds to
hit, and r ≈ 0.2 and alpha ≈ 4 get the same relative care). Clients sharing one (x, t_x, T) are
fitted once with a weight: with daily data a large base has far fewer distinct rows than
clients. L-BFGS-B runs from a few starting points (the likelihood surface is flat along some
directions for small samples); Nelder-Mead polishes when L-BFGS-B stops without converging.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from kliento.metrics.clv import likelihoods
from kliento.metrics.clv.likelihoods import Array
from kliento.metrics.clv.summary import Summary


class NotEnoughData(ValueError):
    """Too few clients (or repeat buyers) to fit the model."""


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    n: int


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    v: float
    log_likelihood: float
    n: int


# Fewer clients than this give estimates that mean little; the fit refuses rather than guess.
# Without repeat buyers the BG/NBD cannot tell how clients drop out (a and b do not even enter
# the likelihood when every x is 0), nor the Gamma-Gamma how much a client spends.
MIN_CLIENTS = 10
MIN_REPEAT_BUYERS = 5


def _maximise(
    log_likelihood: Callable[[Array], float], starts: list[Array], scale: int
) -> tuple[Array, float]:
    """The log-parameters with the highest log-likelihood, and that likelihood."""

    def objective(log_params: Array) -> float:
        value = log_likelihood(np.exp(log_params))
        # A step into overflow is a bad step, not an error: the optimiser backs off.
        return -value / scale if np.isfinite(value) else 1e100

    best: tuple[Array, float] | None = None
    for start in starts:
        found = minimize(objective, start, method="L-BFGS-B")
        if not found.success:
            found = minimize(
                objective,
                found.x,
                method="Nelder-Mead",
                options={"maxiter": 4000, "xatol": 1e-8, "fatol": 1e-10},
            )
        if best is None or found.fun < best[1]:
            best = (np.asarray(found.x, dtype=np.float64), float(found.fun))
    assert best is not None
    return np.exp(best[0]), -best[1] * scale


def fit_bgnbd(summary: Summary) -> BgNbd:
    n = len(summary)
    if n < MIN_CLIENTS:
        raise NotEnoughData(f"{n} clients; the BG/NBD fit needs at least {MIN_CLIENTS}")
    repeat = int(np.count_nonzero(summary.x))
    if repeat < MIN_REPEAT_BUYERS:
        raise NotEnoughData(
            f"{repeat} clients bought twice; the BG/NBD fit needs at least {MIN_REPEAT_BUYERS}"
        )
    rows, weights = np.unique(
        np.column_stack([summary.x, summary.t_x, summary.T]), axis=0, return_counts=True
    )
    x, t_x, T = rows[:, 0], rows[:, 1], rows[:, 2]
    w = weights.astype(np.float64)

    def log_likelihood(params: Array) -> float:
        r, alpha, a, b = params
        return likelihoods.bgnbd(r, alpha, a, b, x, t_x, T, w)

    mean_age = max(float(np.mean(summary.T)), 1e-3)
    starts = [
        np.log([1.0, mean_age, 1.0, 1.0]),
        np.log([0.5, mean_age / 10, 0.5, 2.0]),
    ]
    (r, alpha, a, b), best = _maximise(log_likelihood, starts, n)
    return BgNbd(float(r), float(alpha), float(a), float(b), best, n)


def gamma_gamma_sample(summary: Summary) -> tuple[Array, Array]:
    """The clients the spend model is fitted on: repeat buyers whose mean spend is positive
    (the density is zero at z̄ = 0; such clients still get a predicted spend)."""
    keep = (summary.x > 0) & (summary.zbar > 0)
    return summary.x[keep], summary.zbar[keep]


def fit_gamma_gamma(summary: Summary) -> GammaGamma:
    x, zbar = gamma_gamma_sample(summary)
    n = len(x)
    if n < MIN_REPEAT_BUYERS:
        raise NotEnoughData(
            f"{n} repeat buyers with spend; the Gamma-Gamma fit needs at least {MIN_REPEAT_BUYERS}"
        )

    def log_likelihood(params: Array) -> float:
        p, q, v = params
        return likelihoods.gamma_gamma(p, q, v, x, zbar)

    mean_spend = float(np.mean(zbar))
    starts = [np.log([1.0, 2.0, mean_spend]), np.log([5.0, 3.0, mean_spend * 2])]
    (p, q, v), best = _maximise(log_likelihood, starts, n)
    return GammaGamma(float(p), float(q), float(v), best, n)
