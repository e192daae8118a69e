"""Log-likelihoods of the BG/NBD and Gamma-Gamma models, per client and summed.

BG/NBD (Fader, Hardie & Lee, "Counting your customers the easy way", 2005, eq. 6): a client
with x repeat purchases, the last at t_x, observed for T units since the first, contributes

    L = B(a, b+x)/B(a, b) · Γ(r+x) alpha^r / (Γ(r) (alpha+T)^(r+x))
      + [x > 0] · B(a+1, b+x-1)/B(a, b) · Γ(r+x) alpha^r / (Γ(r) (alpha+t_x)^(r+x))

The two terms are added in log space (logaddexp): at realistic x and T each alone underflows
a float. B(a+1, b+x-1)/B(a, b+x) simplifies to a/(b+x-1).

Gamma-Gamma (Fader, Hardie & Lee, "RFM and CLV", 2005; Fader & Hardie's 2013 note): the mean
spend z̄ of a client's x repeat purchases has the density

    f(z̄) = Γ(px+q) / (Γ(px) Γ(q)) · v^q z̄^(px-1) x^(px) / (v + x z̄)^(px+q)

It is defined for x > 0 and z̄ > 0 only; the caller leaves other clients out of that fit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy.special import betaln, gammaln

Array = NDArray[np.float64]


def bgnbd_per_client(
    r: float, alpha: float, a: float, b: float, x: Array, t_x: Array, T: Array
) -> Array:
    """Each client's log-likelihood under the BG/NBD model."""
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + betaln(a, b + x) - betaln(a, b)
    still_alive = -(r + x) * np.log(alpha + T)
    repeat = x > 0
    # Where x = 0 the second term is absent: -inf makes logaddexp return the first alone,
    # and the placeholder b + 1 keeps log() away from a non-positive argument.
    dropped = np.where(
        repeat,
        np.log(a) - np.log(np.where(repeat, b + x - 1, b + 1)) - (r + x) * np.log(alpha + t_x),
        -np.inf,
    )
    result: Array = common + np.logaddexp(still_alive, dropped)
    return result


def bgnbd(
    r: float,
    alpha: float,
    a: float,
    b: float,
    x: Array,
    t_x: Array,
    T: Array,
    weights: Array | None = None,
) -> float:
    """The sample's log-likelihood; `weights` counts clients sharing one (x, t_x, T)."""
    per_client = bgnbd_per_client(r, alpha, a, b, x, t_x, T)
    if weights is not None:
        per_client = per_client * weights
    return float(np.sum(per_client))


def gamma_gamma_per_client(p: float, q: float, v: float, x: Array, zbar: Array) -> Array:
    """Each client's log-density of its mean repeat spend (x > 0, z̄ > 0)."""
    px = p * x
    result: Array = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(v)
        + (px - 1) * np.log(zbar)
        + px * np.log(x)
        - (px + q) * np.log(v + x * zbar)
    )
    return result


def gamma_gamma(p: float, q: float, v: float, x: Array, zbar: Array) -> float:
    return float(np.sum(gamma_gamma_per_client(p, q, v, x, zbar)))
