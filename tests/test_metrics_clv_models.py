"""The CLV models on public data: the CDNOW sample fitted by our likelihoods must give the
published estimates (Fader, Hardie & Lee 2005) and log-likelihood, and the predictions the
paper's worked example. Independent checks: the published summary of the same customers, and
the Gamma-Gamma density integrated numerically with scipy."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import math
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from scipy import integrate, stats
from scipy.special import hyp2f1

from kliento.metrics.clv import fitting, likelihoods, predictions
from kliento.metrics.clv.summary import Summary, summarise

DATA = Path(__file__).parent / "data" / "cdnow"
CALIBRATION_END = dt.date(1997, 9, 30)


def cdnow_purchases() -> list[tuple[int, dt.date, Decimal]]:
    rows = []
    with open(DATA / "CDNOW_sample.txt") as lines:
        for line in lines:
            _master, customer, day, _cds, amount = line.split()
            rows.append(
                (int(customer), dt.datetime.strptime(day, "%Y%m%d").date(), Decimal(amount))
            )
    rows.sort(key=lambda row: (row[0], row[1]))
    return rows


@pytest.fixture(scope="module")
def cdnow():
    return summarise(cdnow_purchases(), until=CALIBRATION_END, unit="week")


@pytest.fixture(scope="module")
def bgnbd(cdnow):
    return fitting.fit_bgnbd(cdnow)


@pytest.fixture(scope="module")
def spend(cdnow):
    return fitting.fit_gamma_gamma(cdnow)


def test_the_summary_is_the_published_one(cdnow):
    """Same-day purchases are one occasion (177 such pairs in the file), later ones ignored,
    T and t_x in weeks, z̄ the mean of the repeat occasions: as in the published summary."""
    with open(DATA / "cdnow_customers_summary_with_transactions.csv") as f:
        published = list(csv.DictReader(f))
    assert len(cdnow) == len(published) == 2357
    assert list(cdnow.client_ids) == [int(row["ID"]) for row in published]
    assert list(cdnow.x) == [float(row["x"]) for row in published]
    # The published file rounds to two decimals.
    for ours, column in ((cdnow.t_x, "t_x"), (cdnow.T, "T"), (cdnow.zbar, "zbar")):
        theirs = np.array([float(row[column]) for row in published])
        assert np.max(np.abs(ours - theirs)) <= 0.0051, column


def test_bgnbd_fit_gives_the_published_estimates(bgnbd):
    assert bgnbd.n == 2357
    assert bgnbd.r == pytest.approx(0.243, abs=5e-4)
    assert bgnbd.alpha == pytest.approx(4.414, abs=5e-3)
    assert bgnbd.a == pytest.approx(0.793, abs=5e-4)
    assert bgnbd.b == pytest.approx(2.426, abs=5e-3)
    assert bgnbd.log_likelihood == pytest.approx(-9582.4, abs=0.05)


def test_the_fit_is_a_maximum(cdnow, bgnbd):
    x, t_x, T = cdnow.x, cdnow.t_x, cdnow.T
    best = likelihoods.bgnbd(bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b, x, t_x, T)
    assert best == pytest.approx(bgnbd.log_likelihood)
    params = np.array([bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b])
    for i in range(4):
        for factor in (0.97, 1.03):
            moved = params.copy()
            moved[i] *= factor
            assert likelihoods.bgnbd(*moved, x, t_x, T) < best
    # The published (rounded) parameters are within a hair of the maximum.
    published = likelihoods.bgnbd(0.243, 4.414, 0.793, 2.426, x, t_x, T)
    assert best - 0.01 < published <= best


def test_gamma_gamma_fit_gives_the_published_estimates(spend):
    assert spend.n == 946  # the repeat buyers of the calibration period
    assert spend.p == pytest.approx(6.25, abs=0.005)
    assert spend.q == pytest.approx(3.74, abs=0.005)
    assert spend.v == pytest.approx(15.44, abs=0.01)
    assert spend.log_likelihood == pytest.approx(-4055.92, abs=0.01)


@pytest.mark.parametrize(("x", "zbar"), [(1, 11.77), (2, 22.345), (7, 41.0)])
def test_gamma_gamma_density_matches_numerical_integration(x, zbar):
    """zbar | nu ~ Gamma(shape p·x, rate nu·x), nu ~ Gamma(shape q, rate v): integrate nu out."""
    p, q, v = 6.25, 3.74, 15.44

    def joint(nu: float) -> float:
        return stats.gamma.pdf(zbar, p * x, scale=1 / (nu * x)) * stats.gamma.pdf(
            nu, q, scale=1 / v
        )

    numeric, _err = integrate.quad(joint, 0, np.inf, limit=200)
    ours = likelihoods.gamma_gamma_per_client(p, q, v, np.array([float(x)]), np.array([zbar]))
    assert ours[0] == pytest.approx(math.log(numeric), abs=1e-6)


def test_the_papers_worked_example(bgnbd):
    """FHL 2005, section 5: a customer with x = 2, t_x = 30.43, T = 38.86 is expected to make
    1.226 purchases in the next 39 weeks."""
    one = (np.array([2.0]), np.array([30.43]), np.array([38.86]))
    assert predictions.expected_purchases(bgnbd, 39, *one)[0] == pytest.approx(1.226, abs=5e-4)


def test_p_alive_by_hand():
    model = fitting.BgNbd(r=0.5, alpha=2.0, a=1.5, b=3.0, log_likelihood=0.0, n=0)
    x, t_x, T = np.array([0.0, 3.0, 3.0]), np.array([0.0, 10.0, 5.0]), np.array([20.0] * 3)
    alive = predictions.p_alive(model, x, t_x, T)
    # x = 0: never came back, so never had the chance to drop out.
    assert alive[0] == 1.0
    by_hand = 1 / (1 + 1.5 / (3.0 + 3 - 1) * ((2 + 20) / (2 + 10)) ** (0.5 + 3))
    assert alive[1] == pytest.approx(by_hand)
    # Silent for longer, less likely active.
    assert alive[2] < alive[1]


def test_expected_purchases_grow_with_the_horizon_and_start_at_zero(bgnbd):
    x, t_x, T = np.array([0.0, 5.0]), np.array([0.0, 30.0]), np.array([38.86, 38.86])
    assert list(predictions.expected_purchases(bgnbd, 0, x, t_x, T)) == [0.0, 0.0]
    weeks = [predictions.expected_purchases(bgnbd, t, x, t_x, T) for t in (4, 13, 52, 104)]
    for shorter, longer in itertools.pairwise(weeks):
        assert np.all(longer > shorter)
    # A frequent recent buyer is expected to buy more than a one-time buyer.
    assert weeks[-1][1] > weeks[-1][0]


def test_expected_purchases_of_a_new_customer_is_the_unconditional_formula(bgnbd):
    """For x = t_x = T = 0 the conditional expectation is FHL eq. 9, E[X(t)]."""
    r, alpha, a, b = bgnbd.r, bgnbd.alpha, bgnbd.a, bgnbd.b
    t = 39.0
    eq9 = (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )
    zero = np.array([0.0])
    assert predictions.expected_purchases(bgnbd, t, zero, zero, zero)[0] == pytest.approx(eq9)


def test_expected_spend_shrinks_towards_the_population_mean(spend):
    population = spend.p * spend.v / (spend.q - 1)
    got = predictions.expected_spend(
        spend, np.array([0.0, 1.0, 500.0]), np.array([0.0, 80.0, 80.0])
    )
    assert got[0] == pytest.approx(population)  # one-time buyer: the population's
    assert population < got[1] < 80.0
    assert got[2] == pytest.approx(80.0, rel=0.01)  # many purchases: its own mean


def test_clv_by_hand():
    model = fitting.BgNbd(r=0.5, alpha=2.0, a=1.5, b=3.0, log_likelihood=0.0, n=0)
    x, t_x, T = np.array([3.0]), np.array([10.0]), np.array([20.0])
    spend = np.array([50.0])
    per_month = 365.25 / 12
    first = predictions.expected_purchases(model, per_month, x, t_x, T)[0]
    second = predictions.expected_purchases(model, 2 * per_month, x, t_x, T)[0]
    undiscounted = predictions.clv(
        model, spend, unit="day", months=2, annual_discount=0.0, x=x, t_x=t_x, T=T
    )
    assert undiscounted[0] == pytest.approx(50 * second)
    monthly = 1.21 ** (1 / 12) - 1
    discounted = predictions.clv(
        model, spend, unit="day", months=2, annual_discount=0.21, x=x, t_x=t_x, T=T
    )
    by_hand = 50 * first / (1 + monthly) + 50 * (second - first) / (1 + monthly) ** 2
    assert discounted[0] == pytest.approx(by_hand)
    assert predictions.monthly_rate(0.21) == pytest.approx(monthly)


def test_the_fit_is_the_same_in_days_up_to_the_unit(cdnow, bgnbd):
    """Changing the unit rescales alpha only (a scale parameter of time); the likelihood, a
    density over the x repeat purchase times, changes by the Jacobian 7^-x per client."""
    daily = fitting.fit_bgnbd(summarise(cdnow_purchases(), until=CALIBRATION_END, unit="day"))
    assert daily.r == pytest.approx(bgnbd.r, rel=1e-3)
    assert daily.a == pytest.approx(bgnbd.a, rel=1e-3)
    assert daily.b == pytest.approx(bgnbd.b, rel=1e-3)
    assert daily.alpha == pytest.approx(bgnbd.alpha * 7, rel=1e-3)
    jacobian = math.log(7) * float(np.sum(cdnow.x))
    assert daily.log_likelihood == pytest.approx(bgnbd.log_likelihood - jacobian, abs=0.01)


def test_too_few_clients_is_refused():
    rows = [(i, dt.date(2025, 1, 1), Decimal("10")) for i in range(3)]
    with pytest.raises(fitting.NotEnoughData):
        fitting.fit_bgnbd(summarise(rows, until=dt.date(2025, 6, 1), unit="week"))
    with pytest.raises(fitting.NotEnoughData):
        fitting.fit_gamma_gamma(summarise(rows, until=dt.date(2025, 6, 1), unit="week"))


def test_expected_purchases_are_continuous_through_a_equal_to_one():
    """At a = 1 the formula is 0/0; the value there lies between its neighbours'."""
    x, t_x, T = np.array([0.0, 3.0]), np.array([0.0, 10.0]), np.array([20.0, 20.0])

    def at(a: float) -> np.ndarray:
        model = fitting.BgNbd(r=0.5, alpha=2.0, a=a, b=3.0, log_likelihood=0.0, n=0)
        return predictions.expected_purchases(model, 26, x, t_x, T)

    exactly = at(1.0)
    assert np.all(np.isfinite(exactly)) and np.all(exactly > 0)
    np.testing.assert_allclose(exactly, (at(0.99) + at(1.01)) / 2, rtol=1e-4)


def test_occasions_out_of_order_are_refused():
    rows = [(1, dt.date(2025, 2, 1), Decimal(1)), (1, dt.date(2025, 1, 1), Decimal(1))]
    with pytest.raises(ValueError, match="ordered"):
        summarise(rows, until=dt.date(2025, 6, 1), unit="day")


def test_without_repeat_buyers_the_purchase_model_is_refused():
    """With every x = 0 the drop-out parameters do not enter the likelihood at all."""
    rows = [(i, dt.date(2025, 1, 1) + dt.timedelta(days=i), Decimal("10")) for i in range(30)]
    with pytest.raises(fitting.NotEnoughData, match="bought twice"):
        fitting.fit_bgnbd(summarise(rows, until=dt.date(2025, 6, 1), unit="week"))


def test_expected_purchases_over_a_short_time_are_rate_times_p_alive(bgnbd):
    """Over a short dt, E[Y(dt)] ≈ dt · E[λ | alive, data] · P(alive), with λ | alive, data
    ~ Gamma(r + x, alpha + T): an identity that does not use ₂F₁."""
    x, t_x, T = np.array([0.0, 2.0, 7.0]), np.array([0.0, 30.43, 20.0]), np.array([38.86] * 3)
    dt_weeks = 1e-4
    rate = (bgnbd.r + x) / (bgnbd.alpha + T)
    expected = dt_weeks * rate * predictions.p_alive(bgnbd, x, t_x, T)
    got = predictions.expected_purchases(bgnbd, dt_weeks, x, t_x, T)
    np.testing.assert_allclose(got, expected, rtol=1e-3)


def simulate_bgnbd(n: int, r: float, alpha: float, a: float, b: float, seed: int):
    """Purchases drawn from the BG/NBD story itself: each client buys at a rate
    λ ~ Gamma(r, alpha) and, after each purchase, drops out with p ~ Beta(a, b)."""

    rng = np.random.default_rng(seed)
    rates, drop, ages = rng.gamma(r, 1 / alpha, n), rng.beta(a, b, n), rng.uniform(20, 52, n)
    x, t_x = np.zeros(n), np.zeros(n)
    for i in range(n):
        t = 0.0
        while True:
            t += rng.exponential(1 / rates[i])
            if t > ages[i]:
                break
            x[i] += 1
            t_x[i] = t
            if rng.random() < drop[i]:
                break
    return Summary(np.arange(n), x, t_x, ages, np.zeros(n))


def test_the_fit_recovers_the_parameters_it_was_simulated_with():
    found = fitting.fit_bgnbd(simulate_bgnbd(20_000, r=0.5, alpha=6.0, a=1.2, b=2.5, seed=7))
    assert found.r == pytest.approx(0.5, rel=0.05)
    assert found.alpha == pytest.approx(6.0, rel=0.05)
    assert found.a == pytest.approx(1.2, rel=0.05)
    assert found.b == pytest.approx(2.5, rel=0.05)
