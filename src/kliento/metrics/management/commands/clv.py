"""`kliento clv fit [--until DATE] [--unit day|week|month]`: fit the CLV models now.

The same fit as the worker's task (kliento.metrics.tasks.fit_clv), run in this process so that
a script sees its parameters: `r=… alpha=… a=… b=…`, `p=… q=… v=…` and the log-likelihoods,
one `name=value` per word."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from kliento.metrics.clv import fitting, service
from kliento.metrics.clv.summary import UNIT_DAYS


def _day(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {raw!r}") from None


def _g(value: float) -> str:
    return f"{value:.6g}"


class Command(BaseCommand):
    help = "Predictive CLV: fit the purchase (BG/NBD) and spend (Gamma-Gamma) models."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        fit = actions.add_parser("fit", help="fit on the purchases up to a day and store it")
        fit.add_argument(
            "--until",
            default=None,
            help="last day of the calibration period, YYYY-MM-DD (later purchases are "
            "ignored); default: yesterday",
        )
        fit.add_argument("--unit", choices=list(UNIT_DAYS), default="week")
        fit.add_argument("--horizon-months", type=int, default=None)
        fit.add_argument("--discount-percent", type=int, default=None, help="annual rate")

    def handle(self, *args: Any, **options: Any) -> None:
        until = (
            _day(options["until"])
            if options["until"]
            else timezone.localdate() - dt.timedelta(days=1)
        )
        horizon = options["horizon_months"]
        discount = options["discount_percent"]
        if horizon is not None and horizon < 1:
            raise CommandError("--horizon-months must be 1 or more")
        if discount is not None and discount < 0:
            raise CommandError("--discount-percent must be 0 or more")
        try:
            outcome = service.fit(
                until=until,
                unit=options["unit"],
                horizon_months=horizon,
                discount_percent=discount,
            )
        except fitting.NotEnoughData as exc:
            raise CommandError(str(exc)) from None
        m = outcome.bgnbd
        self.stdout.write(
            f"r={_g(m.r)} alpha={_g(m.alpha)} a={_g(m.a)} b={_g(m.b)} "
            f"log_likelihood={m.log_likelihood:.4f} n={m.n}"
        )
        spend = outcome.spend
        if spend is None:
            self.stdout.write("spend model not fitted: too few repeat buyers")
        else:
            self.stdout.write(
                f"p={_g(spend.p)} q={_g(spend.q)} v={_g(spend.v)} "
                f"log_likelihood={spend.log_likelihood:.4f} n={spend.n}"
            )
        self.stdout.write(
            f"fit={outcome.fit.pk} unit={outcome.fit.unit} until={until.isoformat()} "
            f"currency={outcome.fit.currency}"
        )
